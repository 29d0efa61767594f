import ArgumentParser
import DiT
import Foundation

struct Eval: ParsableCommand, SamplingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure sample quality: classifier accuracy, FID and pixel statistics against the real data.",
        discussion: """
        Samples N images (N divisible by the class count; sample i has class i / (N / classes), so the \
        classes come in blocks), scores them with the shipped Fashion-MNIST classifier \
        (assets/models/fashion-classifier, or --judge DIR) and prints the overall and per-class \
        accuracy, the FID of the classifier's penultimate features against the real test set (with \
        the floor: the real training set against the real test set) and each class's pixel mean \
        and std beside the real ones. The noise is that of one batch of all N samples, as \
        `dit sample --seed S` would draw it, whatever the chunks the work is split into.
        Examples:
          dit eval --model assets/models/dit-s8-fashion --samples 1000 --cfg 4
          dit eval --samples 100 --steps 20 --cfg 1 --json --output samples.npy --grid grid.png
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var ablation: AblationOptions
    @Option(help: ArgumentHelp("The judge: a classifier directory (config.json, model.safetensors, stats.safetensors).", valueName: "dir")) var judge: String?
    @Option(help: "Number of samples (a multiple of the class count).") var samples: Int = 1000
    @OptionGroup var sampling: SamplingOptions
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Option(help: ArgumentHelp("Write the scored samples (N, C, H, W) float32.", valueName: "samples.npy")) var output: String?
    @Option(help: ArgumentHelp("Write the samples as a PNG grid (one row per class).", valueName: "grid.png")) var grid: String?
    @Flag(help: "No progress bar on stderr.") var quiet = false

    func run() throws {
        if let output { try checkOutput(output, flag: "--output") }
        if let grid { try checkOutput(grid, flag: "--grid") }
        let modelPath = try modelOptions.resolved()
        let model = try modelOptions.load()
        guard let judgePath = judge ?? ShippedModels.judge() else {
            throw DiTError(file: "--judge", "no judge given and none found under assets/models/fashion-classifier; pass --judge DIR")
        }
        let judge = try Judge(directory: judgePath)
        let c = model.config, jc = judge.config
        guard judge.scores(c) else {
            throw DiTError(file: "\(judgePath)/config.json", field: "num_classes",
                           "the judge scores \(jc.numClasses) classes of \(jc.inputSize)×\(jc.inputSize)×\(jc.inputChannels) images; "
                           + "the model makes \(c.numClasses) classes of \(c.inputSize)×\(c.inputSize)×\(c.inChannels)")
        }
        guard samples >= 2 * c.numClasses, samples % c.numClasses == 0, samples <= 1_000_000 else {
            throw DiTError(file: "--samples", field: "\(samples)",
                           "expected a multiple of the \(c.numClasses) classes, at least \(2 * c.numClasses) and at most 1000000")
        }
        let labels = EvaluationSampling.labels(samples: samples, classes: c.numClasses)
        let settings = try sampling.settings(labels: [0])
        let bar = ProgressBar(enabled: !quiet, label: "samples")
        let start = Date()
        let x = try EvaluationSampling.sample(model: model, settings: ablation.applied(to: settings, c), labels: labels) { bar.update($0, of: $1) }
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        guard x.allFinite else {
            FileHandle.standardError.write(Data("dit: error: the samples went non-finite (NaN or ∞); nothing was written\n".utf8))
            throw ExitCode(1)
        }
        let q = try SampleQuality(samples: x, labels: labels, judge: judge)
        if let output { try NPY.write(x, to: output) }
        if let grid { try PNG.writeGrid(x, columns: samples / c.numClasses, to: grid) }
        let names = c.classNames ?? jc.classNames
        let nfe = try settings.solver(learnSigma: c.learnSigma).networkEvaluations   // a guided one counts once
        SmallSampleFID.warn(samples: samples)
        if json {
            let object: [String: Any] = [
                "model": modelPath, "judge": judgePath, "samples": samples, "samples_per_class": samples / c.numClasses,
                "sampler": solver.sampler.rawValue, "karras": solver.karras, "thresholding": solver.thresholding, "cfg_interval": solver.cfgInterval ?? NSNull(),
                "cfg_schedule": solver.cfgSchedule.rawValue, "steps": steps, "cfg": Double(cfg), "eta": Double(eta), "seed": seed,
                "nfe_per_sample": nfe, "seconds": (seconds * 10).rounded() / 10,
                "gflops": FLOPs(c).gflops, "parameters": FLOPs.parameters(c),   // per forward pass of one sample
                "accuracy": q.accuracy, "per_class_accuracy": q.perClassAccuracy.map(jsonNumber),
                "fid": q.fid, "fid_floor": q.fidFloor, "class_names": names, "confusion": q.confusion,
                "pixel_mean": q.pixelMean.map(jsonNumber), "pixel_std": q.pixelStd.map(jsonNumber),
                "real_pixel_mean": q.realPixelMean, "real_pixel_std": q.realPixelStd,
                "judge_test_accuracy": jc.testAccuracy, "ablate": ablation.specs,
                "output": output.map { $0 as Any } ?? NSNull(), "grid": grid.map { $0 as Any } ?? NSNull(),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report(q, names: names, modelPath: modelPath, judgePath: judgePath, judgeAccuracy: jc.testAccuracy,
                         nfe: nfe, seconds: seconds))
        }
        if !json {
            if let output { wrote(output, "the \(samples) scored samples") }
            if let grid { wrote(grid, "one row per class") }
        }
    }

    func report(_ q: SampleQuality, names: [String], modelPath: String, judgePath: String, judgeAccuracy: Double,
                nfe: Int, seconds: Double) -> String {
        var lines = [
            "model     \(modelPath)",
            "sampling  \(samples) samples (\(samples / names.count) per class), \(solver.sampler.rawValue)\(solver.karras ? " Karras" : "")\(solver.thresholding ? " thresholding" : "") \(steps) steps"
                + (solver.sampler == .ddim ? ", η \(eta)" : "") + ", CFG \(cfg)"
                + (solver.cfgInterval.map { " in t ∈ [\($0)]" } ?? "") + (solver.cfgSchedule == .constant ? "" : " \(solver.cfgSchedule.rawValue)")
                + ", seed \(seed), NFE \(nfe) per sample" + (cfg == 1 ? "" : " (guided: conditional and null batch together)")
                + ", \(String(format: "%.1f", seconds)) s",
            "judge     \(judgePath) (real test accuracy " + String(format: "%.1f %%)", 100 * judgeAccuracy),
            String(format: "accuracy  %.1f %%", 100 * q.accuracy),
            String(format: "FID       %.3f   (floor %.3f: real train vs real test, on the judge's features)", q.fid, q.fidFloor),
            "",
            "class          accuracy   pixel mean (real)   pixel std (real)",
        ]
        for (k, name) in names.enumerated() {
            lines.append(name.padding(toLength: 14, withPad: " ", startingAt: 0)
                         + String(format: " %6.1f %%    %6.3f (%6.3f)     %5.3f (%5.3f)", 100 * q.perClassAccuracy[k],
                                  q.pixelMean[k], q.realPixelMean[k], q.pixelStd[k], q.realPixelStd[k]))
        }
        return lines.joined(separator: "\n")
    }
}

/// JSON has no NaN: a class without samples reports null.
func jsonNumber(_ v: Double) -> Any { v.isFinite ? v : NSNull() }

/// A one-line progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise.
final class ProgressBar {
    let enabled: Bool, label: String, tty: Bool, start = Date()
    var lastTenth = -1

    init(enabled: Bool, label: String) {
        self.enabled = enabled; self.label = label; tty = isatty(2) != 0
    }

    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let elapsed = Date().timeIntervalSince(start)
        let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
        if tty {
            let width = 30, filled = width * done / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            write(String(format: "\r%@ %d/%d %@ · %.0f s · ETA %.0f s ", bar, done, total, label, elapsed, eta))
        } else if done * 10 / total > lastTenth {
            lastTenth = done * 10 / total
            write(String(format: "%d/%d %@ (%.0f s, ETA %.0f s)\n", done, total, label, elapsed, eta))
        }
    }

    func finish() { if enabled && tty { write("\n") } }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
