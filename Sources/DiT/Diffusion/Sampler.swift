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
    public var varianceFraction: Tensor? = nil   // learned range: v per pixel (see GaussianDiffusion.Prediction)
}

public final class Sampler: @unchecked Sendable {
    public let denoiser: Denoiser
    public private(set) var settings: SamplerSettings
    public private(set) var diffusion: GaussianDiffusion
    public private(set) var noise: NoiseSource
    public let xT: Tensor                       // (N, C, H, W) x at step startStep: x_T, or x_0 noised (SDEdit)
    public private(set) var startStep = 0       // the first step run: 0, or SamplerStart.step
    public private(set) var history: [StepRecord] = []
    public var recordProbes = false
    private let stepNoise: Tensor

    /// `start`: SDEdit, run steps start.step… from x_0 noised with the x_T draw as ε (see SamplerStart).
    public init(model: DiTModel, settings: SamplerSettings, noise: NoiseSource, start: SamplerStart? = nil) throws {
        let c = model.config
        denoiser = Denoiser(model: model)
        try Sampler.check(settings, model: model)
        self.settings = settings
        self.noise = noise
        diffusion = try GaussianDiffusion(steps: String(settings.steps), learnSigma: c.learnSigma)
        let shape = [settings.labels.count, c.inChannels, c.inputSize, c.inputSize]
        let z = noise.initial(shape: shape)
        guard z.shape == shape else {
            throw DiTError(file: "--noise", field: "shape", "expected \(shape), found \(z.shape)")
        }
        if let start {
            xT = try start.noised(z, diffusion, shape: shape)
            startStep = start.step
        } else {
            xT = z
        }
        stepNoise = Tensor(shape)
    }

    static func check(_ s: SamplerSettings, model: DiTModel) throws {
        guard s.steps >= 1 && s.steps <= GaussianDiffusion.numTrainTimesteps else {
            throw DiTError(file: "--steps", field: "\(s.steps)", "expected 1…\(GaussianDiffusion.numTrainTimesteps)")
        }
        guard s.cfgScale.isFinite && s.cfgScale >= 0 else {
            throw DiTError(file: "--cfg", field: "\(s.cfgScale)", "expected a finite scale ≥ 0 (1 = no guidance)")
        }
        guard s.eta.isFinite && s.eta >= 0 else {
            throw DiTError(file: "--eta", field: "\(s.eta)", "expected a finite η ≥ 0")
        }
        guard !s.labels.isEmpty else { throw DiTError(file: "--class", "expected at least one class") }
        let maxLabel = model.hasNullClass ? model.nullClass : model.config.numClasses - 1
        if let bad = s.labels.first(where: { $0 < 0 || $0 > maxLabel }) {
            throw DiTError(file: "--class", field: "\(bad)", "expected a class in 0…\(model.config.numClasses - 1)"
                           + (model.hasNullClass ? " or \(model.nullClass) (null class)" : ""))
        }
    }

    public var current: Tensor { history.last?.next ?? xT }
    public var isFinished: Bool { startStep + history.count >= diffusion.numSteps }
    public var stepCount: Int { diffusion.numSteps }

    /// Runs the next denoising step; nil when finished.
    @discardableResult
    public func step() throws -> StepRecord? {
        guard !isFinished else { return nil }
        let k = startStep + history.count
        let i = diffusion.numSteps - 1 - k
        let t = diffusion.timestepMap[i]
        let x = current
        let out = try denoiser.predict(x: x, timestep: t, labels: settings.labels, cfgScale: settings.cfgScale)
        let p = diffusion.pMeanVariance(modelOutput: out, x: x, index: i, clip: settings.clip)
        noise.stepNoise(k, row: history.count, into: stepNoise)
        let next: Tensor
        switch settings.kind {
        case .ddpm: next = diffusion.ddpmStep(p, index: i, noise: stepNoise)
        case .ddim: next = diffusion.ddimStep(p, x: x, index: i, eta: settings.eta, noise: stepNoise)
        }
        let record = StepRecord(k: k, index: i, timestep: t, xt: x, predXstart: p.predXstart, eps: p.eps,
                                logVariance: p.logVariance, next: next, settings: settings,
                                probes: recordProbes ? copyProbes() : nil, varianceFraction: p.varianceFraction)
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
            throw DiTError(file: "--class", "a branch keeps the batch size \(settings.labels.count)")
        }
        var keep = max(0, min(k - startStep, history.count))
        if new.steps != settings.steps {
            guard startStep == 0 else { throw DiTError(file: "--steps", "a trajectory started from an image keeps its number of steps") }
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
