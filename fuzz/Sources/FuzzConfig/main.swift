// config.json, parsed and validated: this project's DiT config, diffusers' DiTTransformer2DModel
// and AutoencoderKL configs; a config that passes has derived sizes that do not trap.
import DiT
import FuzzDriver

fuzz { data in
    if let v = try? AutoencoderKLConfig(json: data, file: "fuzz.json") { _ = (v.downsampleFactor, v.blockOutChannels.max()) }
    let diffusers = try? DiffusersDiT.config(json: data, file: "fuzz.json")
    for c in [try? DiTConfig(json: data, file: "fuzz.json"), diffusers].compactMap({ $0 }) {
        guard (try? c.validate(file: "fuzz.json")) != nil else { continue }
        _ = (c.tokenCount, c.headDim, c.mlpHidden, c.patchDim, c.finalDim, FLOPs(c).gflops)
    }
}
