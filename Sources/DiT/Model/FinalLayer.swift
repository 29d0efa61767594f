// FinalLayer (models.py): shift, scale = adaLN_modulation(c).chunk(2);
// x = linear(modulate(norm_final(x), shift, scale)) -> (N, T, p·p·outC).

enum FinalLayer {
    static func apply(_ w: DiTWeights, _ s: RunState, _ c: DiTConfig) {
        let N = s.n, T = c.tokenCount, D = c.hiddenSize
        BLAS.linear(s.siluC.data, rows: N, in: D, w.finalAdaW.data, w.finalAdaB.data, out: 2 * D, into: s.finalMod.data)  // (N, D) @ (2D, D)ᵀ -> (N, 2D)
        Ops.layerNormModulate(s.x.data, n: N, t: T, d: D, shift: s.finalMod.data, scale: s.finalMod.data + D,
                              modStride: 2 * D, into: s.h.data)
        BLAS.linear(s.h.data, rows: N * T, in: D, w.finalW.data, w.finalB.data, out: c.finalDim, into: s.finalOut.data)  // (NT, D) @ (p·p·outC, D)ᵀ
    }
}
