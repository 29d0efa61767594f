// DDIM (Song et al. 2021) as ddim_sample_loop: deterministic at η = 0, the step's noise scaled
// by σ_η otherwise; ε re-derived from the (possibly clipped) x̂0.

struct DDIMSolver: RespacedSolver {
    let diffusion: GaussianDiffusion
    let eta: Float
    let clip: Bool

    init(steps: Int, eta: Float, clip: Bool, learnSigma: Bool) throws {
        diffusion = try GaussianDiffusion(steps: String(steps), learnSigma: learnSigma)
        self.eta = eta
        self.clip = clip
    }

    func update(_ p: GaussianDiffusion.Prediction, x: Tensor, index i: Int, noise: Tensor) -> Tensor {
        diffusion.ddimStep(p, x: x, index: i, eta: eta, noise: noise)
    }
}
