// Gaussian diffusion as DiT's diffusion/gaussian_diffusion.py and respace.py define it:
// linear betas (1e-4 … 0.02 over 1000 steps, float64), respaced to the kept timesteps by
// recomputing betas from ᾱ, and p_mean_variance with learned-range or fixed-large variance.
// Per-step coefficients are float64 here and rounded to float32 where used, as the reference's
// _extract_into_tensor does; the model always sees the original timestep (timestep_map).
import Foundation

public struct GaussianDiffusion: Sendable {
    public let timestepMap: [Int]          // respaced index -> original timestep
    public let betas: [Double]             // respaced betas
    public let alphasCumprod: [Double]     // ᾱ
    public let alphasCumprodPrev: [Double]
    public let learnSigma: Bool
    let sqrtRecipAlphasCumprod: [Double]   // √(1/ᾱ)
    let sqrtRecipm1AlphasCumprod: [Double] // √(1/ᾱ − 1)
    let posteriorVariance: [Double]
    let posteriorLogVarianceClipped: [Double]
    let posteriorMeanCoef1: [Double]
    let posteriorMeanCoef2: [Double]
    let fixedLargeLogVariance: [Double]    // log(append(posterior_variance[1], betas[1:]))

    public static let numTrainTimesteps = 1000

    /// np.linspace(1e-4 · s, 0.02 · s, n) with s = 1000 / n.
    public static func linearBetas(_ n: Int = numTrainTimesteps) -> [Double] {
        let scale = 1000 / Double(n)
        let start = scale * 0.0001, end = scale * 0.02
        if n == 1 { return [start] }
        let step = (end - start) / Double(n - 1)
        return (0..<n).map { i in i == n - 1 ? end : start + Double(i) * step }
    }

    /// The diffusion restricted to the timesteps kept by space_timesteps(1000, steps).
    public init(steps: String, learnSigma: Bool) throws {
        let base = GaussianDiffusion.linearBetas()
        try self.init(useTimesteps: Respacing.spaceTimesteps(base.count, steps), baseBetas: base, learnSigma: learnSigma)
    }

    public init(useTimesteps: [Int], baseBetas: [Double], learnSigma: Bool) throws {
        var cumprod = 1.0, last = 1.0
        var newBetas: [Double] = [], map: [Int] = []
        let keep = Set(useTimesteps)
        for (i, beta) in baseBetas.enumerated() {
            cumprod *= 1 - beta
            if keep.contains(i) {
                newBetas.append(1 - cumprod / last)
                last = cumprod
                map.append(i)
            }
        }
        self.init(betas: newBetas, timestepMap: map, learnSigma: learnSigma)
    }

    public init(betas: [Double], timestepMap: [Int], learnSigma: Bool) {
        self.betas = betas
        self.timestepMap = timestepMap
        self.learnSigma = learnSigma
        var ac: [Double] = []
        var p = 1.0
        for b in betas { p *= 1 - b; ac.append(p) }
        alphasCumprod = ac
        alphasCumprodPrev = [1.0] + ac.dropLast()
        sqrtRecipAlphasCumprod = ac.map { (1 / $0).squareRoot() }
        sqrtRecipm1AlphasCumprod = ac.map { (1 / $0 - 1).squareRoot() }
        let pv = zip(betas, zip(ac, alphasCumprodPrev)).map { b, a in b * (1 - a.1) / (1 - a.0) }
        posteriorVariance = pv
        // log of the posterior variance, its first (zero) entry replaced by the second
        posteriorLogVarianceClipped = pv.count > 1 ? ([pv[1]] + pv.dropFirst()).map { Foundation.log($0) } : []
        posteriorMeanCoef1 = zip(betas, zip(ac, alphasCumprodPrev)).map { b, a in b * a.1.squareRoot() / (1 - a.0) }
        posteriorMeanCoef2 = zip(betas, zip(ac, alphasCumprodPrev)).map { b, a in (1 - a.1) * (1 - b).squareRoot() / (1 - a.0) }
        fixedLargeLogVariance = pv.count > 1 ? ([pv[1]] + betas.dropFirst()).map { Foundation.log($0) } : betas.map { Foundation.log($0) }
    }

    public var numSteps: Int { betas.count }

    /// What p_mean_variance returns for one step, all (N, C, H, W).
    public struct Prediction {
        public var mean: Tensor
        public var logVariance: Tensor
        public var predXstart: Tensor
        public var eps: Tensor          // the model's ε prediction (guided when guidance is on)
        /// Learned range only: v = (model_var_values + 1) / 2, log σ² = v · log β_t + (1 − v) · log β̃_t.
        public var varianceFraction: Tensor? = nil
    }

    /// The learned range at respaced index i: log β̃_t (clipped posterior) … log β_t.
    public func logVarianceBounds(index i: Int) -> ClosedRange<Double> {
        let lo = posteriorLogVarianceClipped.isEmpty ? fixedLargeLogVariance[i] : posteriorLogVarianceClipped[i]
        let hi = Foundation.log(betas[i])
        return min(lo, hi)...max(lo, hi)
    }

