// The measured scaling at equal steps (assets/experiments/scaling/results.json, written by
// training/findings.py): small adaLN-Zero DiTs of several widths, depths and patch sizes, trained
// with one recipe to the same steps and scored along the way. Lesson 8 draws FID against Gflops
// at the last step they all have. Read strictly.
import DiT
import Foundation

public struct ScalingResults: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public var step: Int
        public var fid: Double           // CFG 1, on the judge's features
        public var accuracy: Double      // the judge on the intended class, CFG 1
        public var gflops: Double
        public var trainSeconds: Double
        public init(step: Int, fid: Double, accuracy: Double, gflops: Double, trainSeconds: Double) {
            self.step = step; self.fid = fid; self.accuracy = accuracy; self.gflops = gflops; self.trainSeconds = trainSeconds
        }
    }
    public var series: [String: [Point]]   // config name ("DiT-D192-L6/8") → points in step order
    public var samples: Int                // FID over this many samples per point
    public var declaredCommonStep: Int?    // "common_step": the step the set is compared at, when written

    public init(series: [String: [Point]], samples: Int, commonStep: Int? = nil) {
        self.series = series; self.samples = samples; self.declaredCommonStep = commonStep
    }

    public init(json data: Data, file: String) throws {
        let root = try JSON.object(data, file: file)
        guard let all = root["series"]?.object, !all.isEmpty else {
            throw DiTError(file: file, field: "series", "expected an object of config → points")
        }
        guard let n = root["samples"]?.int, n > 0 else { throw DiTError(file: file, field: "samples", "expected a positive integer") }
        samples = n
        if let c = root["common_step"], c.int == nil || c.int! < 0 {
            throw DiTError(file: file, field: "common_step", "expected a non-negative integer")
        }
        declaredCommonStep = root["common_step"]?.int
        series = try all.mapValues { value in
            guard let points = value.array else { throw DiTError(file: file, field: "series", "expected lists of points") }
            return try points.enumerated().map { i, p in
                guard let o = p.object else { throw DiTError(file: file, field: "series[\(i)]", "expected an object") }
                func number(_ key: String) throws -> Double {
                    guard let v = o[key]?.double, v.isFinite, v >= 0 else {
                        throw DiTError(file: file, field: "series[\(i)].\(key)", "expected a finite non-negative number")
                    }
                    return v
                }
                guard let step = o["step"]?.int, step >= 0 else {
                    throw DiTError(file: file, field: "series[\(i)].step", "expected a non-negative integer")
                }
                return Point(step: step, fid: try number("fid"), accuracy: try number("accuracy"), gflops: try number("gflops"),
                             trainSeconds: try number("train_seconds"))
            }.sorted { $0.step < $1.step }
        }
    }

    public static func load(_ path: String) throws -> ScalingResults {
        try ScalingResults(json: try FileRead.contents(path, "the scaling experiment's results"), file: path)
    }

    /// The step the set is compared at: "common_step" when the file names one (training/findings.py:
    /// the last step at least three configs reached), else the last step every config has.
    public var commonStep: Int {
        if let declaredCommonStep { return declaredCommonStep }
        return lastCommonStep(series.values.map { $0.map(\.step) })
    }

    /// Each config's point at `step`, fewest Gflops first.
    public func at(_ step: Int) -> [(config: String, point: Point)] {
        series.compactMap { name, pts in pts.first { $0.step == step }.map { (name, $0) } }
            .sorted { ($0.point.gflops, $0.config) < ($1.point.gflops, $1.config) }
    }
}
