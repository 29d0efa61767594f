// The one session factory: `dit explore`, `dit lesson`, `dit replay` and the benchmark describe
// what they open in a SessionSetup, and this builds the state, the workers and the driver from it
// in one go (nothing is patched into the state afterwards).
import DiT
import DiTRender

/// What a session starts from, gathered by the command that opens it.
public struct SessionSetup {
    public var model: DiTModel
    public var name: String                     // shown in the status line
    public var settings: SamplerSettings
    public var colorMode = ColorMode.truecolor
    public var truecolorAvailable = true        // the terminal takes 24-bit colours
    public var message: String?                 // the first status message
    public var lesson: LessonState?             // open on a lesson (`dit lesson`)
    /// Scores x̂0 at every step when it scores this model's images.
    public var judge: Judge?
    /// Whether the Denoising pane lays out the judge's class strip; nil: whether `judge` scores the model.
    public var judged: Bool?
    /// A latent model's VAE decoder and its name (nil: the model works in pixels).
    public var vae: (model: AutoencoderKL, name: String)?
    /// The Compare pane's models and lesson 4's Fig. 5 designs: each directory and what it says of itself.
    public var compared: [(dir: String, entry: CompareEntry)] = []
    public var designs: [(dir: String, entry: CompareEntry)] = []
    /// The Forward pane's real images, lesson 4's measured curves.
    public var real: RealImages?
    public var conditioningCurves: ConditioningCurves?
    public var scalingResults: ScalingResults?
    /// Workers for the other panes; false: the sampler alone (a replay checks the trajectory only).
    public var background = true

    public init(model: DiTModel, name: String, settings: SamplerSettings) {
        self.model = model; self.name = name; self.settings = settings
    }
}

public enum Session {
    /// The explorer's state at the start of the session `setup` describes.
    public static func state(_ setup: SessionSetup) -> ExplorerState {
        var summary = ModelSummary(model: setup.model, name: setup.name)
        summary.judged = setup.judged ?? (setup.judge?.scores(setup.model.config) == true)
        var s = ExplorerState(model: summary, settings: setup.settings, colorMode: setup.colorMode)
        s.truecolorAvailable = setup.truecolorAvailable
        s.message = setup.message
        if let lesson = setup.lesson { s.lesson = lesson }
        s.latent = setup.vae.map { LatentState(vae: VAESummary($0.model, name: $0.name)) }
        s.comparison = ComparisonState(entries: setup.compared.map(\.entry))
        s.designs = ComparisonState(entries: setup.designs.map(\.entry))
        s.forward = ForwardState(real: setup.real)
        s.conditioningCurves = setup.conditioningCurves
        s.scalingResults = setup.scalingResults
        return s
    }

    /// The sampler and, with `background`, the other panes' workers, all posting to one mailbox
    /// (not started). Throws on settings the sampler refuses.
    public static func workers(_ setup: SessionSetup) throws -> Workers {
        let mailbox = Mailbox()
        let workers = Workers(sampler: try SamplerWorker(model: setup.model, settings: setup.settings, mailbox: mailbox, judge: setup.judge))
        guard setup.background else { return workers }
        workers.add(ForwardWorker(model: setup.model, mailbox: mailbox))
        workers.add(CompareWorker(directories: setup.compared.map(\.dir), mailbox: mailbox, target: .pane))
        workers.add(CompareWorker(directories: setup.designs.map(\.dir), mailbox: mailbox, target: .designs))
        workers.add(AblationMapWorker(model: setup.model, mailbox: mailbox))
        workers.add(SheetWorker(model: setup.model, mailbox: mailbox))
        if let vae = setup.vae { workers.add(DecodeWorker(vae: vae.model, mailbox: mailbox)) }
        return workers
    }

    /// The session's driver: its state, its workers (not started yet), its screen size.
    public static func open(_ setup: SessionSetup, screen: (width: Int, height: Int),
                            exporter: Exporter? = nil) throws -> SessionDriver {
        SessionDriver(state: state(setup), workers: try workers(setup), screen: screen, exporter: exporter)
    }
}
