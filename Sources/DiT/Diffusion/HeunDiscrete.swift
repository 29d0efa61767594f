// Heun's second-order method (Karras et al. 2022, Algorithm 1 without churn) exactly as
// diffusers' HeunDiscreteScheduler with prediction_type "epsilon", timestep_spacing "linspace"
// (its schedule is Euler's: EulerDiscrete.swift). The scheduler interleaves each timestep twice;
// here one step k does both halves:
//   Euler     x̂0 = x − σ_k ε̂(x, t_k),  d = (x − x̂0)/σ_k,  x̃ = x + d (σ_{k+1} − σ_k)
//   corrector x̂0' = x̃ − σ_{k+1} ε̂(x̃, t_{k+1}),  d' = (x̃ − x̂0')/σ_{k+1},  x ← x + ½(d + d')(σ_{k+1} − σ_k)
// The last step (σ_K = 0) is the Euler half alone: 2K − 1 network evaluations in all. The
// record keeps the first evaluation's x̂0 and ε̂; nothing is carried between steps.

struct HeunDiscrete: VarianceExplodingSolver {
    let sigmas: [Float]
    let timesteps: [Float]
    var networkEvaluations: Int { 2 * stepCount - 1 }

    func step(_ k: Int, state x: Tensor, xt: Tensor, history: [StepRecord], noise: Tensor, model: Denoise) throws -> SolverStep {
        var (step, d) = try eulerStep(k, state: x, xt: xt, model: model)
        guard k + 1 < stepCount else { return step }           // σ_K = 0: the Euler half alone
        let next = step.next, sigmaNext = sigmas[k + 1], dt = sigmaNext - sigmas[k]
        let e2 = try model(modelInput(next, step: k + 1), timesteps[k + 1])
        let d2 = derivative(next, eps: e2.eps(channels: x.shape[1]), sigma: sigmaNext).d
        for i in 0..<x.count { next.data[i] = x.data[i] + ((d.data[i] + d2.data[i]) / 2) * dt }
        step.nfe = 2
        return step
    }
}
