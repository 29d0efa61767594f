// The one place that calls LAPACK (Debian's OpenBLAS exports it): the symmetric eigensolver
// dsyev, for the Fréchet distance's matrix square roots.
import COpenBLAS

public enum LAPACK {
    /// Eigenvalues (ascending) and eigenvectors of the symmetric n × n matrix `a` (row-major; only
    /// its upper triangle in LAPACK's column-major sense is read). Returns the eigenvectors as the
    /// rows of `vectors` (vectors[j·n ..< (j+1)·n] belongs to values[j]).
    public static func symmetricEigen(_ a: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        precondition(a.count == n * n, "symmetricEigen: \(a.count) values for n = \(n)")
        guard n > 0 else { return ([], []) }
        var m = a, w = [Double](repeating: 0, count: n)
        var nn = Int32(n), lda = Int32(n), info: Int32 = 0, lwork: Int32 = -1, query = 0.0
        // Workspace query first, then the decomposition ("V": vectors too, "U": upper triangle).
        dsyev_("V", "U", &nn, &m, &lda, &w, &query, &lwork, &info)
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_("V", "U", &nn, &m, &lda, &w, &work, &lwork, &info)
        guard info == 0 else {
            throw DiTError(file: "LAPACK dsyev", field: "info", "eigendecomposition failed (info \(info)); expected 0")
        }
        return (w, m)  // column-major columns = row-major rows
    }

    /// c (m, n) = alpha · aᵀ (m, k) @ b (k, n), with a stored (k, m) row-major: Σ over the rows of a and b.
    public static func gramTN(_ a: [Double], _ b: [Double], k: Int, m: Int, n: Int, alpha: Double = 1) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(m), b, Int32(n), 0, &c, Int32(n))
        return c
    }

    /// c (m, n) = a (m, k) @ b (k, n), row-major.
    public static func gemm(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        return c
    }
}
