// Immutable snapshots the worker hands the UI: plain arrays, no Tensors, so the UI can never
// touch the sampler's buffers. Only the first (conditional) sample of the batch is kept.
import DiT

/// One image (C, H, W), row-major.
public struct Planes: Equatable, Sendable {
    public let channels: Int, height: Int, width: Int
    public let values: [Float]

    public init(channels: Int, height: Int, width: Int, values: [Float]) {
        self.channels = channels; self.height = height; self.width = width; self.values = values
    }

    /// Sample `n` of an (N, C, H, W) tensor.
    public init(_ t: Tensor, sample n: Int = 0) {
        let c = t.shape[1], h = t.shape[2], w = t.shape[3], len = c * h * w
        self.init(channels: c, height: h, width: w,
                  values: Array(UnsafeBufferPointer(start: t.data + n * len, count: len)))
    }

    @inline(__always) public func at(_ c: Int, _ y: Int, _ x: Int) -> Float { values[(c * height + y) * width + x] }
}

/// What classifier-free guidance did at one step: the two halves of the guided batch.
public struct GuidanceView: Equatable, Sendable {
    public var epsCond: Planes         // ε_cond
    public var epsUncond: Planes       // ε_uncond
    public var scale: Float            // s at this t (after the schedule)

    public init(epsCond: Planes, epsUncond: Planes, scale: Float) {
        self.epsCond = epsCond; self.epsUncond = epsUncond; self.scale = scale
    }

    /// The guidance term s · (ε_cond − ε_uncond): ε̂ = ε_uncond + this.
    public var term: Planes {
        Planes(channels: epsCond.channels, height: epsCond.height, width: epsCond.width,
               values: zip(epsCond.values, epsUncond.values).map { scale * ($0 - $1) })
    }

    /// ‖s · (ε_cond − ε_uncond)‖ per pixel (RMS over the image).
    public var termRMS: Double {
        let v = term.values
        return (v.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, v.count))).squareRoot()
    }
}

/// One denoising step as the explorer shows it.
public struct StepView: Equatable, Sendable {
    public var k: Int                  // 0 = first (noisiest) step
    public var timestep: Float         // t the model saw (original 0…999 scale; Euler / Heun: fractional)
    public var alphaBar: Double        // ᾱ_t of the respaced schedule
    public var xt: Planes              // input x_t
    public var predX0: Planes          // x̂0
    public var eps: Planes             // ε̂ (guided)
    public var next: Planes            // x_{t−1}
    public var attention: [[Float]]?   // per block (heads, T, T) softmax probabilities
    public var modulation: [[Float]]?  // per block (kD): the design's adaLN vectors (Conditioning.modulationChunks)
    public var conditioningAttention: [[Float]]?  // per block (heads, T, 2): each patch's weight on [t, y]
                                                  // (cross-attention, in-context); nil for the adaLN designs
    public var tokenNorms: [[Float]]?  // per block (T): ‖x‖ of each token after the block
    public var guidance: GuidanceView? // nil: unguided step (CFG 1, or outside the guidance interval)
    public var nfe: Int                // network evaluations of the step (Heun: 2)
    public var milliseconds: Double    // wall time of the step (forward pass + update)
    public var variance: LearnedVariance?  // nil when the model has learn_sigma false
    /// The judge's class probabilities (classes,) on x̂0, when a judge fits the model.
    public var classProbabilities: [Float]?
    /// With ablations: x̂0 of the same x_t without them (what they change at this step alone).
    public var unablatedX0: Planes?

    public init(k: Int, timestep: Float, alphaBar: Double, xt: Planes, predX0: Planes, eps: Planes, next: Planes,
                attention: [[Float]]? = nil, modulation: [[Float]]? = nil, tokenNorms: [[Float]]? = nil,
                conditioningAttention: [[Float]]? = nil, guidance: GuidanceView? = nil, nfe: Int = 1, milliseconds: Double = 0, variance: LearnedVariance? = nil,
                classProbabilities: [Float]? = nil) {
        self.k = k; self.timestep = timestep; self.alphaBar = alphaBar; self.xt = xt; self.predX0 = predX0
        self.eps = eps; self.next = next; self.attention = attention; self.modulation = modulation
        self.tokenNorms = tokenNorms; self.conditioningAttention = conditioningAttention; self.guidance = guidance; self.nfe = nfe; self.milliseconds = milliseconds
        self.variance = variance; self.classProbabilities = classProbabilities
    }

    /// Signal-to-noise ratio ᾱ / (1 − ᾱ).
    public var snr: Double { alphaBar / max(1e-12, 1 - alphaBar) }
}

/// What the views need to know about the model, computed once.
public struct ModelSummary: Equatable, Sendable {
    public var name: String            // directory name, e.g. dit-s8-fashion
    public var preset: String?         // "DiT-S/8" when the shape matches a paper config
    public var config: DiTConfig
    public var parameters: Int
    public var gflops: Double
    public var hasNullClass: Bool
    public var judged = true           // a judge scores its x̂0 (the shipped classifier: Fashion-MNIST shapes)

    public init(name: String, config: DiTConfig, parameters: Int, hasNullClass: Bool) {
        self.name = name; self.config = config; self.parameters = parameters; self.hasNullClass = hasNullClass
        gflops = FLOPs(config).gflops
        preset = DiTPreset(matching: config)?.rawValue
    }

    public init(model: DiTModel, name: String) {
        self.init(name: name, config: model.config, parameters: model.weights.parameterCount, hasNullClass: model.hasNullClass)
    }

    /// "3 Dress", or "∅ null (unconditional)" for the null class.
    public func className(_ y: Int) -> String {
        if y == config.numClasses { return "∅ null class" }
        if let names = config.classNames, y < names.count { return "\(y) \(names[y])" }
        return "class \(y)"
    }

    /// The same model with another patch size: what the paper's Gflops table varies.
    public func config(patch p: Int) -> DiTConfig {
        var c = config
        c.patchSize = p
        return c
    }

    public func gflops(patch p: Int) -> Double { FLOPs(config(patch: p)).gflops }
}

/// The solver's schedule of K steps: what the timeline draws before anything is computed.
public struct Schedule: Equatable, Sendable {
    public var timesteps: [Float]      // t of step k (k = 0 first)
    public var alphaBars: [Double]     // ᾱ of step k

    /// The schedule of a solver (none: an empty one, for settings the sampler refuses).
    public init(_ solver: (any Solver)?) {
        timesteps = solver?.timesteps ?? []
        alphaBars = solver?.alphaBars ?? []
    }

    public init(_ settings: SamplerSettings, learnSigma: Bool) {
        self.init(try? settings.solver(learnSigma: learnSigma))
    }
    public var count: Int { timesteps.count }
}
