// config.json, parsed and validated; a config that passes has derived sizes that do not trap.
import DiT
import FuzzDriver

fuzz { data in
    guard let c = try? DiTConfig(json: data, file: "fuzz.json"), (try? c.validate(file: "fuzz.json")) != nil else { return }
    _ = (c.tokenCount, c.headDim, c.mlpHidden, c.patchDim, c.finalDim, FLOPs(c).gflops)
}
