// The measured Fig. 5 at laptop scale (assets/experiments/conditioning/results.json, written by
// training/findings.py): FID against training steps for each block design, and the training loss.
// Read strictly; the lesson draws whatever points exist (the experiment is resumable and may be
// partway).
import DiT
import Foundation

public struct ConditioningCurves: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public var step: Int
        public var fid: Double
        public var accuracy: Double?
        public var loss: Double?
        public var accuracyCFG4: Double?     // the judge's accuracy at CFG 4, where measured
        public init(step: Int, fid: Double, accuracy: Double? = nil, loss: Double? = nil, accuracyCFG4: Double? = nil) {
            self.step = step; self.fid = fid; self.accuracy = accuracy; self.loss = loss; self.accuracyCFG4 = accuracyCFG4
        }
    }
    public var series: [Conditioning: [Point]]   // in step order
    public var samples: Int                      // FID over this many samples per point
    public var batch: Int
    public var model: String?                    // the size the four were trained at, e.g. "DiT-D192-L6/8"

    public init(series: [Conditioning: [Point]], samples: Int, batch: Int, model: String? = nil) {
        self.series = series; self.samples = samples; self.batch = batch; self.model = model
    }

    public init(json data: Data, file: String) throws {
        let root = try JSON.object(data, file: file)
        func int(_ o: [String: JSON], _ key: String, _ path: String) throws -> Int {
            guard let v = o[key]?.int else { throw DiTError(file: file, field: path, "expected an integer") }
            return v
        }
        guard let all = root["series"]?.object else { throw DiTError(file: file, field: "series", "expected an object of design → points") }
        guard let recipe = root["recipe"]?.object else { throw DiTError(file: file, field: "recipe", "expected an object") }
        samples = try int(root, "samples", "samples")
        batch = try int(recipe, "batch", "recipe.batch")
        if let m = root["model"], m.string == nil { throw DiTError(file: file, field: "model", "expected a string") }
        model = root["model"]?.string
        var series: [Conditioning: [Point]] = [:]
        for (name, value) in all {
            guard let design = Conditioning(rawValue: name) else {
                throw DiTError(file: file, field: "series.\(name)", "expected one of \(Conditioning.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let points = value.array else { throw DiTError(file: file, field: "series.\(name)", "expected a list of points") }
            series[design] = try points.enumerated().map { i, p in
                let path = "series.\(name)[\(i)]"
                guard let o = p.object else { throw DiTError(file: file, field: path, "expected an object") }
                guard let fid = o["fid"]?.double, fid.isFinite else { throw DiTError(file: file, field: path + ".fid", "expected a finite number") }
                return Point(step: try int(o, "step", path + ".step"), fid: fid, accuracy: o["accuracy"]?.double, loss: o["loss"]?.double,
                             accuracyCFG4: o["accuracy_cfg4"]?.double)
            }.sorted { $0.step < $1.step }
        }
        self.series = series
    }

    public static func load(_ path: String) throws -> ConditioningCurves {
        try ConditioningCurves(json: try FileRead.contents(path, "the conditioning experiment's results"), file: path)
    }

    /// The largest step any design reached.
    public var lastStep: Int { series.values.compactMap { $0.last?.step }.max() ?? 0 }

    /// The last step every design has a point at (0 when one has none): where the four compare.
    public var commonStep: Int { lastCommonStep(series.values.map { $0.map(\.step) }) }
}

/// The largest step every series has (0 when one has none): where measured series compare.
func lastCommonStep(_ series: [[Int]]) -> Int {
    let steps = series.map(Set.init)
    return steps.dropFirst().reduce(steps.first ?? []) { $0.intersection($1) }.max() ?? 0
}
