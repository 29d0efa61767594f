// A steppable sampler (the explorer's engine): each step() runs one step of the chosen solver
// (DDPM, DDIM, DPM-Solver++(2M), Euler or Heun: Solver.swift) and keeps what it saw (x_t, x̂0,
// ε̂, ε_cond / ε_uncond, t, NFE) in the history; branch(at:) restarts from any step k with other
// settings, keeping steps 0..<k when the new settings share the schedule. DDPM and DDIM mirror
// gaussian_diffusion.py's loops: respaced indices run K−1 … 0, and every step draws noise, used or not.

public struct SamplerSettings: Equatable, Sendable {
    public var kind: SamplerKind = .ddim
    public var steps: Int = 50
    public var eta: Float = 0            // DDIM only
    public var cfgScale: Float = 4       // 1 = no guidance
    public var clip = true               // clip x̂0 to [-1, 1] (DDPM, DDIM; the diffusers solvers never clip)
    public var labels: [Int] = [0]
    public var seed: UInt64 = 0
    public var karras = false            // Karras et al. (2022) σ spacing (dpm++2m, euler, heun)
    public var cfgInterval: ClosedRange<Float>? = nil   // model timesteps guided; nil: all
    public var cfgSchedule = GuidanceSchedule.constant
    /// DPM-Solver++ only: diffusers' `thresholding` with `sample_max_value` 1, which clips its x̂0 to
    /// [-1, 1] as DDIM's `clip` does (off by default, as in the scheduler).
    public var thresholding = false
    /// Branches and heads that add nothing in every network evaluation (Ablation.swift); like
    /// guidance, a property of the forward, so branching and replay carry it.
    public var ablations = AblationSet.none

    public init(kind: SamplerKind = .ddim, steps: Int = 50, eta: Float = 0, cfgScale: Float = 4,
                clip: Bool = true, labels: [Int] = [0], seed: UInt64 = 0, karras: Bool = false,
                cfgInterval: ClosedRange<Float>? = nil, cfgSchedule: GuidanceSchedule = .constant,
                thresholding: Bool = false, ablations: AblationSet = .none) {
        self.kind = kind; self.steps = steps; self.eta = eta; self.cfgScale = cfgScale
        self.clip = clip; self.labels = labels; self.seed = seed; self.karras = karras
        self.cfgInterval = cfgInterval; self.cfgSchedule = cfgSchedule; self.thresholding = thresholding
        self.ablations = ablations
    }

    public var guidance: Guidance { Guidance(scale: cfgScale, interval: cfgInterval, schedule: cfgSchedule) }

    /// The most steps a sampler takes. DPM-Solver++ at 1000: round(linspace(0, 999, 1001)) repeats
    /// a timestep, h = 0, and the next second-order step divides by it (diffusers returns NaN there).
    public static func maxSteps(_ kind: SamplerKind) -> Int {
        GaussianDiffusion.numTrainTimesteps - (kind == .dpmSolver ? 1 : 0)
    }
}

/// One denoising step as the explorer shows it. Tensors are (N, C, H, W).
public struct StepRecord: @unchecked Sendable {
    public var k: Int                 // 0 = first step (noisiest)
    public var timestep: Float        // model timestep t of the step's first evaluation (0…999, maybe fractional)
    public var alphaBar: Double       // ᾱ at x_t
    public var xt: Tensor             // input x_t as the model sees it
    public var predXstart: Tensor     // x̂0
    public var eps: Tensor            // ε̂ (guided)
    public var epsCond: Tensor?       // ε_cond and ε_uncond of the first evaluation, when guided
    public var epsUncond: Tensor?
    public var guidanceScale: Float?  // the scale used at t; nil: the conditional ε alone
    public var logVariance: Tensor?   // DDPM / DDIM
    public var next: Tensor           // x_{t−1} (as the next step's model sees it; x_0 after the last)
    public var state: Tensor          // the solver's own variable at the step's start (x_t but for Euler / Heun)
    public var nextState: Tensor      // and after it
    public var nfe: Int               // network evaluations of this step
    public var guidedNFE: Int         // of which guided (each on the conditional and null batch together)
    public var settings: SamplerSettings
    public var probes: Probes?        // copies of the model's probes for this step (when recorded)
    public var varianceFraction: Tensor? = nil   // learned range: v per pixel (see GaussianDiffusion.Prediction)
}

public final class Sampler: @unchecked Sendable {
    public let denoiser: Denoiser
    public private(set) var settings: SamplerSettings
    public private(set) var solver: any Solver
    public private(set) var noise: NoiseSource
    public private(set) var z: Tensor               // (N, C, H, W) the unit-variance draw
    public private(set) var xT: Tensor              // (N, C, H, W) x at step startStep as the model sees it: x_T, or x_0 noised (SDEdit)
    private var initialState: Tensor                // the same in the solver's own variable
    public private(set) var startStep = 0           // the first step run: 0, or SamplerStart.step
    public private(set) var history: [StepRecord] = []
    public var recordProbes = false
    private let stepNoise: Tensor

