import ArgumentParser
import DiT
import DiTExplorer
import DiTRender
import Foundation

enum ColorChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, truecolor, palette256 = "256", ascii
}

struct Explore: ParsableCommand, SamplingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the explorer: step through the denoising of a live DiT sampler.",
        discussion: """
        Keys: → / ← step, space play, c class, + / - CFG, m / M next / previous sampler (DDIM, DDPM, \
        DPM++2M, Euler, Heun), K Karras σ, 1-7 panes, ? every key, q quit;
        w g o A export a PNG of the pane, a GIF or .npy of the trajectory, the screen as ANSI text.
        Changing a parameter at step k branches the trajectory there; b compares the two branches.
        / finds a class by name (ImageNet's id2label); for a latent model (a pipeline folder with \
        vae/, or --vae) d decodes x̂0 of the step, in the background.
        Examples:
          dit                           # the shipped DiT-S model
          dit explore --model DIR --class Dress --cfg 2 --steps 100 --sampler ddpm
          dit explore --model DiT-XL-2-256 --class "golden retriever"   # a latent pipeline folder
          dit explore --benchmark       # frame time, first frame, peak memory
          dit explore --record s.jsonl --asciicast s.cast   # then: dit replay s.jsonl
        Colours: truecolour half blocks when COLORTERM says truecolor/24bit (through a "-direct" \
        terminfo, compiled with tic when none is installed), else 256 colours, else an ASCII ramp; \
        NO_COLOR selects ASCII unless --color is given; v switches while running.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var ablation: AblationOptions
    @Option(name: .customLong("class"), help: ArgumentHelp("Class to start with: an index or a class name.", valueName: "y")) var label: String?
    @Option(help: "Colours: auto, truecolor, 256 or ascii.") var color: ColorChoice = .auto
    @OptionGroup var graphicsOptions: GraphicsOptions
    @OptionGroup var latentOptions: LatentVAEOptions
    @Option(help: ArgumentHelp("Directory the export keys (w g o A) write into.", valueName: "dir")) var exportDir = "."
    @Option(help: ArgumentHelp("Record the session (settings, seeds, every key) for `dit replay`.", valueName: "file.jsonl")) var record: String?
    @Option(help: ArgumentHelp("Also record the screen as an asciicast v2 file (asciinema).", valueName: "file.cast")) var asciicast: String?
    @Option(name: .customLong("compare-model"), help: ArgumentHelp("A model for the Compare pane (repeat; default: the shipped S/8, S/4, S/2).", valueName: "dir"))
    var compareModels: [String] = []
    @Option(help: ArgumentHelp("The Compare pane's shipped models without --compare-model: patch sizes or Fig. 5's block designs.",
                               valueName: ShippedModels.Set.allCases.map(\.rawValue).joined(separator: "|")))
    var compareSet: ShippedModels.Set = .sizes
    @Flag(help: "Measure instead of opening the screen: render time per pane, time to the first frame, peak memory.")
    var benchmark = false
    @Option(help: .hidden) var randomConfig: String?

    func run() throws {
        if graphicsOptions.report() { return }
        try open()
    }

    /// Opens the screen; `lesson` starts it on a lesson (`dit lesson`).
    func open(lesson: LessonState? = nil) throws {
        let started = DispatchTime.now().uptimeNanoseconds
        // Everything that can fail happens before the screen is taken; the output paths first.
        for (path, flag) in [(record, "--record"), (asciicast, "--asciicast")] { try checkOutput(path, flag: flag) }
        try checkDirectory(exportDir, flag: "--export-dir")
        let (model, name) = try openModel()
        let vae = try openLatentVAE(model.config)
        // Latents are not images in [-1, 1]: x̂0 is not clipped for them (clip_denoised=False, as sample.py and DiTPipeline).
        let settings = try ablation.applied(to: try sampling.settings(labels: [try resolveClass(model.config)], clip: vae == nil, guided: model.hasNullClass),
                                            model.config)
        // The judge of `dit eval` scores x̂0 at every step when it fits the model (a broken one is skipped).
        var setup = SessionSetup(model: model, name: name, settings: settings)
        setup.judge = ShippedModels.judge().flatMap { try? Judge(directory: $0) }
        setup.lesson = lesson
        setup.vae = vae.map { (model: $0.0, name: $0.1) }
        setup.compared = try compareEntries(model.config)
        setup.designs = try compareEntries(model.config, ShippedModels.all(.designs), given: false)   // lesson 4, live
        setup.real = ShippedData.realImages()
        setup.conditioningCurves = ShippedData.conditioningCurves()
        setup.scalingResults = ShippedData.scaling()
        if benchmark {
            var measured = setup
            measured.background = false   // the sampler alone: the benchmark times the decoder itself
            print(try ExplorerBenchmark.run(try Session.open(measured, screen: (100, 35)), started: started, vae: vae?.0))
            return
        }
        let workers = try Session.workers(setup)   // the settings are checked before the screen is taken
        for path in [record, asciicast].compactMap({ $0 }) where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw DiTError(file: path, "cannot create the file (--record / --asciicast)")   // before the screen is taken
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw DiTError(file: "stdout", "the explorer needs a terminal; for scripts use `dit sample` (or `dit explore --benchmark`)")
        }
        let requested = color.mode(ProcessInfo.processInfo.environment)
        // The terminal's answers are read before curses takes the input.
        let graphics = graphicsOptions.decide()
        let backend = try TerminalBackend.open(preferDirect: requested == .truecolor)
        if let p = graphics.pixels, let cell = graphics.cellSize, requested != .ascii {   // NO_COLOR, --color ascii: no pixels either
            backend.pixels = PixelOutput(encoding: p, cell: cell, passthrough: graphics.passthrough, maxColors: graphics.maxColors)
        }
        setup.colorMode = backend.utf8 ? backend.shown(requested) : .ascii
        setup.truecolorAvailable = backend.direct
        if !backend.utf8 {
            setup.message = "the locale is not UTF-8: ASCII images (run with LANG=C.UTF-8 for half blocks)"
        } else if requested == .truecolor && !backend.direct {
            setup.message = "truecolour shown as 256 colours: no \"-direct\" terminfo for this TERM (and tic failed)"
        } else {
            let ready = String(format: "ready in %.2f s · ? for help", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            if backend.pixels != nil { setup.message = "images: \(graphics.summary) · " + ready }
            else if graphics.pixels != nil { setup.message = "images: cells (the terminal reports no cell size in pixels) · " + ready }
            else { setup.message = ready }
        }
        let driver = SessionDriver(state: Session.state(setup), workers: workers, screen: backend.size,
                                   exporter: Exporter(directory: exportDir))
        let cast: AsciicastWriter?
        do {
            driver.recorder = try record.map {
                try SessionRecorder(path: $0, header: SessionHeader(modelDir: try modelOptions.resolved(), state: driver.state,
                                                                    width: backend.size.width, height: backend.size.height))
            }
            cast = try asciicast.map { try AsciicastWriter(path: $0, width: backend.size.width, height: backend.size.height, title: "dit explore") }
        } catch { backend.close(); throw error }
        let status = backend.run(driver, cast: cast)
        backend.close()
        driver.finish()
        cast?.close(at: driver.clock)
        if !driver.workers.stop(timeout: 3) {
            // A forward pass still running would hold exit() up: the terminal is restored, leave now.
            fflush(stdout)
            _exit(status)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// The Compare pane's models, described from their config.json and eval.json (weights load on
    /// first use, in the worker); only those of the explorer's image shape, so x_T is shared.
    /// Given ones (--compare-model) of another shape are an error, shipped ones are left out.
    func compareEntries(_ c: DiTConfig) throws -> [(dir: String, entry: CompareEntry)] {
        try compareEntries(c, compareModels.isEmpty ? ShippedModels.all(compareSet) : compareModels, given: !compareModels.isEmpty)
    }

    func compareEntries(_ c: DiTConfig, _ dirs: [String], given: Bool) throws -> [(dir: String, entry: CompareEntry)] {
        try dirs.compactMap { dir in
            let mc = try DiTConfig.load(URL(fileURLWithPath: dir).appendingPathComponent("config.json"))
            guard mc.inChannels == c.inChannels, mc.inputSize == c.inputSize else {
                if !given { return nil }
                throw DiTError(file: dir + "/config.json", field: "input_size",
                               "expected the explored model's \(c.inputSize)×\(c.inputSize)×\(c.inChannels) images for --compare-model")
            }
            let described = Compare.described(dir)
            let entry = CompareEntry(name: (dir as NSString).lastPathComponent,
                                     preset: DiTPreset(matching: mc)?.rawValue ?? described.modelType,
                                     gflops: FLOPs(mc).gflops, parameters: FLOPs.parameters(mc),
                                     measured: Compare.measured(dir), conditioning: mc.conditioning,
                                     trainingSteps: described.steps)
            return (dir, entry)
        }
    }

    /// --model (or the shipped one), or random weights of a paper config for benchmarking.
    func openModel() throws -> (DiTModel, String) {
        if let randomConfig {
            let p = try parsePreset(randomConfig, flag: "--random-config")
            let c = p.config(inputSize: 32, inChannels: 1, numClasses: 10)
            return (DiTModel(config: c, weights: try DiTWeights.random(config: c)), "random \(p.rawValue)")
        }
        let path = try modelOptions.resolved()
        return (try modelOptions.load(), URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent)
    }

    /// The VAE of a latent model: --vae, else a pipeline folder's vae/ (nil: a pixel model);
    /// its latent channels must be the model's input channels.
    func openLatentVAE(_ c: DiTConfig) throws -> (AutoencoderKL, String)? {
        let path: String
        if let vae = latentOptions.vae { path = vae } else {
            guard randomConfig == nil, let dir = modelOptions.latentPipeline() else { return nil }
            path = dir
        }
        let v = try openVAE(path)
        guard v.config.latentChannels == c.inChannels else {
            throw DiTError(file: path == "sd" ? "--vae" : v.directory + "/config.json", field: "latent_channels",
                           "expected the model's \(c.inChannels) input channels, found \(v.config.latentChannels)")
        }
        let name = path == "sd" ? "random KL-f8" : URL(fileURLWithPath: v.directory).standardizedFileURL.pathComponents.suffix(2).joined(separator: "/")
        return (v, name)
    }

    /// "3" or "Dress" (any case) -> 3: one class, not the null one.
    func resolveClass(_ c: DiTConfig) throws -> Int {
        guard let label else { return 0 }
        return try parseClass(label, c)
    }
}
