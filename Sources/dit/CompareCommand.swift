import ArgumentParser
import DiT
import DiTExplorer
import Foundation

struct Compare: ParsableCommand, SamplingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one seed, class and sampler through several models: x̂0 per step, models × steps.",
        discussion: """
        Every model starts from the same x_T (the seed's draw), with the same class, guidance and \
        sampler, so the rows differ only by the model. Prints each model's Gflops, parameters, the \
        judge's verdict on its final sample, and its measured quality from the eval.json beside it \
        (written by `dit eval --json`); --output writes the x̂0 grid (a row per model, --columns \
        steps evenly spaced from the first to the last). Without --model: the shipped S/8, S/4 and S/2, \
        or with --set designs the four Fig. 5 block designs.
        Example:
          dit compare --class Dress --seed 3 --steps 50 --output compare.png
        """)

    @Option(name: .customLong("model"), help: ArgumentHelp("A model directory (repeat for each model).", valueName: "dir"))
    var models: [String] = []
    @Option(help: ArgumentHelp("Without --model: the shipped patch sizes (S/8, S/4, S/2) or the four block designs of Fig. 5 (DiT-S/8).",
                               valueName: ShippedModels.Set.allCases.map(\.rawValue).joined(separator: "|")))
    var set: ShippedModels.Set = .sizes
    @Option(name: .customLong("class"), help: "Class label (index or name).") var label: String = "0"
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var ablation: AblationOptions
    @Option(help: "Steps shown per model in the grid.") var columns: Int = 10
    @Option(help: ArgumentHelp("PNG grid of x̂0: models × steps.", valueName: "grid.png")) var output: String?
    @Flag(help: "Print one JSON object instead of the table.") var json = false

    func run() throws {
        if let output { try checkOutput(output, flag: "--output") }
        guard (1...1000).contains(columns) else {
            throw DiTError(file: "--columns", field: "\(columns)", "expected 1…1000")
        }
        let dirs = models.isEmpty ? ShippedModels.all(set) : models
        guard !dirs.isEmpty else {
            throw DiTError(file: "--set", field: set.rawValue, "none of this set's shipped models (assets/models/{\(set.names.joined(separator: ","))}) is here; pass --model DIR (repeatable)")
        }
        let judge = ShippedModels.judge().flatMap { try? Judge(directory: $0) }
        var rows: [[String: Any]] = [], frames: [Tensor] = [], shape: [Int]?
        for dir in dirs {
            let model = try DiTModel(directory: dir)
            let c = model.config
            if let shape, shape != [c.inChannels, c.inputSize, c.inputSize] {
                throw DiTError(file: dir, field: "input_size", "expected the image shape of the first model, \(shape); found \([c.inChannels, c.inputSize, c.inputSize])")
            }
            shape = [c.inChannels, c.inputSize, c.inputSize]
            let y = try parseClass(label, c)
            let settings = try sampling.settings(labels: [y], guided: model.hasNullClass)
            let s = try Sampler(model: model, settings: ablation.applied(to: settings, c), noise: NoiseSource(seed: seed))
            let start = Date()
            try s.run()
            let ms = Date().timeIntervalSince(start) * 1000
            guard s.current.allFinite else {
                FileHandle.standardError.write(Data("dit: error: \(dir): the sample went non-finite; nothing was written\n".utf8))
                throw ExitCode(1)
            }
            let picked = (0..<columns).map { i in columns == 1 ? s.history.count - 1 : i * (s.history.count - 1) / (columns - 1) }
            frames += picked.map { s.history[$0].predXstart }
            let described = Self.described(dir)
            var row: [String: Any] = [
                "model": dir, "preset": DiTPreset(matching: c)?.rawValue ?? described.modelType ?? "custom",
                "training_steps": described.steps as Any,
                "gflops": FLOPs(c).gflops, "parameters": model.weights.parameterCount, "milliseconds": ms.rounded(),
                "steps_shown": picked,
            ]
            if let judge, judge.scores(c) {
                let p = try judge.judge(s.current).probabilities.array
                let top = Judge.top(p)
                row["judge_top_class"] = top; row["judge_probability_requested"] = Double(p[y])
            }
            if let e = Self.measured(dir).shown {
                row["eval"] = ["samples": e.samples, "steps": e.steps, "sampler": e.sampler, "cfg": e.cfg, "accuracy": e.accuracy, "fid": e.fid]
                row["eval_summary"] = e.summary
            }
            rows.append(row)
        }
        if let output, let shape {
            let grid = Tensor([frames.count] + shape)
            let len = shape.reduce(1, *)
            for (i, f) in frames.enumerated() { (grid.data + i * len).update(from: f.data, count: len) }
            let g = PNG.grid(grid, columns: columns, scale: 2)
            try PNG.write(pixels: g.pixels, width: g.width, height: g.height, channels: g.channels, to: output)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: ["class": label, "seed": seed, "steps": steps, "cfg": Double(cfg),
                                                                   "sampler": solver.sampler.rawValue, "models": rows], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("class \(label), seed \(seed), \(solver.sampler.rawValue)\(solver.karras ? " Karras" : "") \(steps) steps, CFG \(cfg)")
        // Columns as wide as their longest entry, so every row lines up whatever the names.
        let names = rows.map { ((($0["model"] as! String) as NSString).lastPathComponent) }
        let presets = rows.map { $0["preset"] as! String }
        let nameWidth = max(30, names.map(\.count).max() ?? 0), presetWidth = max(9, presets.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
        func rightAligned(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        print(pad("model", nameWidth) + " " + pad("preset", presetWidth)
              + "  Gflops      params    time   judge on x̂0        measured (eval.json)")
        for (i, r) in rows.enumerated() {
            let judged = (r["judge_probability_requested"] as? Double).map { String(format: "p(class) %.2f", $0) } ?? "–"
            let e = ((r["training_steps"] as? Int).map { "\($0) steps · " } ?? "") + ((r["eval_summary"] as? String) ?? "–")
            print(pad(names[i], nameWidth) + " " + pad(presets[i], presetWidth)
                  + String(format: " %7.3f ", r["gflops"] as! Double) + rightAligned(grouped(r["parameters"] as! Int), 11)
                  + String(format: " %6.0f ms   ", r["milliseconds"] as! Double)
                  + pad(judged, 18) + " " + e)
        }
        if let output { print("wrote \(output) (\(rows.count) models × \(columns) steps of x̂0)") }
    }

    /// The quality `dit eval` measured for this model: the entries of its eval.json "dit_eval" list
    /// that have the numbers (an unreadable file or entry is skipped: it is a description, not input).
    static func described(_ dir: String) -> (modelType: String?, steps: Int?) {
        guard let data = FileManager.default.contents(atPath: dir + "/config.json"),
              let j = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return (nil, nil) }
        return (j["model_type"] as? String, j["training_steps"] as? Int)
    }

    /// The quality `dit eval` measured for this model (as `described`, a description, not input).
    static func measured(_ dir: String) -> [MeasuredQuality] {
        guard let data = FileManager.default.contents(atPath: dir + "/eval.json"),
              let j = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let runs = j["dit_eval"] as? [[String: Any]] else { return [] }
        return runs.compactMap { e in
            guard let n = e["samples"] as? Int, let k = e["steps"] as? Int, let sampler = e["sampler"] as? String,
                  let cfg = (e["cfg"] as? NSNumber)?.doubleValue, let acc = (e["accuracy"] as? NSNumber)?.doubleValue,
                  let fid = (e["fid"] as? NSNumber)?.doubleValue, fid.isFinite else { return nil }
            return MeasuredQuality(samples: n, steps: k, sampler: sampler, cfg: cfg, accuracy: acc, fid: fid)
        }
    }
}
