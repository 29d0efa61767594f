// One protocol for every sampler of the reverse process, so the steppable Sampler, its history,
// branching, the explorer and replays treat DDPM, DDIM, DPM-Solver++(2M), Euler and Heun alike.
// A solver is a fixed table (timesteps, noise levels) chosen by the settings, and a step function
// of its inputs alone:
//   state  the solver's own variable: x_t for DDPM, DDIM and DPM-Solver++; for Euler and Heun
//          diffusers' "sample", x_t · √(1 + σ²) (the variance-exploding scale)
//   x_t    what the model sees: scale_model_input(state), x_t = √ᾱ x0 + √(1 − ᾱ) ε for all of them
// A step keeps no memory between calls: a multistep solver reads what it needs from the kept
// history (DPM-Solver++ its previous data prediction x̂0), so a restart at step k rebuilds it.

/// The samplers, by their names on the command line and in sessions.
public enum SamplerKind: String, CaseIterable, Sendable {
    case ddim, ddpm, dpmSolver = "dpm++2m", euler, heun

    /// Whether the settings' Karras flag applies (the three diffusers solvers).
    public var takesKarras: Bool { self == .dpmSolver || self == .euler || self == .heun }

    /// Two kinds share a schedule and state variable when a trajectory can switch between them
    /// mid-way (DDIM ⇄ DDPM); any other change restarts from x_T.
    func sharesSchedule(with other: SamplerKind) -> Bool {
        self == other || (!takesKarras && !other.takesKarras)
    }
}

/// What one model evaluation gave a solver: the guided output and, when guided, its two halves.
public struct Evaluation {
    public var output: Tensor          // (N, outC, H, W): ε (guided) on the first C channels, then σ channels
    public var epsCond: Tensor?        // (N, C, H, W) conditional ε, when guided
    public var epsUncond: Tensor?      // (N, C, H, W) null-class ε, when guided
    public var scale: Float?           // the guidance scale used at this t; nil: the conditional ε alone

    /// ε̂: the first C channels of the output, (N, C, H, W).
    public func eps(channels c: Int) -> Tensor {
        let n = output.shape[0], h = output.shape[2], w = output.shape[3], plane = c * h * w
        let e = Tensor([n, c, h, w])
        for b in 0..<n { (e.data + b * plane).update(from: output.data + b * output.shape[1] * h * w, count: plane) }
        return e
    }
}

/// The guided network at x_t (as the model sees it) and a model timestep.
public typealias Denoise = (_ xt: Tensor, _ t: Float) throws -> Evaluation

/// What a step produced. Tensors are (N, C, H, W).
public struct SolverStep {
    public var next: Tensor            // the state after the step
    public var predXstart: Tensor      // x̂0 of the step's first evaluation
    public var eps: Tensor             // ε̂ of the step's first evaluation (guided)
    public var logVariance: Tensor?    // DDPM / DDIM: p_mean_variance's log variance
    public var varianceFraction: Tensor? = nil   // DDPM / DDIM with learned σ: v per pixel
    public var evaluation: Evaluation  // the first evaluation, for its guidance parts
    public var nfe: Int                // network evaluations of the step
}

public protocol Solver {
    /// The model timestep of each step's first evaluation (k = 0 first), 0…999, possibly fractional.
    var timesteps: [Float] { get }
    /// ᾱ at each step's x_t.
    var alphaBars: [Double] { get }
    /// Network evaluations of a whole run: one per step (Heun: two but at the last). A guided
    /// evaluation runs the conditional and the null batch together and counts once.
    var networkEvaluations: Int { get }
    /// The solver's x_T from the unit-variance draw z: z · init_noise_sigma.
    func initialState(_ z: Tensor) -> Tensor
    /// x_t as the model sees it at step k (scale_model_input), from the state; the state itself when equal.
    func modelInput(_ state: Tensor, step k: Int) -> Tensor
    /// Step k from `state` (x_t its model input); `history` holds steps 0..<k of this trajectory.
    func step(_ k: Int, state: Tensor, xt: Tensor, history: [StepRecord], noise: Tensor, model: Denoise) throws -> SolverStep
}

extension Solver {
    public var stepCount: Int { timesteps.count }
    public var networkEvaluations: Int { stepCount }
    /// x_T as the model sees it, from the unit-variance draw z.
    public func xT(_ z: Tensor) -> Tensor { modelInput(initialState(z), step: 0) }
}

/// Solvers whose state is x_t itself (scale_model_input is the identity, init_noise_sigma 1).
protocol VariancePreservingSolver: Solver {}

