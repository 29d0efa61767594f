// DiTBlock with adaLN-Zero conditioning (models.py DiTBlock):
//   shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = adaLN_modulation(c).chunk(6)
//   x = x + gate_msa · attn(modulate(norm1(x), shift_msa, scale_msa))
//   x = x + gate_mlp · mlp(modulate(norm2(x), shift_mlp, scale_mlp))
// Gates start at zero in training, so every block starts as the identity. Fig. 5's "adaLN" block
// is the same without the gates (adaLN_modulation(c).chunk(4): shift/scale msa, shift/scale mlp;
// x = x + attn(...), x = x + mlp(...)), so this file runs both, from the design's chunk table.
// The other two designs are CrossAttentionBlock and InContextBlock; the parts all four share are
// in BlockParts below. An ablated branch (Ablation.swift) adds nothing: for adaLN-Zero exactly the
// forward with its gate α = 0.

enum DiTBlock {
    /// ada: the block's adaLN_modulation, or nil when the forward computed it already (DiTModel);
    /// off: what ablations leave out of this block (nil: nothing).
    static func apply(_ w: DiTBlockWeights, modulation ada: LinearWeights?, index: Int, _ s: RunState, _ c: DiTConfig,
                      _ off: BlockAblation? = nil) {
        let N = s.n, T = c.tokenCount, D = c.hiddenSize, design = c.conditioning
        if let ada { BlockParts.modulate(ada, index: index, s, c) }
        let stride = c.depth * design.modulationVectors * D, m = s.mod.data + index * design.modulationVectors * D
        func at(_ v: Modulation) -> UnsafeMutablePointer<Float>? { v.offset(D, in: design).map { m + $0 } }
        /// x += gate · branch, or x += branch for a design without gates.
        func residual(_ gate: Modulation) {
            if let g = at(gate) {
                Ops.gatedResidual(s.x.data, s.branch.data, gate: g, modStride: stride, n: N, t: T, d: D)
            } else {
                Ops.residual(s.x.data, s.branch.data, count: N * T * D)
            }
        }

        BlockParts.branch(off?.attention == true, probed: s.probes.attention[index] != nil, compute: {
            Ops.layerNormModulate(s.x.data, n: N, t: T, d: D, shift: at(.shiftMSA) ?? m, scale: at(.scaleMSA) ?? m, modStride: stride, into: s.h.data)
            BlockParts.selfAttention(w, index: index, s, c, zeroing: off?.heads ?? [])
        }, add: { residual(.gateMSA) })

        BlockParts.branch(off?.mlp == true, compute: {
            Ops.layerNormModulate(s.x.data, n: N, t: T, d: D, shift: at(.shiftMLP) ?? m, scale: at(.scaleMLP) ?? m, modStride: stride,
                                  eps: c.mlpNormEps, into: s.h.data)
            BlockParts.mlp(w, s, c)
        }, add: { residual(.gateMLP) })
        BlockParts.recordTokenNorms(index: index, s, c)
    }
}

/// The stages every block design shares, over the L = c.sequenceLength tokens of s.x.
enum BlockParts {
    /// s.mod[:, index] (N, kD) = adaLN_modulation(c) of block `index`, for the config's design.
    static func modulate(_ ada: LinearWeights, index: Int, _ s: RunState, _ c: DiTConfig) {
        let kD = c.conditioning.modulationVectors * c.hiddenSize, m = s.mod.data + index * kD
        BLAS.linear(s.siluC.data, rows: s.n, ada.weight, ada.bias, into: m, ldy: c.depth * kD)  // (N, D) @ (kD, D)ᵀ -> (N, kD)
        if !s.probes.modulation.isEmpty {
            for n in 0..<s.n { (s.probes.modulation[index].data + n * kD).update(from: m + n * c.depth * kD, count: kD) }
        }
    }

    /// One residual branch: `compute` fills s.branch, `add` adds it to s.x. An ablated branch adds
    /// nothing and is computed only when `probed` (its probe then shows what it would have added).
    @inline(__always)
    static func branch(_ ablated: Bool, probed: Bool = false, compute: () -> Void, add: () -> Void) {
        guard !ablated || probed else { return }
        compute()
        if !ablated { add() }
    }

    /// s.branch = attn(s.h): qkv, multi-head softmax attention (recorded when probed), the heads in
    /// `zeroing` set to zero (ablated), proj.
    static func selfAttention(_ w: DiTBlockWeights, index: Int, _ s: RunState, _ c: DiTConfig, zeroing heads: [Int] = []) {
        let L = c.sequenceLength, D = c.hiddenSize, rows = s.n * L, hd = c.headDim
        BLAS.linear(s.h.data, rows: rows, w.qkvW, w.qkvB, into: s.qkv.data)  // (NL, D) @ (3D, D)ᵀ -> (NL, 3D)
        Attention.apply(qkv: s.qkv, probe: s.probes.attention[index], scratch: s.attentionScratch, out: s.attnOut,
                        n: s.n, tokens: L, dim: D, heads: c.numHeads)
        for h in heads {  // attnOut (NL, heads·hd): head h's columns h·hd ..< (h+1)·hd
            for r in 0..<rows { (s.attnOut.data + r * D + h * hd).update(repeating: 0, count: hd) }
        }
        BLAS.linear(s.attnOut.data, rows: rows, w.projW, w.projB, into: s.branch.data)  // (NL, D) @ (D, D)ᵀ -> (NL, D)
    }

    /// s.branch = mlp(s.h) = fc2(GELU_tanh(fc1(s.h))).
    static func mlp(_ w: DiTBlockWeights, _ s: RunState, _ c: DiTConfig) {
        let D = c.hiddenSize, H = c.mlpHidden, rows = s.n * c.sequenceLength
        BLAS.linear(s.h.data, rows: rows, w.fc1W, w.fc1B, into: s.mlpHidden.data)  // (NL, D) @ (H, D)ᵀ -> (NL, H)
        Ops.geluTanh(s.mlpHidden.data, count: rows * H)
        BLAS.linear(s.mlpHidden.data, rows: rows, w.fc2W, w.fc2B, into: s.branch.data)  // (NL, H) @ (D, H)ᵀ -> (NL, D)
    }

    /// ‖x‖ of every image token after block `index`, when probed (in-context: its two
    /// conditioning tokens are skipped).
    static func recordTokenNorms(index: Int, _ s: RunState, _ c: DiTConfig) {
        guard !s.probes.tokenNorms.isEmpty else { return }
        let T = c.tokenCount, L = c.sequenceLength, D = c.hiddenSize, skip = L - T
        let norms = s.probes.tokenNorms[index].data
        for n in 0..<s.n {
            for k in 0..<T {
                let row = s.x.data + (n * L + skip + k) * D
                var sum: Float = 0
                for i in 0..<D { sum += row[i] * row[i] }
                norms[n * T + k] = sum.squareRoot()
            }
        }
    }
}
