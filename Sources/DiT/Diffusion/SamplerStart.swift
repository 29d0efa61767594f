// SDEdit (Meng et al. 2022): instead of pure noise, a trajectory starts from a real image x_0
// noised to the timestep of respaced step k, then runs steps k … K − 1 as usual. The noising is
// q_sample with the ORIGINAL ᾱ of that timestep (timestep_map[i], i = K − 1 − k), the same
// x_t a model saw in training.

public struct SamplerStart: @unchecked Sendable {
    public var x0: Tensor      // (N, C, H, W) the real images
    public var step: Int       // k: the first respaced step run (0 = the noisiest)

    public init(x0: Tensor, step: Int) { self.x0 = x0; self.step = step }

    /// x at step k: q_sample(x_0, timestep_map[K − 1 − k], ε), ε of `shape`.
    func noised(_ eps: Tensor, _ diffusion: GaussianDiffusion, shape: [Int]) throws -> Tensor {
        let total = diffusion.numSteps
        guard step >= 0 && step < total else {
            throw SettingError(.startStep, "\(step)", expected: "a step in 0…\(total - 1) of the \(total)-step schedule")
        }
        guard x0.shape == shape else {
            throw SettingError(.start, "of shape \(x0.shape)", expected: "\(shape) (one row per class label)")
        }
        let t = diffusion.timestepMap[total - 1 - step]
        return try ForwardProcess.linear.qSample(x0: x0, t: Array(repeating: t, count: shape[0]), noise: eps)
    }
}