extension VariancePreservingSolver {
    public func initialState(_ z: Tensor) -> Tensor { z }
    public func modelInput(_ state: Tensor, step k: Int) -> Tensor { state }
}

extension SamplerSettings {
    /// The solver these settings choose (learnSigma: whether the model predicts its variance).
    public func solver(learnSigma: Bool) throws -> any Solver {
        switch kind {
        case .ddim: return try DDIMSolver(steps: steps, eta: eta, clip: clip, learnSigma: learnSigma)
        case .ddpm: return try DDPMSolver(steps: steps, clip: clip, learnSigma: learnSigma)
        case .dpmSolver: return DPMSolverMultistep(steps: steps, karras: karras, thresholding: thresholding)
        case .euler: return EulerDiscrete(steps: steps, karras: karras)
        case .heun: return HeunDiscrete(steps: steps, karras: karras)
        }
    }

    /// Whether a trajectory under `self` can go on from one under `other` at any step (same
    /// timesteps and state variable); otherwise a change restarts from x_T.
    public func sharesSchedule(with other: SamplerSettings) -> Bool {
        steps == other.steps && kind.sharesSchedule(with: other.kind) && (!kind.takesKarras || karras == other.karras)
            && thresholding == other.thresholding
    }
}

// Elementwise float32 helpers for the solvers' updates, in the reference's order of operations.
extension Tensor {
    /// a · x + b · y, each product rounded before the sum (two torch kernels).
    static func combine(_ a: Float, _ x: Tensor, _ b: Float, _ y: Tensor) -> Tensor {
        let out = Tensor(x.shape)
        for i in 0..<x.count { out.data[i] = a * x.data[i] + b * y.data[i] }
        return out
    }
}

/// Solvers in diffusers' variance-exploding variable, state = x_t · √(1 + σ²) (Euler, Heun):
/// init_noise_sigma = max σ (linspace spacing), scale_model_input divides by √(σ² + 1).
protocol VarianceExplodingSolver: Solver {
    var sigmas: [Float] { get }        // K + 1, the last 0
    init(sigmas: [Float], timesteps: [Float])
}

extension VarianceExplodingSolver {
    /// Euler's and Heun's schedule (DiscreteSigmas.eulerSchedule), σ_K = 0 appended.
    init(steps n: Int, karras: Bool) {
        let s = DiscreteSigmas.eulerSchedule(steps: n, karras: karras)
        self.init(sigmas: s.sigmas.map(Float.init) + [0], timesteps: s.timesteps)
    }

    public var alphaBars: [Double] { sigmas.dropLast().map(DiscreteSigmas.alphaBar(ofSigma:)) }

    public func initialState(_ z: Tensor) -> Tensor {
        let sigmaMax = sigmas.max() ?? 1, x = Tensor(z.shape)
        for i in 0..<z.count { x.data[i] = z.data[i] * sigmaMax }
        return x
    }

    public func modelInput(_ state: Tensor, step k: Int) -> Tensor {
        let c = (sigmas[k] * sigmas[k] + 1).squareRoot(), x = Tensor(state.shape)
        for i in 0..<x.count { x.data[i] = state.data[i] / c }
        return x
    }

    /// Step k's first evaluation and Euler update, x + d (σ_{k+1} − σ_k), for both solvers.
    func eulerStep(_ k: Int, state x: Tensor, xt: Tensor, model: Denoise) throws -> (step: SolverStep, d: Tensor) {
        let e = try model(xt, timesteps[k])
        let eps = e.eps(channels: x.shape[1])
        let (x0, d) = derivative(x, eps: eps, sigma: sigmas[k])
        let dt = sigmas[k + 1] - sigmas[k], next = Tensor(x.shape)
        for i in 0..<x.count { next.data[i] = x.data[i] + d.data[i] * dt }
        return (SolverStep(next: next, predXstart: x0, eps: eps, logVariance: nil, evaluation: e, nfe: 1), d)
    }

    /// Euler's update with the ε̂ at noise level σ: x̂0 = x − σ ε̂, d = (x − x̂0)/σ, as step() writes it.
    func derivative(_ x: Tensor, eps: Tensor, sigma: Float) -> (x0: Tensor, d: Tensor) {
        let x0 = Tensor(x.shape), d = Tensor(x.shape)
        for i in 0..<x.count {
            x0.data[i] = x.data[i] - sigma * eps.data[i]
            d.data[i] = (x.data[i] - x0.data[i]) / sigma
        }
        return (x0, d)
    }
}
