// The VAE mid-block's self-attention: diffusers Attention(query_dim=C, heads=1, dim_head=C,
// norm_num_groups, residual_connection=True, _from_deprecated_attn_block=True) run by its
// AttnProcessor on a (C, H, W) map seen as H·W tokens of C channels:
//   h = group_norm(x)                                  (C, HW)
//   q, k, v = to_q(h), to_k(h), to_v(h)                (C, HW) each, Linear over channels
//   o = v · softmax(qᵀk / √C)ᵀ                         (C, HW)
//   out = to_out.0(o) + x                              (C, HW)
// Older checkpoints call the Linears query / key / value / proj_attn (diffusers renames them
// when loading); the original LDM stored them as 1×1 convs (C, C, 1, 1). Both are read.

struct AttentionBlock {
    let groupNorm: GroupNorm
    let toQ: Tensor, toQBias: Tensor        // PREFIX.to_q       (C, C), (C)
    let toK: Tensor, toKBias: Tensor        // PREFIX.to_k
    let toV: Tensor, toVBias: Tensor        // PREFIX.to_v
    let toOut: Tensor, toOutBias: Tensor    // PREFIX.to_out.0
    let channels: Int

    /// Floats of scores one core holds at a time (4 MB).
    static let scoreBudget = 1 << 20

    init(_ r: WeightReader, _ prefix: String, channels c: Int, groups: Int) throws {
        groupNorm = try GroupNorm(r, prefix + ".group_norm", channels: c, groups: groups)
        func linear(_ name: String, _ old: String) throws -> (Tensor, Tensor) {
            (try r.tensor("\(prefix).\(name).weight", [c, c], aliases: ["\(prefix).\(old).weight"], equivalent: [[c, c, 1, 1]]),
             try r.tensor("\(prefix).\(name).bias", [c], aliases: ["\(prefix).\(old).bias"]))
        }
        (toQ, toQBias) = try linear("to_q", "query")
        (toK, toKBias) = try linear("to_k", "key")
        (toV, toVBias) = try linear("to_v", "value")
        (toOut, toOutBias) = try linear("to_out.0", "proj_attn")
        channels = c
    }

    /// out (C, h, w) = attention(x (C, h, w)) + x; uses slots t1, t2, t3, scores.
    func forward(_ x: UnsafePointer<Float>, _ h: Int, _ w: Int, _ s: VAEScratch, into out: UnsafeMutablePointer<Float>) {
        let C = channels, T = h * w
        let hn = s(.t1, C * T), q = s(.t2, C * T), k = s(.t3, C * T), v = out   // v lives in out until o is made
        groupNorm.forward(x, hw: T, silu: false, into: hn)
        BLAS.gemmNNColumns(m: C, n: T, k: C, toQ.data, hn, bias: toQBias.data, q)     // (C, C) @ (C, T) -> (C, T)
        BLAS.gemmNNColumns(m: C, n: T, k: C, toK.data, hn, bias: toKBias.data, k)
        BLAS.gemmNNColumns(m: C, n: T, k: C, toV.data, hn, bias: toVBias.data, v)
        let o = hn                                                                      // (C, T), hn no longer needed
        let rows = max(1, min((T + Parallel.cores - 1) / Parallel.cores, AttentionBlock.scoreBudget / T))
        let bands = (T + rows - 1) / rows
        let scores = s(.scores, Parallel.cores * rows * T)
        let scale = 1 / Float(C).squareRoot()
        Parallel.indexedChunks(bands, grain: 1) { part, range in
            let sc = scores + part * rows * T
            for band in range {
                let r0 = band * rows, n = min(T, r0 + rows) - r0
                BLAS.gemm(m: n, n: T, k: C, alpha: scale, transA: true, q + r0, lda: T, k, ldb: T, sc, ldc: T)   // (C, n)ᵀ @ (C, T) -> (n, T)
                Ops.softmaxRows(sc, rows: n, cols: T)
                BLAS.gemm(m: C, n: n, k: T, v, lda: T, transB: true, sc, ldb: T, o + r0, ldc: T)                  // (C, T) @ (n, T)ᵀ -> (C, n)
            }
        }
        out.update(from: x, count: C * T)                                                // the residual
        BLAS.gemmNNColumns(m: C, n: T, k: C, toOut.data, o, bias: toOutBias.data, accumulate: true, out)
    }
}
