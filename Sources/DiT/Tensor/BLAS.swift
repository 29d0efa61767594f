// The one place that calls OpenBLAS. Weights are PyTorch Linear layout (out, in), so a Linear
// is y = x·Wᵀ + b: sgemm with transB.
//
// Threading: OpenBLAS runs single-threaded and the forward pass shares work out itself
// (Parallel): a Linear is split over the cores by output columns or rows. OpenBLAS's own pool
// spins (sched_yield) between calls and fought the threads of the element-wise stages; with
// one owner of the cores, nothing spins.
import CKernels
import COpenBLAS

public enum BLAS {
    /// OpenBLAS's own threading off: called once before the first forward pass.
    static let singleThreaded: Void = { openblas_set_num_threads(1) }()

    /// y (rows, out) = x (rows, in) @ w (out, in)ᵀ + b (out), split over the cores when large.
    @inline(__always)
    public static func linear(_ x: UnsafePointer<Float>, rows: Int, in inF: Int,
                              _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, out outF: Int,
                              into y: UnsafeMutablePointer<Float>, ldy: Int? = nil) {
        let byColumns = outF >= rows, ld = ldy ?? outF
        Parallel.chunks(byColumns ? outF : rows, grain: max(16, (1 << 19) / max(1, inF * (byColumns ? rows : outF)))) { r in
            if byColumns {  // y[:, r] = x @ w[r]ᵀ + b[r]
                linearSerial(x, rows: rows, in: inF, w + r.lowerBound * inF, b.map { $0 + r.lowerBound },
                             out: r.count, ldy: ld, into: y + r.lowerBound)
            } else {        // y[r] = x[r] @ wᵀ + b
                linearSerial(x + r.lowerBound * inF, rows: r.count, in: inF, w, b, out: outF, ldy: ld,
                             into: y + r.lowerBound * ld)
            }
        }
    }

    /// y (rows, out) = x (rows, in) @ w (out, in)ᵀ + b (out): through the engine's kernel when the
    /// weight was packed at load (every Linear of a DiT, Tensor.panels), else as above.
    /// `ldy`: the row stride of y (default: out).
    @inline(__always)
    public static func linear(_ x: UnsafePointer<Float>, rows: Int, _ w: Tensor, _ b: Tensor?,
                              into y: UnsafeMutablePointer<Float>, ldy: Int? = nil) {
        let outF = w.shape[0], inF = w.count / max(1, outF)
        Profile.time("GEMM \(rows)×\(outF)×\(inF)") {
            if let p = w.panels {
                GEMM.run(m: rows, x, lda: inF, p, bias: b?.data, y, ldc: ldy ?? outF)
            } else {
                linear(x, rows: rows, in: inF, w.data, b?.data, out: outF, into: y, ldy: ldy)
            }
        }
    }

    /// Few rows (DiT-S/8 has 16 tokens a sample): OpenBLAS would repack the whole weight matrix
    /// for a handful of rows, so a kernel that streams each weight row once takes over.
    static let smallKernel = dit_small_gemm_available() != 0
    static let smallRows = 48

    @inline(__always)
    static func linearSerial(_ x: UnsafePointer<Float>, rows: Int, in inF: Int,
                             _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, out outF: Int, ldy: Int,
                             into y: UnsafeMutablePointer<Float>) {
        if rows <= smallRows && smallKernel {
            dit_small_gemm_nt(Int32(rows), Int32(outF), Int32(inF), x, Int32(inF), w, Int32(inF), b, y, Int32(ldy))
            return
        }
        if let b {
            for r in 0..<rows { (y + r * ldy).update(from: b, count: outF) }
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(rows), Int32(outF), Int32(inF),
                    1, x, Int32(inF), w, Int32(inF),
                    b == nil ? 0 : 1, y, Int32(ldy))
    }

    /// c (m, n) = alpha · op(a) @ op(b) + beta · c, row-major: a is (m, k) with row stride lda, or
    /// (k, m) when `transA`; b is (k, n) with row stride ldb, or (n, k) when `transB`.
    @inline(__always)
    public static func gemm(m: Int, n: Int, k: Int, alpha: Float = 1, transA: Bool = false, _ a: UnsafePointer<Float>, lda: Int,
                            transB: Bool = false, _ b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
                            _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// c (m, n) = w (m, k) @ x (k, n) + bias (m, one per row) (+ c when accumulating), contiguous, split
    /// over the cores by columns: a Linear or 1×1 conv applied to channel-first (C, H·W) planes.
    public static func gemmNNColumns(m: Int, n: Int, k: Int, _ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                     bias: UnsafePointer<Float>?, accumulate: Bool = false, _ c: UnsafeMutablePointer<Float>) {
        Parallel.chunks(n, grain: max(64, (1 << 18) / max(1, m * k))) { r in
            if let bias {
                for row in 0..<m {
                    let dst = c + row * n + r.lowerBound
                    if accumulate { for j in 0..<r.count { dst[j] += bias[row] } } else { dst.update(repeating: bias[row], count: r.count) }
                }
            }
            gemm(m: m, n: r.count, k: k, w, lda: k, x + r.lowerBound, ldb: n,
                   beta: accumulate || bias != nil ? 1 : 0, c + r.lowerBound, ldc: n)
        }
    }

    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }
}
