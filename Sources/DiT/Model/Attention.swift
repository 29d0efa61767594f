// Multi-head self-attention of a DiT block (timm Attention, qkv_bias=True): per sample and head,
// P = softmax(q·kᵀ · head_dim^-1/2), out = P·v. q, k, v are read in place from the (N, T, 3D)
// qkv buffer through BLAS strides (its columns are (3, heads, head_dim)); no per-token copies.
import Dispatch

enum Attention {
    /// qkv (N, T, 3D) -> probabilities scores (N, heads, T, T), out (N, T, D)
    static func apply(qkv: Tensor, scores: Tensor, out: Tensor, n: Int, tokens T: Int, dim D: Int, heads: Int) {
        let hd = D / heads
        let scale = 1 / Float(hd).squareRoot()
        let q = qkv.data, s = scores.data, o = out.data
        let pairs = n * heads
        // Heads are independent: split them over the cores when there is enough work per head.
        let work = { (pair: Int) in
            let b = pair / heads, h = pair % heads
            let base = q + b * T * 3 * D + h * hd
            let sc = s + pair * T * T
            BLAS.gemm(m: T, n: T, k: hd, alpha: scale, base, lda: 3 * D, transB: true, base + D, ldb: 3 * D, sc, ldc: T)  // (T, hd) @ (T, hd)ᵀ -> (T, T)
            Ops.softmaxRows(sc, rows: T, cols: T)
            BLAS.gemm(m: T, n: hd, k: T, sc, lda: T, base + 2 * D, ldb: 3 * D, o + b * T * D + h * hd, ldc: D)  // (T, T) @ (T, hd) -> (T, hd)
        }
        // Each head is a (T, hd) @ (hd, T) and a (T, T) @ (T, hd) product: enough to share out.
        Parallel.chunks(pairs, grain: T * T * hd >= 1 << 18 ? 1 : pairs) { range in
            for pair in range { work(pair) }
        }
    }
}
