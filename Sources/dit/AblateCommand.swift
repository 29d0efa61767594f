import ArgumentParser
import DiT
import DiTRender
import Foundation

struct Ablate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Which blocks (and heads) a sample depends on, and when: a map of ablations × start steps.",
        discussion: """
        Samples one trajectory (--class, --seed), then re-runs it with each block ablated (both \
        residual branches add nothing; with --heads also each head of each block, zeroed before \
        attn.proj) from each of --starts evenly spaced steps k onward, steps before k kept. Each cell \
        is ‖Δx0‖: the L2 norm, over all pixels, of the change of the FINAL sample (ablated minus \
        baseline), and p: the judge's probability of the requested class for the ablated final \
        sample (the classifier `dit eval` uses; – when none scores this model). A table goes to \
        stdout, or one JSON object with --json; --output draws the ‖Δx0‖ map as a PNG heatmap.
        Example:
          dit ablate --model assets/models/dit-s8-fashion --class Dress --seed 3 --output ablate.png
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .customLong("class"), help: "Class label (index or name).") var label: String = "0"
    @Option(help: "Seed of the noise generator.") var seed: UInt64 = 0
    @Option(help: "Number of sampling steps (respaced from 1000).") var steps: Int = 25
    @Option(help: "Classifier-free guidance scale (1 = no guidance).") var cfg: Float = 4
    @OptionGroup var solver: SolverOptions
    @Option(help: "Start steps per ablation, evenly spaced from the first step to the last.") var starts: Int = 5
    @Flag(help: "Also ablate every head of every block (depth × heads more rows).") var heads = false
    @Option(help: ArgumentHelp("The judge: a classifier directory (default: the shipped fashion-classifier).", valueName: "dir")) var judge: String?
    @Option(help: ArgumentHelp("Heatmap PNG of ‖Δx0‖: ablations × start steps.", valueName: "heatmap.png")) var output: String?
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Flag(help: "Print a progress line per re-run to stderr.") var progress = false

    func validate() throws {
        if let output, (output as NSString).pathExtension.lowercased() != "png" {
            throw ValidationError("--output must end in .png, found '\(output)'")
        }
        guard (1...100).contains(starts) else { throw ValidationError("--starts must be in 1…100, found \(starts)") }
    }

    func run() throws {
        try checkOutput(output, flag: "--output")
        let modelPath = try modelOptions.resolved()
        let model = try modelOptions.load()
        let c = model.config
        let y = try parseClass(label, c)
        let settings = try solver.settings(steps: steps, eta: 0, cfgScale: model.hasNullClass ? cfg : 1, clip: modelOptions.latentPipeline() == nil,
                                           labels: [y], seed: seed)
        let judgePath = judge ?? ShippedModels.judge()
        let judge = try judgePath.map { try Judge(directory: $0) }
        let starts = AblationSweep.startSteps(steps: try settings.solver(learnSigma: c.learnSigma).stepCount, count: starts)
        let targets = AblationSweep.targets(c, heads: heads)
        let start = Date()
        let sweep = try AblationSweep.run(model: model, settings: settings, targets: targets, startSteps: starts, judge: judge) { done, total in
            if progress { FileHandle.standardError.write(Data("re-run \(done)/\(total)\n".utf8)) }
        }
        guard sweep.allFinite else {
            throw NonFiniteResult(what: "the ablation sweep", bad: 1, count: targets.count * starts.count)
        }
        let seconds = Date().timeIntervalSince(start)
        let name = c.classNames.map { $0[y] } ?? "\(y)"
        if let output {
            let map = Self.heatmap(sweep, title: "|dx0| (L2 of the final sample's change), \(name), seed \(seed); ablated from step k on").scaled(by: 2)
            try writePNG(map, to: output)
        }
        if json {
            let rows: [[String: Any]] = sweep.rows.map { r in
                ["ablation": r.ablation.description, "delta_norm": r.deltaNorm,
                 "probability": r.probability.map { $0.map { $0 as Any } ?? NSNull() }]
            }
            let object: [String: Any] = [
                "model": modelPath, "class": y, "class_name": name, "seed": seed, "steps": steps, "cfg": Double(settings.cfgScale),
                "sampler": solver.sampler.rawValue, "start_steps": starts, "heads": heads, "seconds": (seconds * 10).rounded() / 10,
                "metric": "delta_norm: L2 norm over all pixels of (final sample with the ablation from the start step on − final sample without)",
                "baseline_norm": sweep.baselineNorm, "baseline_probability": sweep.baselineProbability.map { $0 as Any } ?? NSNull(),
                "judge": judge.flatMap { $0.scores(c) ? $0.directory as Any : nil } ?? NSNull(), "rows": rows, "output": output.map { $0 as Any } ?? NSNull(),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(Self.table(sweep, header: "\(modelPath): class \(name), seed \(seed), \(solver.sampler.rawValue) \(steps) steps, CFG \(settings.cfgScale), "
                         + String(format: "%.1f s", seconds)))
        if let output { wrote(output, "\(sweep.rows.count) ablations × \(starts.count) start steps") }
    }

    /// Rows of ‖Δx0‖ (p) per start step, under a header that says what they are.
    static func table(_ s: AblationSweep, header: String) -> String {
        func p(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "–" }
        var lines = [header,
                     String(format: "baseline: ‖x0‖ %.3f, p(class) %@", s.baselineNorm, p(s.baselineProbability)),
                     "cells: ‖Δx0‖ = L2 norm over all pixels of (final sample ablated from step k on − baseline final sample), (p = judge's p(class))",
                     "ablation     " + s.startSteps.map { "k=\($0)".padding(toLength: 16, withPad: " ", startingAt: 0) }.joined()]
        for r in s.rows {
            let cells = r.deltaNorm.indices.map { j in
                (String(format: "%7.3f", r.deltaNorm[j]) + " (\(p(r.probability[j])))").padding(toLength: 16, withPad: " ", startingAt: 0)
            }
            lines.append(r.ablation.description.padding(toLength: 13, withPad: " ", startingAt: 0) + cells.joined())
        }
        return lines.joined(separator: "\n")
    }

    /// ‖Δx0‖ as viridis cells (0 … the map's largest), each with its value, rows and columns labelled.
    static func heatmap(_ s: AblationSweep, title: String) -> Raster {
        let hi = max(s.maxDelta, 1e-12)
        let tiles = s.rows.map { r in
            r.deltaNorm.map { v -> Raster in
                let color = ColorMap.viridis.color(v, lo: 0, hi: hi)
                var cell = Raster(width: 40, height: 11, fill: color)
                cell.draw(text: String(format: v < 10 ? "%.2f" : "%.1f", v), x: 3, y: 2, color: color.luminance > 0.5 ? .black : .white)
                return cell
            }
        }
        return LabelledGrid.compose(tiles: tiles, rowLabels: s.rows.map(\.ablation.description),
                                    columnLabels: s.startSteps.map { "k=\($0)" }, title: title, gap: 1)
    }
}
