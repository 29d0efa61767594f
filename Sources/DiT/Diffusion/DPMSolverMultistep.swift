// DPM-Solver++(2M) (Lu et al. 2022) exactly as diffusers' DPMSolverMultistepScheduler with
// algorithm_type "dpmsolver++", solver_order 2, solver_type "midpoint", lower_order_final,
// final_sigmas_type "zero", prediction_type "epsilon", timestep_spacing "linspace":
//   timesteps  round(linspace(0, 999, K + 1))[::-1][:-1] (integers); σ_k = σ(t_k), then σ_K = 0
//   Karras     σ from the Karras ramp between σ(0) and σ(999), t_k = round(_sigma_to_t(σ_k))
//   α_k = 1/√(σ_k² + 1), s_k = σ_k α_k, λ_k = log α_k − log s_k (float32, as the scheduler's tensors)
//   x̂0 = (x − s_k ε̂) / α_k                                          (convert_model_output)
//   thresholding (off by default; sample_max_value 1): the quantile s of |x̂0| is clamped to
//   [1, 1], so x̂0 ← clamp(x̂0, −1, 1) / 1, whatever dynamic_thresholding_ratio is
//   h = λ_{k+1} − λ_k
//   first step and last step: x ← (s_{k+1}/s_k) x − α_{k+1}(e^{−h} − 1) x̂0_k          (DDIM-like)
//   otherwise, r = (λ_k − λ_{k−1}) / h, D1 = (1/r)(x̂0_k − x̂0_{k−1}):
//              x ← (s_{k+1}/s_k) x − α_{k+1}(e^{−h} − 1) x̂0_k − ½ α_{k+1}(e^{−h} − 1) D1
// The state is x_t itself (init_noise_sigma 1, scale_model_input the identity). The one thing
// the multistep method remembers, x̂0 of step k − 1, is the x̂0 kept in history[k − 1]: a branch
// at step k keeps records 0..<k, so the second-order step reads the same x̂0_{k−1} as an
// uninterrupted run, and at k = 0 (a restart from x_T) it takes the first-order step, as the
// scheduler's lower_order_nums does.
import Foundation

struct DPMSolverMultistep: VariancePreservingSolver {
    let sigmas: [Float]        // K + 1, the last 0
    let timesteps: [Float]
    let thresholding: Bool

    init(steps n: Int, karras: Bool, thresholding: Bool = false) {
        self.thresholding = thresholding
        let table = DiscreteSigmas.sigmas, top = Double(DiscreteSigmas.numTrainTimesteps - 1)
        var s: [Double], t: [Double]
        if karras {
            s = DiscreteSigmas.karras(sigmaMin: Double(table[0]), sigmaMax: Double(table.last!), count: n)
            t = s.map { DiscreteSigmas.timestep(ofSigma: $0).rounded(.toNearestOrEven) }
        } else {
            t = DiscreteSigmas.linspace(0, top, n + 1).reversed().dropLast().map { $0.rounded(.toNearestOrEven) }
            s = t.map { Double(table[Int($0)]) }
        }
        sigmas = s.map(Float.init) + [0]
        timesteps = t.map(Float.init)
    }

    var alphaBars: [Double] { sigmas.dropLast().map(DiscreteSigmas.alphaBar(ofSigma:)) }

    /// _sigma_to_alpha_sigma_t and λ = log α − log σ, in float32.
    private func alphaSigmaLambda(_ k: Int) -> (alpha: Float, sigma: Float, lambda: Float) {
        let alpha = 1 / (sigmas[k] * sigmas[k] + 1).squareRoot(), sigma = sigmas[k] * alpha
        return (alpha, sigma, Foundation.log(alpha) - Foundation.log(sigma))
    }

    func step(_ k: Int, state x: Tensor, xt: Tensor, history: [StepRecord], noise: Tensor, model: Denoise) throws -> SolverStep {
        let e = try model(xt, timesteps[k])
        let eps = e.eps(channels: x.shape[1])
        let s0 = alphaSigmaLambda(k), t = alphaSigmaLambda(k + 1)
        let x0 = Tensor(x.shape)
        for i in 0..<x.count { x0.data[i] = (x.data[i] - s0.sigma * eps.data[i]) / s0.alpha }
        if thresholding { for i in 0..<x.count { x0.data[i] = Swift.min(1, Swift.max(-1, x0.data[i])) } }
        let h = t.lambda - s0.lambda
        let c = t.alpha * (expf(-h) - 1), ratio = t.sigma / s0.sigma
        let next = Tensor.combine(ratio, x, -c, x0)          // first order: the first and the last step
        if k > 0 && k < stepCount - 1 {                      // second order, with x̂0 of step k − 1
            let m1 = history[k - 1].predXstart, s1 = alphaSigmaLambda(k - 1)
            let c2 = 0.5 * c, invR = 1 / ((s0.lambda - s1.lambda) / h)
            for i in 0..<x.count { next.data[i] -= c2 * (invR * (x0.data[i] - m1.data[i])) }
        }
        return SolverStep(next: next, predXstart: x0, eps: eps, logVariance: nil, evaluation: e, nfe: 1)
    }
}
