// Euler's method on the probability-flow ODE (Karras et al. 2022, Algorithm 1 without churn)
// exactly as diffusers' EulerDiscreteScheduler with prediction_type "epsilon",
// timestep_spacing "linspace", interpolation_type "linear", final_sigmas_type "zero":
//   timesteps  linspace(0, 999, K) reversed, float32 (fractional); σ_k = interp(t_k), σ_K = 0
//   Karras     σ from the Karras ramp between σ(t_{K−1}) and σ(t_0), t_k = _sigma_to_t(σ_k), unrounded
//   state x = x_t √(1 + σ²), x_T = z · max σ; the model sees x / √(σ_k² + 1) at t_k
//   x̂0 = x − σ_k ε̂,  d = (x − x̂0)/σ_k,  x ← x + d (σ_{k+1} − σ_k)
// One network evaluation per step; nothing is carried between steps.

struct EulerDiscrete: VarianceExplodingSolver {
    let sigmas: [Float]
    let timesteps: [Float]

    func step(_ k: Int, state x: Tensor, xt: Tensor, history: [StepRecord], noise: Tensor, model: Denoise) throws -> SolverStep {
        try eulerStep(k, state: x, xt: xt, model: model).step
    }
}
