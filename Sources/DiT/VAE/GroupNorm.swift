// nn.GroupNorm(num_groups, C, eps, affine=True) over one sample's channel-first planes, with the
// SiLU that follows it in every ResnetBlock2D and before conv_out fused in:
//   x (C, H·W) → groups of C/G consecutive channels, each normalised over its (C/G)·H·W values
//   y = (x − mean_g) / √(var_g + eps) · weight[c] + bias[c]     (biased variance, as PyTorch)
// Mean and variance are accumulated in Float64, two passes.

struct GroupNorm {
    let weight: Tensor, bias: Tensor   // (C), (C)
    let groups: Int
    let eps: Float

    init(_ r: WeightReader, _ prefix: String, channels: Int, groups: Int, eps: Float = AutoencoderKLConfig.eps) throws {
        weight = try r.tensor(prefix + ".weight", [channels])
        bias = try r.tensor(prefix + ".bias", [channels])
        self.groups = groups; self.eps = eps
    }

    var channels: Int { weight.count }

    /// y (C, hw) = GroupNorm(x (C, hw)), then SiLU when `silu`. y may not alias x.
    func forward(_ x: UnsafePointer<Float>, hw: Int, silu: Bool, into y: UnsafeMutablePointer<Float>) {
        let per = channels / groups, slab = per * hw
        Parallel.chunks(groups, grain: max(1, (1 << 16) / max(1, slab))) { range in
            for g in range {
                let src = x + g * slab, dst = y + g * slab
                var sum = 0.0
                for i in 0..<slab { sum += Double(src[i]) }
                let mean = sum / Double(slab)
                var sq = 0.0
                for i in 0..<slab { let d = Double(src[i]) - mean; sq += d * d }
                let rstd = 1 / (sq / Double(slab) + Double(eps)).squareRoot()
                for j in 0..<per {
                    let c = g * per + j
                    let a = Float(rstd * Double(weight[c])), b = bias[c] - Float(mean) * a
                    let s = src + j * hw, d = dst + j * hw
                    for i in 0..<hw { d[i] = s[i] * a + b }
                    if silu { Ops.siluInPlace(d, count: hw) }
                }
            }
        }
    }
}
