// The noise levels of diffusers' discrete-time schedulers (EulerDiscreteScheduler,
// HeunDiscreteScheduler, DPMSolverMultistepScheduler) for DiT's betas, with their dtypes:
//   betas  = torch.linspace(1e-4, 0.02, 1000, float32)        (the scalar path of torch's kernel;
//            its vectorised path differs by 1 ulp (≤ 2e-9) in some entries: σ moves by < 1e-6 relative)
//   ᾱ      = torch.cumprod(1 − betas), accumulated in float64, stored float32
//   σ_t    = √((1 − ᾱ_t) / ᾱ_t), float32, ascending in t = 0…999; log σ float32
// Schedules are built from these in float64 (numpy) and rounded to float32 at the end, as
// set_timesteps does: np.linspace spacing, np.interp, Karras et al. (2022) sigmas (ρ = 7) and
// _sigma_to_t, the log-σ interpolation that turns a σ back into a (fractional) timestep.
import Foundation

public enum DiscreteSigmas {
    public static let numTrainTimesteps = 1000

    /// ᾱ_t, t = 0…999 (float32).
    public static let alphasCumprod: [Float] = {
        let n = numTrainTimesteps
        let start = Float(0.0001), end = Float(0.02), step = (end - start) / Float(n - 1), half = n / 2
        var acc = 1.0
        return (0..<n).map { i in
            let beta = i < half ? start + step * Float(i) : end - step * Float(n - 1 - i)
            acc *= Double(1 - beta)
            return Float(acc)
        }
    }()

    /// σ_t = √((1 − ᾱ) / ᾱ), t = 0…999 (float32).
    public static let sigmas: [Float] = alphasCumprod.map { ((1 - $0) / $0).squareRoot() }
    static let logSigmas: [Float] = sigmas.map { Foundation.log($0) }

    /// np.linspace(a, b, n): i · ((b − a)/(n − 1)) + a, the last exactly b.
    static func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        guard n > 1 else { return n == 1 ? [a] : [] }
        let step = (b - a) / Double(n - 1)
        return (0..<n).map { $0 == n - 1 ? b : Double($0) * step + a }
    }

    /// np.interp(t, arange(1000), σ): σ at a fractional timestep.
    static func sigma(at t: Double) -> Double {
        let last = sigmas.count - 1
        if t <= 0 { return Double(sigmas[0]) }
        if t >= Double(last) { return Double(sigmas[last]) }
        let j = Int(t.rounded(.down))
        let slope = Double(sigmas[j + 1]) - Double(sigmas[j])
        return slope * (t - Double(j)) + Double(sigmas[j])
    }

    /// _convert_to_karras: (σ_max^(1/ρ) + ramp · (σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ, ρ = 7, ramp = linspace(0, 1, n).
    static func karras(sigmaMin: Double, sigmaMax: Double, count n: Int) -> [Double] {
        let rho = 7.0
        let minInv = pow(sigmaMin, 1 / rho), maxInv = pow(sigmaMax, 1 / rho)
        return linspace(0, 1, n).map { pow(maxInv + $0 * (minInv - maxInv), rho) }
    }

    /// _sigma_to_t: the timestep whose log σ is `sigma`'s, interpolated linearly in log σ between
    /// the two neighbouring table entries (w clipped to [0, 1]). low − high is a float32 difference there.
    static func timestep(ofSigma sigma: Double) -> Double {
        let logSigma = Foundation.log(Swift.max(sigma, 1e-10))
        // low_idx: the last index with log σ_i ≤ log σ (0 when none), at most 998
        var low = 0
        for (i, l) in logSigmas.enumerated() where logSigma - Double(l) >= 0 { low = i }
        low = Swift.min(low, logSigmas.count - 2)
        let lo = logSigmas[low], hi = logSigmas[low + 1]
        let w = Swift.min(1, Swift.max(0, (Double(lo) - logSigma) / Double(lo - hi)))
        return (1 - w) * Double(low) + w * Double(low + 1)
    }

    /// The σ and timestep of each of `n` steps, for Euler and Heun (linspace spacing in float32,
    /// σ interpolated; with Karras, σ from the Karras ramp and t from _sigma_to_t, unrounded).
    static func eulerSchedule(steps n: Int, karras: Bool) -> (sigmas: [Double], timesteps: [Float]) {
        let ts = linspace(0, Double(numTrainTimesteps - 1), n).reversed().map { Double(Float($0)) }
        let s = ts.map { sigma(at: $0) }
        guard karras else { return (s, ts.map { Float($0) }) }
        let k = DiscreteSigmas.karras(sigmaMin: s.last!, sigmaMax: s.first!, count: n)
        return (k, k.map { Float(timestep(ofSigma: $0)) })
    }

    /// ᾱ of a noise level: 1 / (1 + σ²).
    static func alphaBar(ofSigma s: Float) -> Double { 1 / (1 + Double(s) * Double(s)) }
}
