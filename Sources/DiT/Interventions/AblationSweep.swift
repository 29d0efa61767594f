// Which blocks (and heads) a sample depends on, and when: one trajectory is sampled, then re-run
// with each target ablated (Ablation.swift) from each of a few start steps k onward, steps 0..<k
// kept as they were. Each cell reports
//   ‖Δx0‖  the L2 norm, over all pixels, of the change of the FINAL sample x_0 (the sampler's
//          output after its last step), ablated minus baseline;
//   p      the judge's probability of the requested class for the ablated final sample.
// The CLI (`dit ablate`) prints and draws this map; the explorer can show the same.
import Foundation

public struct AblationSweep: Sendable {
    public struct Row: Sendable {
        public var ablation: Ablation
        public var deltaNorm: [Double]        // (starts,) ‖x0_ablated − x0_baseline‖₂ per start step
        public var probability: [Double?]     // (starts,) judge's p(requested class) of x0_ablated; nil: no judge
    }

    public let settings: SamplerSettings      // the baseline's (one label)
    public let startSteps: [Int]              // the steps k the ablation starts at (0 = the noisiest)
    public let rows: [Row]
    public let baseline: Tensor               // (1, C, H, W) x_0 without the swept ablations
    public let baselineNorm: Double           // ‖x0_baseline‖₂, for scale
    public let baselineProbability: Double?   // the judge's p(requested class) of the baseline

    /// `count` start steps evenly spaced over 0…steps−1 (both ends included), without repeats.
    public static func startSteps(steps: Int, count: Int) -> [Int] {
        guard steps > 0, count > 0 else { return [] }
        if count == 1 || steps == 1 { return [0] }
        var out: [Int] = []
        for i in 0..<count {
            let k = Int((Double(i) * Double(steps - 1) / Double(count - 1)).rounded())
            if out.last != k { out.append(k) }
        }
        return out
    }

    /// Every block of the model, then with `heads` every head of every block.
    public static func targets(_ c: DiTConfig, heads: Bool) -> [Ablation] {
        (0..<c.depth).map { Ablation.block($0) }
            + (heads ? (0..<c.depth).flatMap { k in (0..<c.numHeads).map { Ablation.head(block: k, head: $0) } } : [])
    }

    /// Runs the sweep: the baseline trajectory of `settings` (one label), then every target from
    /// every start step. `judge` (when it scores this model) gives the class probabilities.
    /// `progress(done, total)` after each re-run; `cancelled` is asked after each step of a re-run
    /// (true: the sweep throws CancellationError, the explorer's worker moving on).
    public static func run(model: DiTModel, settings: SamplerSettings, targets: [Ablation], startSteps: [Int],
                           judge: Judge? = nil, progress: ((Int, Int) -> Void)? = nil,
                           cancelled: (() -> Bool)? = nil) throws -> AblationSweep {
        guard settings.labels.count == 1 else {
            throw SettingError(.labels, "×\(settings.labels.count)", expected: "one class: a sweep follows one sample")
        }
        for t in targets { try t.validate(model.config) }
        let sampler = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: settings.seed))
        guard let last = startSteps.max(), let first = startSteps.min(), first >= 0, last < sampler.stepCount else {
            throw DiTError(file: "start steps", field: "\(startSteps)", "expected at least one start step, each in 0…\(sampler.stepCount - 1)")
        }
        let baseline = try sampler.run().copy()
        let y = settings.labels[0]
        let scored = judge.flatMap { $0.scores(model.config) ? $0 : nil }
        func probability(_ x: Tensor) throws -> Double? {
            guard let scored else { return nil }
            let p = try scored.judge(x).probabilities   // (1, classes)
            return Double(p[y])
        }
        // Start steps from the last to the first: a branch at k keeps steps 0..<k, which are then
        // still the baseline's (every earlier re-run changed only steps from a later k onward).
        let order = startSteps.indices.sorted { startSteps[$0] > startSteps[$1] }
        var delta = Array(repeating: Array(repeating: 0.0, count: startSteps.count), count: targets.count)
        var p = Array(repeating: Array(repeating: Double?.none, count: startSteps.count), count: targets.count)
        var done = 0
        for j in order {
            for (i, target) in targets.enumerated() {
                var s = settings
                s.ablations.insert(target)
                try sampler.branch(at: startSteps[j], settings: s)
                while try sampler.step() != nil { if cancelled?() == true { throw CancellationError() } }
                let x0 = sampler.current
                delta[i][j] = distance(x0, baseline)
                p[i][j] = try probability(x0)
                done += 1
                progress?(done, targets.count * startSteps.count)
            }
        }
        let rows = targets.indices.map { Row(ablation: targets[$0], deltaNorm: delta[$0], probability: p[$0]) }
        return AblationSweep(settings: settings, startSteps: startSteps, rows: rows, baseline: baseline,
                             baselineNorm: distance(baseline, nil), baselineProbability: try probability(baseline))
    }

    /// ‖a − b‖₂ over all values (‖a‖₂ without b), accumulated in Double.
    static func distance(_ a: Tensor, _ b: Tensor?) -> Double {
        var sum = 0.0
        for i in 0..<a.count {
            let d = Double(a.data[i]) - Double(b?.data[i] ?? 0)
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// Whether every number of the sweep is finite (a run that overflowed shows NaN or ∞).
    public var allFinite: Bool {
        baseline.allFinite && rows.allSatisfy { r in r.deltaNorm.allSatisfy(\.isFinite) && r.probability.allSatisfy { $0?.isFinite ?? true } }
    }

    /// The largest ‖Δx0‖ of the map (0 when empty): the top of a colour scale.
    public var maxDelta: Double { rows.flatMap(\.deltaNorm).max() ?? 0 }
}
