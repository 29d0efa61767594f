// A steppable sampler (the explorer's engine): each step() runs one denoising step of DDPM or
// DDIM and keeps what it saw (x_t, x̂0, ε̂, variance, t) in the history; branch(at:) restarts
// from any step k with other settings, keeping steps 0..<k. Mirrors the loops of
// gaussian_diffusion.py p_sample_loop_progressive / ddim_sample_loop_progressive: respaced
// indices run K−1 … 0, and every step draws noise, used or not.

public enum SamplerKind: String, CaseIterable, Sendable { case ddim, ddpm }

public struct SamplerSettings: Equatable, Sendable {
    public var kind: SamplerKind = .ddim
    public var steps: Int = 50
    public var eta: Float = 0            // DDIM only
    public var cfgScale: Float = 4       // 1 = no guidance
    public var clip = true               // clip x̂0 to [-1, 1]
    public var labels: [Int] = [0]
    public var seed: UInt64 = 0

    public init(kind: SamplerKind = .ddim, steps: Int = 50, eta: Float = 0, cfgScale: Float = 4,
                clip: Bool = true, labels: [Int] = [0], seed: UInt64 = 0) {
        self.kind = kind; self.steps = steps; self.eta = eta; self.cfgScale = cfgScale
        self.clip = clip; self.labels = labels; self.seed = seed
    }
}

/// One denoising step as the explorer shows it. Tensors are (N, C, H, W).
public struct StepRecord: @unchecked Sendable {
    public var k: Int                 // 0 = first step (noisiest)
    public var index: Int             // respaced index i (K−1 … 0)
    public var timestep: Int          // original timestep t the model saw
    public var xt: Tensor             // input x_t
    public var predXstart: Tensor     // x̂0
    public var eps: Tensor            // ε̂ (guided)
    public var logVariance: Tensor
    public var next: Tensor           // x_{t−1}
    public var settings: SamplerSettings
    public var probes: Probes?        // copies of the model's probes for this step (when recorded)
}

public final class Sampler: @unchecked Sendable {
    public let denoiser: Denoiser
    public private(set) var settings: SamplerSettings
    public private(set) var diffusion: GaussianDiffusion
    public private(set) var noise: NoiseSource
    public let xT: Tensor                       // (N, C, H, W)
    public private(set) var history: [StepRecord] = []
    public var recordProbes = false
    private let stepNoise: Tensor

    public init(model: DiTModel, settings: SamplerSettings, noise: NoiseSource) throws {
        let c = model.config
        denoiser = Denoiser(model: model)
        try Sampler.check(settings, model: model)
        self.settings = settings
        self.noise = noise
        diffusion = try GaussianDiffusion(steps: String(settings.steps), learnSigma: c.learnSigma)
        let shape = [settings.labels.count, c.inChannels, c.inputSize, c.inputSize]
        xT = noise.initial(shape: shape)
        guard xT.shape == shape else {
            throw SettingError(.noise, "of shape \(xT.shape)", expected: "shape \(shape)")
        }
        stepNoise = Tensor(shape)
    }

    static func check(_ s: SamplerSettings, model: DiTModel) throws {
        try s.checkBounds()
        let maxLabel = model.hasNullClass ? model.nullClass : model.config.numClasses - 1
        if let bad = s.labels.first(where: { $0 < 0 || $0 > maxLabel }) {
            throw SettingError(.labels, "\(bad)", expected: "a class in 0…\(model.config.numClasses - 1)"
                               + (model.hasNullClass ? " or \(model.nullClass) (null class)" : ""))
        }
    }

    public var current: Tensor { history.last?.next ?? xT }
    public var isFinished: Bool { history.count >= diffusion.numSteps }
    public var stepCount: Int { diffusion.numSteps }

    /// Runs the next denoising step; nil when finished.
    @discardableResult
    public func step() throws -> StepRecord? {
        guard !isFinished else { return nil }
        let k = history.count
        let i = diffusion.numSteps - 1 - k
        let t = diffusion.timestepMap[i]
        let x = current
        let out = try denoiser.predict(x: x, timestep: t, labels: settings.labels, cfgScale: settings.cfgScale)
        let p = diffusion.pMeanVariance(modelOutput: out, x: x, index: i, clip: settings.clip)
        noise.stepNoise(k, into: stepNoise)
        let next: Tensor
        switch settings.kind {
        case .ddpm: next = diffusion.ddpmStep(p, index: i, noise: stepNoise)
        case .ddim: next = diffusion.ddimStep(p, x: x, index: i, eta: settings.eta, noise: stepNoise)
        }
        let record = StepRecord(k: k, index: i, timestep: t, xt: x, predXstart: p.predXstart, eps: p.eps,
                                logVariance: p.logVariance, next: next, settings: settings,
                                probes: recordProbes ? copyProbes() : nil)
        history.append(record)
        return record
    }

    /// Runs to the end; `progress(k, K)` after each step. Returns x_0.
    @discardableResult
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Tensor {
        while let r = try step() { progress?(r.k + 1, stepCount) }
        return current
    }

    /// Restarts from step k with new settings, keeping steps 0..<k (x_t at step k is kept).
    /// A different number of steps changes the schedule, so it restarts from x_T (k = 0).
    public func branch(at k: Int, settings new: SamplerSettings, noise newNoise: NoiseSource? = nil) throws {
        try Sampler.check(new, model: denoiser.model)
        guard new.labels.count == settings.labels.count else {
            throw SettingError(.labels, "×\(new.labels.count)", expected: "\(settings.labels.count) labels: a branch keeps the batch size")
        }
        var keep = max(0, min(k, history.count))
        if new.steps != settings.steps {
            diffusion = try GaussianDiffusion(steps: String(new.steps), learnSigma: diffusion.learnSigma)
            keep = 0
        }
        history.removeLast(history.count - keep)
        settings = new
        if let newNoise { noise = newNoise } else { noise.seed = new.seed }
    }

    private func copyProbes() -> Probes? {
        guard let p = denoiser.model.probes(batch: denoiser.lastBatch) else { return nil }
        let c = Probes()
        c.attention = p.attention.mapValues { $0.copy() }
        c.modulation = p.modulation.map { $0.copy() }
        c.tokenNorms = p.tokenNorms.map { $0.copy() }
        return c
    }
}