    /// `start`: SDEdit, run steps start.step… from x_0 noised with the x_T draw as ε (see SamplerStart;
    /// DDPM and DDIM, whose steps are respaced timesteps).
    public init(model: DiTModel, settings: SamplerSettings, noise: NoiseSource, start: SamplerStart? = nil) throws {
        let c = model.config
        denoiser = Denoiser(model: model)
        try Sampler.check(settings, model: model)
        self.settings = settings
        self.noise = noise
        let solver = try settings.solver(learnSigma: c.learnSigma)
        self.solver = solver
        let shape = [settings.labels.count, c.inChannels, c.inputSize, c.inputSize]
        z = noise.initial(shape: shape)
        guard z.shape == shape else {
            throw SettingError(.noise, "of shape \(z.shape)", expected: "shape \(shape)")
        }
        if let start {
            guard let diffusion = (solver as? any RespacedSolver)?.diffusion else {
                throw SettingError(.sampler, settings.kind.rawValue, expected: "ddim or ddpm: SDEdit from a start image begins at a respaced step")
            }
            initialState = try start.noised(z, diffusion, shape: shape)
            startStep = start.step
        } else {
            initialState = solver.initialState(z)
        }
        xT = solver.modelInput(initialState, step: startStep)
        stepNoise = Tensor(shape)
    }

    static func check(_ s: SamplerSettings, model: DiTModel) throws {
        try s.checkBounds()
        let maxLabel = model.hasNullClass ? model.nullClass : model.config.numClasses - 1
        if let bad = s.labels.first(where: { $0 < 0 || $0 > maxLabel }) {
            throw SettingError(.labels, "\(bad)", expected: "a class in 0…\(model.config.numClasses - 1)"
                               + (model.hasNullClass ? " or \(model.nullClass) (null class)" : ""))
        }
        try s.ablations.validate(model.config)
    }

    public var current: Tensor { history.last?.next ?? xT }
    public var isFinished: Bool { startStep + history.count >= solver.stepCount }
    public var stepCount: Int { solver.stepCount }
    /// Network evaluations so far, and how many of them were guided.
    public var nfe: Int { history.reduce(0) { $0 + $1.nfe } }
    public var guidedNFE: Int { history.reduce(0) { $0 + $1.guidedNFE } }
    /// The respaced diffusion of DDPM and DDIM (nil for the diffusers solvers).
    public var diffusion: GaussianDiffusion? { (solver as? any RespacedSolver)?.diffusion }

    /// Runs the next denoising step; nil when finished.
    @discardableResult
    public func step() throws -> StepRecord? {
        guard !isFinished else { return nil }
        let k = startStep + history.count
        let state = history.last?.nextState ?? initialState, xt = current
        noise.stepNoise(k, row: history.count, into: stepNoise)
        let labels = settings.labels, guidance = settings.guidance, ablations = settings.ablations, denoiser = denoiser
        var guided = 0
        let out = try solver.step(k, state: state, xt: xt, history: history, noise: stepNoise) { x, t in
            let e = try denoiser.evaluate(x: x, t: t, labels: labels, guidance: guidance, ablations: ablations)
            if e.scale != nil { guided += 1 }
            return e
        }
        let next = k + 1 < stepCount ? solver.modelInput(out.next, step: k + 1) : out.next
        let e = out.evaluation
        let record = StepRecord(k: k, timestep: solver.timesteps[k], alphaBar: solver.alphaBars[k], xt: xt,
                                predXstart: out.predXstart, eps: out.eps, epsCond: e.epsCond, epsUncond: e.epsUncond,
                                guidanceScale: e.scale, logVariance: out.logVariance, next: next, state: state,
                                nextState: out.next, nfe: out.nfe, guidedNFE: guided, settings: settings,
                                probes: recordProbes ? copyProbes() : nil, varianceFraction: out.varianceFraction)
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
    /// Settings with another schedule (step count, solver family, Karras σ) restart from x_T (k = 0).
    /// A multistep solver needs nothing more: it reads its memory back from the kept records.
    public func branch(at k: Int, settings new: SamplerSettings, noise newNoise: NoiseSource? = nil) throws {
        try Sampler.check(new, model: denoiser.model)
        guard new.labels.count == settings.labels.count else {
            throw SettingError(.labels, "×\(new.labels.count)", expected: "\(settings.labels.count) labels: a branch keeps the batch size")
        }
        var keep = max(0, min(k - startStep, history.count))
        if !new.sharesSchedule(with: settings) {
            guard startStep == 0 else {
                throw SettingError(.steps, "\(new.steps) (\(new.kind.rawValue))",
                                   expected: "\(settings.steps) (\(settings.kind.rawValue) family): a trajectory started from an image keeps its schedule")
            }
            keep = 0
        }
        solver = try new.solver(learnSigma: denoiser.model.config.learnSigma)
        history.removeLast(history.count - keep)
        settings = new
        if let newNoise { noise = newNoise } else { noise.seed = new.seed }
        if startStep == 0 {            // an SDEdit start keeps its noised x_0 (same schedule, same state variable)
            initialState = solver.initialState(z)
            xT = solver.xT(z)
        }
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
