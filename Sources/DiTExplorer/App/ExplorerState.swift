// Everything the explorer shows, in one value. Views are pure functions of it; only update()
// changes it. The sampler itself lives on the worker thread: here are its snapshots.
import DiT
import DiTRender

/// What the attention heatmap shows for the query patch.
public enum AttentionMode: String, CaseIterable, Sendable {
    case head, mean = "mean of heads", rollout
}

/// Which image the Patches and Attention panes draw under their grid.
public enum ImageSource: String, CaseIterable, Sendable {
    case xt = "x_t", predX0 = "x̂0", eps = "ε̂"
}

/// Settings in force from step `start` on: a trajectory is a list of these, one per branch.
public struct Segment: Equatable, Sendable {
    public var start: Int
    public var settings: SamplerSettings
    public init(start: Int, settings: SamplerSettings) { self.start = start; self.settings = settings }
}

/// A trajectory: x_T, the settings of each stretch of steps (its lineage, so the worker can
/// rebuild any branch exactly), and the steps computed so far.
public struct Branch: Equatable, Sendable {
    public var lineage: [Segment]
    public var xT: Planes
    public var steps: [StepView]
    /// A latent model's x̂0 of step k decoded to pixels (C, f·h, f·w), for the steps decoded so far.
    public var decoded: [Int: Planes] = [:]

    public init(settings: SamplerSettings, xT: Planes, steps: [StepView] = []) {
        lineage = [Segment(start: 0, settings: settings)]; self.xT = xT; self.steps = steps
    }

    /// The settings now (of the last segment).
    public var settings: SamplerSettings { lineage.last!.settings }
    /// Step k, when computed.
    public func step(_ k: Int) -> StepView? { k < steps.count ? steps[k] : nil }
    /// x_t of step k: x_T, or what step k − 1 produced; nil until that is computed.
    public func xt(_ k: Int) -> Planes? { k == 0 ? xT : step(k - 1)?.next }

    /// The first step that differs from the branch it came from.
    public var fork: Int { lineage.last!.start }

    /// The first step at which this branch and `o` differ: 0 for another x_T, else the first
    /// segment start where their settings part (settings change only at segment starts).
    public func fork(with o: Branch) -> Int {
        guard xT == o.xT else { return 0 }
        let starts = Set(lineage.map(\.start) + o.lineage.map(\.start)).sorted()
        return starts.first { Branch.settings(at: $0, in: lineage) != Branch.settings(at: $0, in: o.lineage) }
            ?? max(fork, o.fork)
    }

    /// This branch, changed to `new` from step k (steps 0..<k kept).
    public func branched(at k: Int, _ new: SamplerSettings) -> Branch {
        var b = self
        b.lineage = lineage.filter { $0.start < k } + [Segment(start: k, settings: new)]
        b.steps = Array(steps.prefix(k))
        b.decoded = decoded.filter { $0.key < k }
        return b
    }

    /// The settings step k runs under.
    public static func settings(at k: Int, in lineage: [Segment]) -> SamplerSettings {
        (lineage.last { $0.start <= k } ?? lineage[0]).settings
    }
}