    /// p_mean_variance for model output `out` (N, outC, H, W) at respaced index `i` and state x.
    public func pMeanVariance(modelOutput out: Tensor, x: Tensor, index i: Int, clip: Bool) -> Prediction {
        let n = x.shape[0], C = x.shape[1], hw = x.shape[2] * x.shape[3], plane = C * hw
        let outPlane = out.shape[1] * hw
        let mean = Tensor(x.shape), logVar = Tensor(x.shape), x0 = Tensor(x.shape), eps = Tensor(x.shape)
        let fraction = learnSigma ? Tensor(x.shape) : nil
        let minLog = Float(posteriorLogVarianceClipped.isEmpty ? 0 : posteriorLogVarianceClipped[i])
        let maxLog = Float(Foundation.log(betas[i]))
        let fixedLog = Float(fixedLargeLogVariance[i])
        let rA = Float(sqrtRecipAlphasCumprod[i]), rB = Float(sqrtRecipm1AlphasCumprod[i])
        let c1 = Float(posteriorMeanCoef1[i]), c2 = Float(posteriorMeanCoef2[i])
        for s in 0..<n {
            for j in 0..<plane {
                let e = out.data[s * outPlane + j]
                let xt = x.data[s * plane + j]
                eps.data[s * plane + j] = e
                if learnSigma {
                    // learned range: interpolate between log β_t and the clipped posterior log variance
                    let frac = (out.data[s * outPlane + plane + j] + 1) / 2
                    fraction?.data[s * plane + j] = frac
                    logVar.data[s * plane + j] = frac * maxLog + (1 - frac) * minLog
                } else {
                    logVar.data[s * plane + j] = fixedLog
                }
                var p = rA * xt - rB * e                     // x0 from ε
                if clip { p = Swift.min(1, Swift.max(-1, p)) }
                x0.data[s * plane + j] = p
                mean.data[s * plane + j] = c1 * p + c2 * xt  // posterior mean q(x_{t-1} | x_t, x0)
            }
        }
        return Prediction(mean: mean, logVariance: logVar, predXstart: x0, eps: eps, varianceFraction: fraction)
    }

    /// Ancestral DDPM step: x_{t-1} = mean + [i > 0] · exp(½ log σ²) · z
    public func ddpmStep(_ p: Prediction, index i: Int, noise z: Tensor) -> Tensor {
        let out = Tensor(p.mean.shape)
        let mask: Float = i == 0 ? 0 : 1
        for j in 0..<out.count {
            out.data[j] = p.mean.data[j] + mask * expf(0.5 * p.logVariance.data[j]) * z.data[j]
        }
        return out
    }

    /// DDIM step with η (ddim_sample): ε is re-derived from the (possibly clipped) x0.
    public func ddimStep(_ p: Prediction, x: Tensor, index i: Int, eta: Float, noise z: Tensor) -> Tensor {
        let out = Tensor(x.shape)
        let ab = Float(alphasCumprod[i]), abPrev = Float(alphasCumprodPrev[i])
        let rA = Float(sqrtRecipAlphasCumprod[i]), rB = Float(sqrtRecipm1AlphasCumprod[i])
        let sigma = eta * ((1 - abPrev) / (1 - ab)).squareRoot() * (1 - ab / abPrev).squareRoot()
        let cX0 = abPrev.squareRoot(), cEps = (1 - abPrev - sigma * sigma).squareRoot()
        let mask: Float = i == 0 ? 0 : 1
        for j in 0..<out.count {
            let eps = (rA * x.data[j] - p.predXstart.data[j]) / rB
            out.data[j] = p.predXstart.data[j] * cX0 + cEps * eps + mask * sigma * z.data[j]
        }
        return out
    }
}

/// DDPM and DDIM behind the Solver protocol: the respaced diffusion's timesteps (timestep_map,
/// K−1 … 0), p_mean_variance on the model output, and each its own update (DDPMSolver.swift,
/// DDIMSolver.swift). x_t is the state; the step's noise is drawn whether used or not.
protocol RespacedSolver: VariancePreservingSolver {
    var diffusion: GaussianDiffusion { get }
    var clip: Bool { get }
    /// x_{t−1} from p_mean_variance's prediction at respaced index i.
    func update(_ p: GaussianDiffusion.Prediction, x: Tensor, index i: Int, noise: Tensor) -> Tensor
}

extension RespacedSolver {
    public var timesteps: [Float] { diffusion.timestepMap.reversed().map(Float.init) }
    public var alphaBars: [Double] { diffusion.alphasCumprod.reversed() }

    public func step(_ k: Int, state x: Tensor, xt: Tensor, history: [StepRecord], noise: Tensor, model: Denoise) throws -> SolverStep {
        let i = diffusion.numSteps - 1 - k
        let e = try model(x, Float(diffusion.timestepMap[i]))
        let p = diffusion.pMeanVariance(modelOutput: e.output, x: x, index: i, clip: clip)
        return SolverStep(next: update(p, x: x, index: i, noise: noise), predXstart: p.predXstart, eps: p.eps,
                          logVariance: p.logVariance, varianceFraction: p.varianceFraction, evaluation: e, nfe: 1)
    }
}
