// A NumPy .npy file: magic, version, header dict, descr, shape, data size.
import DiT
import FuzzDriver

fuzz { data in _ = (try? NPY.decode(data, file: "fuzz.npy")).map(NPY.encode) }
