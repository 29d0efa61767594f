// Models side by side (the Compare pane): the current seed, class, guidance and sampler through
// several models, x̂0 per step in one row per model, beside each model's Gflops, parameters and
// measured quality. The CompareWorker computes; this is the state and its side of update().
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
}

/// One model of the comparison, as its directory describes it (no weights loaded).
public struct CompareEntry: Equatable, Sendable {
    public var name: String          // directory name
    public var preset: String?       // "DiT-S/8"
    public var gflops: Double
    public var parameters: Int
    public var measured: [MeasuredQuality]   // from eval.json, in its order
    public init(name: String, preset: String?, gflops: Double, parameters: Int, measured: [MeasuredQuality] = []) {
        self.name = name; self.preset = preset; self.gflops = gflops; self.parameters = parameters; self.measured = measured
    }
}

extension Array where Element == MeasuredQuality {
    /// The run at this guidance scale with the most samples (the largest N is the least biased FID).
    public func best(cfg: Double) -> MeasuredQuality? { filter { $0.cfg == cfg }.max { $0.samples < $1.samples } }
    /// What the Compare pane shows: the CFG 4 run (the explorer's default scale), else any.
    public var shown: MeasuredQuality? { best(cfg: 4) ?? first }
}

/// What the worker runs through every model: the trajectory's first settings (one seed, class,
/// guidance, sampler and step count; a branch's later changes are not compared).
public struct CompareJob: Equatable, Sendable {
    public var id: Int
    public var settings: SamplerSettings?   // nil: stop (the pane was left; its models must not slow the sampler)
}

public enum CompareEvent: Equatable, Sendable {
    case stepped(id: Int, model: Int, k: Int, predX0: Planes)
    case failed(id: Int, model: Int, String)
}

public struct ComparisonState: Equatable, Sendable {
    public var entries: [CompareEntry] = []
    public var id = 0
    public var settings: SamplerSettings?   // of the job in flight (nil: none asked yet)
    public var rows: [[Planes]] = []        // x̂0 per model, step by step
    public var failures: [Int: String] = [:]
    public init(entries: [CompareEntry] = []) { self.entries = entries }
}

extension Explorer {
    /// On the Compare pane, a comparison of other settings than the trajectory's is asked for again.
    static func compareJobs(_ s: inout ExplorerState) -> [Effect] {
        guard !s.comparison.entries.isEmpty else { return [] }
        guard s.pane == .compare else {   // left the pane: stop the comparison, rerun it on return
            guard s.comparison.settings != nil else { return [] }
            s.comparison.id += 1
            s.comparison.settings = nil
            return [.compare(CompareJob(id: s.comparison.id, settings: nil))]
        }
        var wanted = Branch.settings(at: 0, in: s.current.lineage)
        wanted.labels = [wanted.labels.first ?? 0]
        guard s.comparison.settings != wanted else { return [] }
        s.comparison.id += 1
        s.comparison.settings = wanted
        s.comparison.rows = Array(repeating: [], count: s.comparison.entries.count)
        s.comparison.failures = [:]
        return [.compare(CompareJob(id: s.comparison.id, settings: wanted))]
    }

    static func receivedCompare(_ e: CompareEvent, _ s: inout ExplorerState) {
        switch e {
        case .stepped(let id, let m, let k, let planes):
            guard id == s.comparison.id, m < s.comparison.rows.count, s.comparison.rows[m].count == k else { return }
            s.comparison.rows[m].append(planes)
        case .failed(let id, let m, let text):
            guard id == s.comparison.id else { return }
            s.comparison.failures[m] = text
        }
    }
}
