// Ancestral DDPM (Ho et al. 2020) as p_sample_loop: the posterior mean plus the model's
// (learned-range) variance times the step's noise, none at the last step.

struct DDPMSolver: RespacedSolver {
    let diffusion: GaussianDiffusion
    let clip: Bool

    init(steps: Int, clip: Bool, learnSigma: Bool) throws {
        diffusion = try GaussianDiffusion(steps: String(steps), learnSigma: learnSigma)
        self.clip = clip
    }

    func update(_ p: GaussianDiffusion.Prediction, x: Tensor, index i: Int, noise: Tensor) -> Tensor {
        diffusion.ddpmStep(p, index: i, noise: noise)
    }
}
