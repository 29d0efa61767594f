// DiTBlock with adaLN-Zero conditioning (models.py DiTBlock):
//   shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = adaLN_modulation(c).chunk(6)
//   x = x + gate_msa · attn(modulate(norm1(x), shift_msa, scale_msa))
//   x = x + gate_mlp · mlp(modulate(norm2(x), shift_mlp, scale_mlp))
// Gates start at zero in training, so every block starts as the identity.

enum DiTBlock {
    static func apply(_ w: DiTBlockWeights, index: Int, _ s: RunState, _ c: DiTConfig) {
        let N = s.n, T = c.tokenCount, D = c.hiddenSize, H = c.mlpHidden, rows = N * T
        let m = s.mod.data, mod6 = Modulation.count * D
        BLAS.linear(s.siluC.data, rows: N, in: D, w.adaW.data, w.adaB.data, out: mod6, into: m)  // (N, D) @ (6D, D)ᵀ -> (N, 6D)
        if !s.probes.modulation.isEmpty { s.probes.modulation[index].copy(from: s.mod) }

        // Attention branch.
        Ops.layerNormModulate(s.x.data, n: N, t: T, d: D, shift: m + Modulation.shiftMSA.offset(D), scale: m + Modulation.scaleMSA.offset(D), modStride: mod6, into: s.h.data)
        BLAS.linear(s.h.data, rows: rows, in: D, w.qkvW.data, w.qkvB.data, out: 3 * D, into: s.qkv.data)  // (NT, D) @ (3D, D)ᵀ -> (NT, 3D)
        Attention.apply(qkv: s.qkv, scores: s.scores, out: s.attnOut, n: N, tokens: T, dim: D, heads: c.numHeads)
        if let probe = s.probes.attention[index] { probe.copy(from: s.scores) }
        BLAS.linear(s.attnOut.data, rows: rows, in: D, w.projW.data, w.projB.data, out: D, into: s.branch.data)  // (NT, D) @ (D, D)ᵀ -> (NT, D)
        Ops.gatedResidual(s.x.data, s.branch.data, gate: m + Modulation.gateMSA.offset(D), modStride: mod6, n: N, t: T, d: D)

        // MLP branch.
        Ops.layerNormModulate(s.x.data, n: N, t: T, d: D, shift: m + Modulation.shiftMLP.offset(D), scale: m + Modulation.scaleMLP.offset(D), modStride: mod6, into: s.h.data)
        BLAS.linear(s.h.data, rows: rows, in: D, w.fc1W.data, w.fc1B.data, out: H, into: s.mlpHidden.data)  // (NT, D) @ (H, D)ᵀ -> (NT, H)
        Ops.geluTanh(s.mlpHidden.data, count: rows * H)
        BLAS.linear(s.mlpHidden.data, rows: rows, in: H, w.fc2W.data, w.fc2B.data, out: D, into: s.branch.data)  // (NT, H) @ (D, H)ᵀ -> (NT, D)
        Ops.gatedResidual(s.x.data, s.branch.data, gate: m + Modulation.gateMLP.offset(D), modStride: mod6, n: N, t: T, d: D)

        if !s.probes.tokenNorms.isEmpty {
            let norms = s.probes.tokenNorms[index].data
            for r in 0..<rows {
                var sum: Float = 0
                for i in 0..<D { let v = s.x.data[r * D + i]; sum += v * v }
                norms[r] = sum.squareRoot()
            }
        }
    }
}
