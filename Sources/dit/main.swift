print("dit")