public struct ExplorerState: Equatable, Sendable {
    public var model: ModelSummary
    public var current: Branch
    public var other: Branch?              // the branch left behind by the last change, to compare
    public var schedule: Schedule          // of current.settings.steps
    public var generation = 0              // bumps on every branch; stale worker events are dropped
    public var target = 0                  // steps requested from the worker
    public var k = 0                       // the step on screen
    public var playing = false
    public var follow = false              // jump to each new step as it arrives (End)
    public var goal: Int?                  // → pressed ahead of the sampler: where k is heading
    public var probe: Int?                 // step whose dropped attention the worker recomputes
    public var lastAdvance = 0.0           // when play last moved k (seconds)
    public var pane = Pane.denoising
    public var cursorX: Int, cursorY: Int  // pixel under the patch cursor
    public var overlayPatch: Int?          // nil: the model's p; else 2/4/8 "what it would see"
    public var block = 0, head = 0
    public var attentionMode = AttentionMode.head
    public var source = ImageSource.xt
    public var colorMode: ColorMode
    public var truecolorAvailable = true   // the terminal takes 24-bit colours (else `v` skips them)
    public var showHelp = false
    public var helpScroll = 0              // lines of the help overlay scrolled past
    public var calculator: CalculatorState // the Calculator pane's shape
    public var compare = false
    public var guidanceView = false        // Denoising shows ε_cond, ε_uncond and the guidance term (G)
    public var zoom: Int?                  // Denoising: the one panel shown alone (z: x̂0, x_t, ε̂), nil: all
    public var panelPage: [Pane: Int] = [:]  // Denoising, Forward: the page of panels shown when not all fit (> <)
    public var message: String?
    public var failure: String?
    public var quit = false
    public var lesson = LessonState()      // the guided tour (L), its chapter kept while trying things
    public var forward = ForwardState()    // the Forward pane: a real image noised to t
    public var ablationMap = AblationMapState()  // the adaLN-Zero pane's map of ‖Δx0‖ per block × start step (M)
    public var sheet = SheetState()              // the sheet export around the current settings (W)
    public var conditioningCurves: ConditioningCurves?  // the measured Fig. 5 (lesson 4), when shipped
    public var scalingResults: ScalingResults?          // the measured scaling at equal steps (lesson 8), when shipped
    public var comparison = ComparisonState()  // the Compare pane: models side by side
    public var designs = ComparisonState()     // lesson 4: the shipped Fig. 5 block designs, live
    public var latent: LatentState?        // a latent model's VAE decoder; nil: the model works in pixels
    public var classSearch: ClassSearch?   // the class picker (/), while it is open
    /// Attention kept across the history, in floats (128 MB); older steps drop theirs first.
    /// DiT-S/8 needs 74 KB a step; DiT-S/2 (T = 256) 19 MB, so it keeps the last few steps' only.
    public var attentionBudget = 32 << 20

    public init(model: ModelSummary, settings: SamplerSettings, colorMode: ColorMode = .truecolor) {
        self.model = model
        let c = model.config
        (current, schedule) = ExplorerState.start(c, settings)
        cursorX = c.inputSize / 2; cursorY = c.inputSize / 2
        calculator = CalculatorState(model: c)
        self.colorMode = colorMode
    }

    /// A trajectory from x_T under `settings`, and its schedule, from the one solver the sampler
    /// builds: x_T exactly as the sampler draws it (stream 0 of the seed, as the solver's model
    /// sees it), so a new seed shows at once.
    static func start(_ c: DiTConfig, _ settings: SamplerSettings) -> (Branch, Schedule) {
        let solver = try? settings.solver(learnSigma: c.learnSigma)
        let z = NoiseSource(seed: settings.seed).initial(shape: [1, c.inChannels, c.inputSize, c.inputSize])
        return (Branch(settings: settings, xT: Planes(solver?.xT(z) ?? z)), Schedule(solver))
    }

    /// The schedule of `settings` on this model.
    func schedule(_ settings: SamplerSettings) -> Schedule {
        Schedule(settings, learnSigma: model.config.learnSigma)
    }

    /// The unit-variance draw of a seed (stream 0), as a noise ε.
    static func initialNoise(_ c: DiTConfig, seed: UInt64) -> Planes {
        Planes(NoiseSource(seed: seed).initial(shape: [1, c.inChannels, c.inputSize, c.inputSize]))
    }

    /// Stops the play clock and any catching up (End's follow, →'s goal): k stays where it is.
    mutating func halt() { playing = false; follow = false; goal = nil }

    public var settings: SamplerSettings { current.settings }
    /// Where the current branch leaves the other one (its own fork when there is no other),
    /// within the schedule: the one number the status, compare header and timeline show.
    public var fork: Int { min(other.map(current.fork(with:)) ?? current.fork, max(0, stepCount - 1)) }
    public var stepCount: Int { schedule.count }
    public var steps: [StepView] { current.steps }
    /// The step on screen, when computed.
    public var view: StepView? { current.step(k) }
    /// x_t of step k: computed or not, it is known once step k − 1 is.
    public var xt: Planes { current.xt(k) ?? current.xT }
    public var busy: Bool { current.steps.count < min(target, stepCount) && failure == nil }
    /// Patch size of the grid drawn over the image.
    public var gridPatch: Int { overlayPatch ?? model.config.patchSize }
    /// The query token under the cursor, in the model's own grid.
    public var token: Int {
        let p = model.config.patchSize
        return (cursorY / p) * model.config.gridSize + cursorX / p
    }
    public var label: Int { settings.labels.first ?? 0 }
}
