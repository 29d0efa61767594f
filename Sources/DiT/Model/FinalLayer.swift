// FinalLayer (models.py): shift, scale = adaLN_modulation(c).chunk(2);
// x = linear(modulate(norm_final(x), shift, scale)) -> (N, T, p·p·outC).
// The cross-attention and in-context designs have no modulation: x = linear(norm_final(x)) with
// an affine LayerNorm, over the T image tokens (in-context drops its two tokens first).

enum FinalLayer {
    static func apply(_ w: DiTWeights, _ s: RunState, _ c: DiTConfig) {
        let N = s.n, T = c.tokenCount, L = c.sequenceLength, D = c.hiddenSize
        if L > T {  // in-context: compact x to (N, T, D) in place; rows only move towards the front
            for n in 0..<N { (s.x.data + n * T * D).update(from: s.x.data + (n * L + L - T) * D, count: T * D) }
        }
        switch w.finalConditioning {
        case .modulation(let ada):
            BLAS.linear(s.siluC.data, rows: N, in: D, ada.weight.data, ada.bias.data, out: 2 * D, into: s.finalMod.data)  // (N, D) @ (2D, D)ᵀ -> (N, 2D)
            Ops.layerNormModulate(s.x.data, n: N, t: T, d: D, shift: s.finalMod.data, scale: s.finalMod.data + D,
                                  modStride: 2 * D, into: s.h.data)
        case .norm(let norm):
            Ops.layerNorm(s.x.data, rows: N * T, d: D, weight: norm.weight.data, bias: norm.bias.data, into: s.h.data)
        }
        BLAS.linear(s.h.data, rows: N * T, in: D, w.finalW.data, w.finalB.data, out: c.finalDim, into: s.finalOut.data)  // (NT, D) @ (p·p·outC, D)ᵀ
    }
}
