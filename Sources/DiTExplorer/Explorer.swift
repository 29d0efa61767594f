import DiT
