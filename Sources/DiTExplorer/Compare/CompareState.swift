// Models side by side (the Compare pane): the current seed, class, guidance and sampler through
// several models, x̂0 per step in one row per model, beside each model's Gflops, parameters and
// measured quality. Lesson 4 runs Fig. 5's four block designs the same way, next to their
// diagrams. A CompareWorker per target computes; this is the state and its side of update().
import DiT

/// One `dit eval` run of a model: an entry of the "dit_eval" list in its eval.json.
public struct MeasuredQuality: Equatable, Sendable {
    public var samples: Int, steps: Int, sampler: String, cfg: Double
    public var accuracy: Double      // 0…1, the judge on the intended class
    public var fid: Double           // on the judge's features, against the real test set
    public init(samples: Int, steps: Int, sampler: String, cfg: Double, accuracy: Double, fid: Double) {
        self.samples = samples; self.steps = steps; self.sampler = sampler; self.cfg = cfg; self.accuracy = accuracy; self.fid = fid
    }
    /// "acc 99.4 %, FID 12.30 (N 1000, CFG 4)"
    public var summary: String {
        String(format: "acc %.1f %%, FID %.2f (N %d, CFG %g)", 100 * accuracy, fid, samples, cfg)
    }
    /// "acc 99.4 % CFG 4": the accuracy alone, where a row has no room for the rest
    public var accuracySummary: String { String(format: "acc %.1f %% CFG %g", 100 * accuracy, cfg) }
}

/// One model of the comparison, as its directory describes it (no weights loaded).
public struct CompareEntry: Equatable, Sendable {
    public var name: String          // directory name
    public var preset: String?       // "DiT-S/8", or the size config.json names ("DiT-D192-L6/8")
    public var gflops: Double
    public var parameters: Int
    public var measured: [MeasuredQuality]   // from eval.json, in its order
    public var conditioning: Conditioning    // the block design (lesson 4 finds its box by it)
    public var trainingSteps: Int?           // config.json's training_steps, where recorded
    public init(name: String, preset: String?, gflops: Double, parameters: Int, measured: [MeasuredQuality] = [],
                conditioning: Conditioning = .adaLNZero, trainingSteps: Int? = nil) {
        self.name = name; self.preset = preset; self.gflops = gflops; self.parameters = parameters; self.measured = measured
        self.conditioning = conditioning; self.trainingSteps = trainingSteps
    }
}

extension Array where Element == MeasuredQuality {
    /// The run at this guidance scale with the most samples (the largest N is the least biased FID).
    public func best(cfg: Double) -> MeasuredQuality? { filter { $0.cfg == cfg }.max { $0.samples < $1.samples } }
    /// What the Compare pane shows: the CFG 4 run (the explorer's default scale), else any.
    public var shown: MeasuredQuality? { best(cfg: 4) ?? first }
}

/// Which comparison: the Compare pane's models, or lesson 4's Fig. 5 block designs.
public enum CompareTarget: Hashable, Sendable {
    case pane, designs
    var state: WritableKeyPath<ExplorerState, ComparisonState> {
        switch self {
        case .pane: return \.comparison
        case .designs: return \.designs
        }
    }
}

/// What the worker runs through every model: the current branch's settings (one seed, class,
/// guidance, sampler and step count), from x_T: a change at step k reruns every row.
public struct CompareJob: Equatable, Sendable {
    public var id: Int
    public var settings: SamplerSettings?   // nil: stop (the pane was left; its models must not slow the sampler)
    public var target: CompareTarget = .pane
    public init(id: Int, settings: SamplerSettings?, target: CompareTarget = .pane) {
        self.id = id; self.settings = settings; self.target = target
    }
}

public enum CompareEvent: Equatable, Sendable {
    case stepped(id: Int, model: Int, k: Int, predX0: Planes, target: CompareTarget = .pane)
    case failed(id: Int, model: Int, String, target: CompareTarget = .pane)
}

public struct ComparisonState: Equatable, Sendable {
    public var entries: [CompareEntry] = []
    public var id = 0
    public var settings: SamplerSettings?   // of the job in flight (nil: none asked yet)
    public var rows: [[Planes]] = []        // x̂0 per model, step by step
    public var failures: [Int: String] = [:]
    public init(entries: [CompareEntry] = []) { self.entries = entries }

    /// Step k of model m for job `id`: kept when it is the current job's next step of that row.
    mutating func stepped(id: Int, model m: Int, k: Int, _ planes: Planes) {
        guard id == self.id, m < rows.count, rows[m].count == k else { return }
        rows[m].append(planes)
    }

    mutating func failed(id: Int, model m: Int, _ text: String) {
        guard id == self.id else { return }
        failures[m] = text
    }
}

extension Explorer {
    /// The Compare pane's models run while it is shown, lesson 4's designs while that chapter is
    /// read; either asks again for other settings than the trajectory's.
    static func compareJobs(_ s: inout ExplorerState, _ screen: OnScreen) -> [Effect] {
        compareJobs(&s, .pane, shown: screen.shows(.compare)) + compareJobs(&s, .designs, shown: screen.chapter == .conditioning)
    }

    static func compareJobs(_ s: inout ExplorerState, _ target: CompareTarget, shown: Bool) -> [Effect] {
        var cmp = s[keyPath: target.state]
        defer { s[keyPath: target.state] = cmp }
        guard !cmp.entries.isEmpty else { return [] }
        guard shown else {   // not on screen: stop the comparison (its models must not slow the sampler), rerun it on return
            guard cmp.settings != nil else { return [] }
            cmp.id += 1
            cmp.settings = nil
            return [.compare(CompareJob(id: cmp.id, settings: nil, target: target))]
        }
        var wanted = s.settings   // the latest: a class or CFG changed after step 0 reruns the rows (issue 27)
        wanted.labels = [wanted.labels.first ?? 0]
        guard cmp.settings != wanted else { return [] }
        cmp.id += 1
        cmp.settings = wanted
        cmp.rows = Array(repeating: [], count: cmp.entries.count)
        cmp.failures = [:]
        return [.compare(CompareJob(id: cmp.id, settings: wanted, target: target))]
    }

    static func receivedCompare(_ e: CompareEvent, _ s: inout ExplorerState) {
        switch e {
        case .stepped(let id, let m, let k, let planes, let target):
            s[keyPath: target.state].stepped(id: id, model: m, k: k, planes)
        case .failed(let id, let m, let text, let target):
            s[keyPath: target.state].failed(id: id, model: m, text)
        }
    }
}
