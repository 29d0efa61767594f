// The forward process q(x_t | x_0) of gaussian_diffusion.py: q_sample,
//   x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε,   ᾱ_t = Π_{s ≤ t} (1 − β_s),
// on the original 1000-step schedule (never respaced: training draws t uniformly from it).
// ᾱ, √ᾱ and √(1 − ᾱ) are float64 tables, as np.cumprod / np.sqrt make them; each coefficient is
// rounded to float32 before it multiplies, as _extract_into_tensor(...).float() does.
import Foundation

public struct ForwardProcess: Sendable {
    public let betas: [Double]                      // (T) β_t
    public let alphasCumprod: [Double]              // (T) ᾱ_t
    public let sqrtAlphasCumprod: [Double]          // (T) √ᾱ_t
    public let sqrtOneMinusAlphasCumprod: [Double]  // (T) √(1 − ᾱ_t)

    public init(betas: [Double]) {
        self.betas = betas
        var p = 1.0
        alphasCumprod = betas.map { p *= 1 - $0; return p }
        sqrtAlphasCumprod = alphasCumprod.map { $0.squareRoot() }
        sqrtOneMinusAlphasCumprod = alphasCumprod.map { (1 - $0).squareRoot() }
    }

    /// The linear schedule the DiT models are trained with (β 1e-4 … 0.02).
    public static let linear = ForwardProcess(betas: GaussianDiffusion.linearBetas())
    /// The cosine schedule of Nichol & Dhariwal 2021, for comparison.
    public static let cosine = ForwardProcess(betas: cosineBetas())

    /// improved-diffusion's betas_for_alpha_bar(n, ᾱ(s) = cos²((s + 0.008) / 1.008 · π/2)):
    /// β_i = min(1 − ᾱ((i + 1)/n) / ᾱ(i/n), max_beta).
    public static func cosineBetas(_ n: Int = GaussianDiffusion.numTrainTimesteps, maxBeta: Double = 0.999) -> [Double] {
        func alphaBar(_ s: Double) -> Double {
            let c = Foundation.cos((s + 0.008) / 1.008 * Double.pi / 2)
            return c * c
        }
        return (0..<n).map { i in min(1 - alphaBar(Double(i + 1) / Double(n)) / alphaBar(Double(i) / Double(n)), maxBeta) }
    }

    public var numTimesteps: Int { betas.count }

    /// Signal-to-noise ratio ᾱ_t / (1 − ᾱ_t).
    public func snr(_ t: Int) -> Double { alphasCumprod[t] / (1 - alphasCumprod[t]) }

    /// Checks timesteps against this schedule, naming `source` (the caller's name for them) on failure.
    public func validate(timesteps t: [Int], source: String = "timesteps") throws {
        if let bad = t.first(where: { $0 < 0 || $0 >= numTimesteps }) {
            throw DiTError(file: source, field: "\(bad)", "expected timesteps in 0…\(numTimesteps - 1)")
        }
    }

    /// q_sample: row n of x0 (N, C, H, W) noised to timestep t[n] with row n of noise -> x_t (N, C, H, W).
    /// `names` are the caller's names for the noise and the timesteps in messages (the CLI: its flags).
    public func qSample(x0: Tensor, t: [Int], noise: Tensor,
                        names: (noise: String, timesteps: String) = ("noise", "timesteps")) throws -> Tensor {
        guard x0.shape.count >= 1, noise.shape == x0.shape else {
            throw DiTError(file: names.noise, field: "shape", "expected the shape of x_0 \(x0.shape), found \(noise.shape)")
        }
        let n = x0.shape[0]
        guard t.count == n else { throw DiTError(file: names.timesteps, "expected \(n) timesteps (one per row of x_0), found \(t.count)") }
        try validate(timesteps: t, source: names.timesteps)
        let xt = Tensor(x0.shape)                                         // (N, C, H, W)
        let plane = n == 0 ? 0 : x0.count / n
        for (row, step) in t.enumerated() {
            let a = Float(sqrtAlphasCumprod[step]), b = Float(sqrtOneMinusAlphasCumprod[step])
            for j in row * plane..<(row + 1) * plane { xt.data[j] = a * x0.data[j] + b * noise.data[j] }
        }
        return xt
    }
}
