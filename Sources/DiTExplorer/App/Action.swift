// The messages update() understands (keys, mouse, resize, clock, worker) and the effects it asks
// the outside world for (work for the sampler thread, quitting).
import DiT

public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, home, end, pageUp, pageDown, tab, backTab, enter, escape, backspace
}

public enum Action: Sendable {
    case key(Key)
    case click(x: Int, y: Int, width: Int, height: Int)   // screen cell, screen size (for the layout)
    case scroll(Int)                                      // wheel: +1 down, −1 up
    case resize(width: Int, height: Int)
    case tick(now: Double)                                // the loop's clock, seconds
    case worker(WorkerEvent)
    case exported(String)                                 // the outside loop's report of an export
}

/// What the worker should make true: the trajectory described by `lineage` (settings per stretch
/// of steps), computed up to `target` steps. Same generation = same trajectory, only more steps.
/// `probe`: a computed step whose attention the UI dropped (memory budget) and wants again.
public struct WorkerRequest: Equatable, Sendable {
    public var generation: Int
    public var lineage: [Segment]
    public var target: Int
    public var probe: Int?
    public init(generation: Int, lineage: [Segment], target: Int, probe: Int? = nil) {
        self.generation = generation; self.lineage = lineage; self.target = target; self.probe = probe
    }
    public var settings: SamplerSettings { lineage.last!.settings }
}

public enum WorkerEvent: Equatable, Sendable {
    case stepped(generation: Int, StepView)
    case probed(generation: Int, k: Int, attention: [[Float]])
    case failed(generation: Int, String)
    case forward(ForwardEvent)            // the Forward pane's worker: not part of the trajectory
    case compare(CompareEvent)            // the Compare pane's worker: not part of the trajectory either
    case decode(DecodeEvent)              // the VAE decoder of a latent model: pictures, not trajectory
    case ablationMap(AblationMapEvent)    // the adaLN-Zero pane's ablation map
    case sheet(SheetEvent)                // the sheet export's samples (W)

    /// An event of the sampler's (the trajectory's): what a recording marks and a replay waits for.
    public var isTrajectory: Bool { generation >= 0 }

    /// The trajectory the event belongs to (−1: none).
    public var generation: Int {
        switch self {
        case .stepped(let g, _), .probed(let g, _, _), .failed(let g, _): return g
        case .forward, .compare, .decode, .ablationMap, .sheet: return -1
        }
    }
}

public enum Effect: Equatable, Sendable {
    case request(WorkerRequest)
    case export(ExportKind)                               // write files: the outside loop does it
    case forward(ForwardJob)                              // work for the Forward pane's worker
    case compare(CompareJob)                              // work for the Compare pane's worker
    case decode(DecodeJob)                                // work for the VAE decoder (latent models)
    case ablationMap(AblationMapJob)                      // work for the ablation map (adaLN-Zero pane, M)
    case sheet(SheetJob)                                  // the sheet export's samples (W)
    case quit
}
