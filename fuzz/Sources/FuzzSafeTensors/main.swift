// A safetensors file: header length, JSON header, dtypes, shapes, data offsets. Any input gives
// a SafeTensorsFile or a DiTError, never a trap; a file that parses reads back in full.
import DiT
import FuzzDriver

fuzz { data in
    guard let file = try? SafeTensorsFile(data: data, path: "fuzz.safetensors") else { return }
    for name in file.tensors.keys { _ = file.floats(name) }
}
