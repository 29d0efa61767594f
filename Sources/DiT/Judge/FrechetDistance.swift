// The Fréchet distance between two Gaussians fitted to features (Heusel et al. 2017, FID):
//   d² = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁ Σ₂)^½
// The trace of the square root is taken without a general sqrtm: Σ₁Σ₂ is similar to the
// symmetric positive semi-definite M = Σ₁^½ Σ₂ Σ₁^½, so tr (Σ₁Σ₂)^½ = Σ √λᵢ(M). Both square roots
// come from symmetric eigendecompositions (LAPACK dsyev), with eigenvalues below zero (rounding)
// clamped to 0. Equal to pytorch-fid's scipy.linalg.sqrtm computation to float64 rounding.

/// A Gaussian fitted to feature vectors: mean (F,) and covariance (F, F), float64.
public struct FeatureGaussian: Sendable {
    public let dim: Int
    public let mu: [Double]      // (F,)
    public let sigma: [Double]   // (F, F) row-major, np.cov (ddof = 1)

    public init(mu: [Double], sigma: [Double]) {
        precondition(sigma.count == mu.count * mu.count, "FeatureGaussian: Σ must be (F, F) for μ (F,)")
        dim = mu.count; self.mu = mu; self.sigma = sigma
    }

    /// Fits rows of `features` (N, F); N ≥ 2.
    public init(features: Tensor) throws {
        guard features.shape.count == 2, features.shape[0] >= 2 else {
            throw DiTError(file: "features", field: "shape", "expected (N ≥ 2, F), found \(features.shape)")
        }
        let n = features.shape[0], f = features.shape[1]
        var mu = [Double](repeating: 0, count: f)
        for r in 0..<n { for j in 0..<f { mu[j] += Double(features.data[r * f + j]) } }
        for j in 0..<f { mu[j] /= Double(n) }
        var centred = [Double](repeating: 0, count: n * f)   // (N, F)
        for r in 0..<n { for j in 0..<f { centred[r * f + j] = Double(features.data[r * f + j]) - mu[j] } }
        self.init(mu: mu, sigma: LAPACK.gramTN(centred, centred, k: n, m: f, n: f, alpha: 1 / Double(n - 1)))
    }
}

public enum FrechetDistance {
    public static func distance(_ a: FeatureGaussian, _ b: FeatureGaussian) throws -> Double {
        guard a.dim == b.dim else {
            throw DiTError(file: "features", field: "dim", "expected Gaussians of one dimension, found \(a.dim) and \(b.dim)")
        }
        let f = a.dim
        var meanTerm = 0.0, traces = 0.0
        for j in 0..<f {
            meanTerm += (a.mu[j] - b.mu[j]) * (a.mu[j] - b.mu[j])
            traces += a.sigma[j * f + j] + b.sigma[j * f + j]
        }
        let rootA = try squareRoot(a.sigma, n: f)                                    // Σ₁^½
        let m = LAPACK.gemm(LAPACK.gemm(rootA, b.sigma, m: f, k: f, n: f), rootA, m: f, k: f, n: f)
        let eig = try LAPACK.symmetricEigen(symmetrised(m, n: f), n: f).values
        let traceRoot = eig.reduce(0) { $0 + Swift.max($1, 0).squareRoot() }
        return meanTerm + traces - 2 * traceRoot
    }

    /// The symmetric PSD square root V diag(√λ) Vᵀ = Bᵀ B with B's rows λⱼ^¼ vⱼ.
    static func squareRoot(_ s: [Double], n: Int) throws -> [Double] {
        let (values, vectors) = try LAPACK.symmetricEigen(symmetrised(s, n: n), n: n)
        var b = vectors
        for j in 0..<n {
            let w = Swift.max(values[j], 0).squareRoot().squareRoot()
            for i in 0..<n { b[j * n + i] *= w }
        }
        return LAPACK.gramTN(b, b, k: n, m: n, n: n)
    }

    /// (M + Mᵀ) / 2: removes the rounding asymmetry of products before an eigensolver that reads one triangle.
    static func symmetrised(_ m: [Double], n: Int) -> [Double] {
        var s = m
        for i in 0..<n { for j in 0..<n { s[i * n + j] = 0.5 * (m[i * n + j] + m[j * n + i]) } }
        return s
    }
}
