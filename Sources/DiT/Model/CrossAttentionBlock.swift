// Fig. 5's "cross-attention" block (training/dit_model.py CrossAttentionBlock), with affine
// LayerNorms and c = [t_emb, y_emb] (N, 2, D) as the keys and values of a cross-attention:
//   x = x + attn(norm1(x));  x = x + cross_attn(norm2(x), c);  x = x + mlp(norm3(x))
// cross_attn: q = Linear(D, D) on x, kv = Linear(D, 2D) on c (first D keys, then values), the
// heads and scale of attn, softmax over the two conditioning tokens, then proj = Linear(D, D).

enum CrossAttentionBlock {
    typealias Weights = (norm1: LayerNormWeights, norm2: LayerNormWeights, norm3: LayerNormWeights,
                         q: LinearWeights, kv: LinearWeights, proj: LinearWeights)

    /// off: what ablations leave out of this block (nil: nothing).
    static func apply(_ w: DiTBlockWeights, _ x: Weights, index: Int, _ s: RunState, _ c: DiTConfig, _ off: BlockAblation? = nil) {
        let N = s.n, T = c.tokenCount, D = c.hiddenSize, rows = N * T
        let add = { Ops.residual(s.x.data, s.branch.data, count: rows * D) }
        BlockParts.branch(off?.attention == true, probed: s.probes.attention[index] != nil, compute: {
            Ops.layerNorm(s.x.data, rows: rows, d: D, weight: x.norm1.weight.data, bias: x.norm1.bias.data, into: s.h.data)
            BlockParts.selfAttention(w, index: index, s, c, zeroing: off?.heads ?? [])
        }, add: add)

        BlockParts.branch(off?.cross == true, probed: s.probes.crossAttention[index] != nil, compute: {
            Ops.layerNorm(s.x.data, rows: rows, d: D, weight: x.norm2.weight.data, bias: x.norm2.bias.data, into: s.h.data)
            crossAttention(x, index: index, s, c)
        }, add: add)

        BlockParts.branch(off?.mlp == true, compute: {
            Ops.layerNorm(s.x.data, rows: rows, d: D, weight: x.norm3.weight.data, bias: x.norm3.bias.data, into: s.h.data)
            BlockParts.mlp(w, s, c)
        }, add: add)
        BlockParts.recordTokenNorms(index: index, s, c)
    }

    /// s.branch (N, T, D) = cross_attn(s.h, s.cond).
    private static func crossAttention(_ x: Weights, index: Int, _ s: RunState, _ c: DiTConfig) {
        let N = s.n, T = c.tokenCount, D = c.hiddenSize, heads = c.numHeads, hd = D / heads
        let scale = 1 / Float(hd).squareRoot()
        BLAS.linear(s.h.data, rows: N * T, x.q.weight, x.q.bias, into: s.crossQ.data)       // (NT, D) @ (D, D)ᵀ
        BLAS.linear(s.cond.data, rows: N * 2, x.kv.weight, x.kv.bias, into: s.crossKV.data)  // (N·2, D) @ (2D, D)ᵀ
        let q = s.crossQ.data, kv = s.crossKV.data, p = s.crossScores.data, o = s.attnOut.data
        for pair in 0..<N * heads {
            let b = pair / heads, h = pair % heads
            let qb = q + b * T * D + h * hd, kb = kv + b * 2 * 2 * D + h * hd, pb = p + pair * T * 2
            BLAS.gemm(m: T, n: 2, k: hd, alpha: scale, qb, lda: D, transB: true, kb, ldb: 2 * D, pb, ldc: 2)            // (T, hd) @ (2, hd)ᵀ -> (T, 2)
            Ops.softmaxRows(pb, rows: T, cols: 2)
            BLAS.gemm(m: T, n: hd, k: 2, pb, lda: 2, kb + D, ldb: 2 * D, o + b * T * D + h * hd, ldc: D)   // (T, 2) @ (2, hd) -> (T, hd)
        }
        if let probe = s.probes.crossAttention[index] { probe.copy(from: s.crossScores) }
        BLAS.linear(s.attnOut.data, rows: N * T, x.proj.weight, x.proj.bias, into: s.branch.data)  // (NT, D) @ (D, D)ᵀ
    }
}
