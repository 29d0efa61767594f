import ArgumentParser
import DiT
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark the forward pass against this machine's measured sgemm peak.",
        discussion: """
        Examples:
          dit bench --config S/2 --batch 2            # random weights, 32×32×1, 10 classes
          dit bench --model assets/models/dit-s8-fashion --batch 2 --sample-steps 100
          dit bench --config XL/2 --in-channels 4 --num-classes 1000 --batch 2 --iterations 3 --vae sd
        Reports the median ms per forward, the achieved GFLOPS (2 flops per multiply-accumulate) \
        and, beside it, the sgemm GFLOPS of OpenBLAS on this machine at a large square shape \
        and at the model's own MLP shape: the roofline.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(help: ArgumentHelp("Benchmark a named config with random weights instead of a model (e.g. S/2).", valueName: "name")) var config: String?
    @Option(parsing: .unconditional, help: "Input side for --config.") var inputSize = 32
    @Option(parsing: .unconditional, help: "Input channels for --config.") var inChannels = 1
    @Option(parsing: .unconditional, help: "Classes for --config.") var numClasses = 10
    @Option(parsing: .unconditional, help: "Batch size of one forward (a guided step of one image is batch 2).") var batch = 2
    @Option(parsing: .unconditional, help: "Timed forward passes.") var iterations = 20
    @Option(parsing: .unconditional, help: "Untimed warm-up passes.") var warmup = 3
    @Option(parsing: .unconditional, help: "Also time a whole guided DDIM sample of batch/2 images with this many steps.") var sampleSteps: Int?
    @Option(help: ArgumentHelp("Also time one VAE decode: a diffusers AutoencoderKL folder, or 'sd' for the Stable Diffusion KL-f8 VAE with random weights.",
                               valueName: "dir|sd")) var vae: String?
    @Option(parsing: .unconditional, help: "Latent side of the --vae decode (default: the model's input size).") var vaeLatentSize: Int?

    func run() throws {
        // Bounded so that a typo cannot ask for terabytes of activations or a run of days.
        for (flag, v, range) in [("--batch", batch, 1...1024), ("--iterations", iterations, 1...100_000), ("--warmup", warmup, 0...100_000)]
            where !range.contains(v) {
            throw DiTError(file: flag, field: String(v), "expected \(range.lowerBound)…\(range.upperBound)")
        }
        let model: DiTModel
        if let config {
            let p = try parsePreset(config, flag: "--config")
            let c = p.config(inputSize: inputSize, inChannels: inChannels, numClasses: numClasses)
            try c.validate(file: "--config")
            model = DiTModel(config: c, weights: try DiTWeights.random(config: c))
        } else {
            model = try modelOptions.load()
        }
        let c = model.config
        let x = Tensor([batch, c.inChannels, c.inputSize, c.inputSize])
        var g = Xoshiro256StarStar(seed: 1)
        g.fillNormal(x.data, count: x.count)
        let t = (0..<batch).map { Float(($0 * 397 + 500) % 1000) }
        let y = (0..<batch).map { $0 % c.numClasses }

        for _ in 0..<warmup { _ = try model.forward(x: x, t: t, y: y) }
        var times: [Double] = []
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try model.forward(x: x, t: t, y: y)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        let median = times[times.count / 2]
        let flops = 2 * Double(FLOPs(c).total) * Double(batch)
        let achieved = flops / (median / 1e3) / 1e9
        let peakLarge = sgemmGFLOPS(m: 1024, n: 1024, k: 1024)
        let peakModel = sgemmGFLOPS(m: batch * c.tokenCount, n: c.mlpHidden, k: c.hiddenSize)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("config       DiT \(c.inputSize)×\(c.inputSize)×\(c.inChannels), p = \(c.patchSize), T = \(c.tokenCount), D = \(c.hiddenSize), depth \(c.depth), batch \(batch)")
        print("threads      \(cores) cores: each Linear split over them, OpenBLAS single-threaded inside")
        print(String(format: "forward      %.3f ms median (min %.3f, max %.3f) over %d runs", median, times.first!, times.last!, iterations))
        print(String(format: "achieved     %.1f GFLOPS (%.3f Gflop per forward)", achieved, flops / 1e9))
        print(String(format: "sgemm peak   %.1f GFLOPS at 1024³, %.1f GFLOPS at the MLP shape (%d×%d×%d)",
                     peakLarge, peakModel, batch * c.tokenCount, c.mlpHidden, c.hiddenSize))
        print(String(format: "roofline     %.0f%% of the MLP-shape sgemm peak", 100 * achieved / peakModel))
        if let steps = sampleSteps {
            let n = max(1, batch / 2)
            let settings = SamplerSettings(kind: .ddim, steps: steps, cfgScale: 4, labels: Array(y.prefix(n)), seed: 0)
            let s = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: 0))
            let start = Date()
            try s.run()
            let secs = Date().timeIntervalSince(start)
            print(String(format: "sample       %d DDIM steps, CFG 4, %d image(s): %.3f s (%.2f ms/step)", steps, n, secs, 1000 * secs / Double(steps)))
        }
        if let vae { try benchDecode(vae, latentSize: vaeLatentSize ?? c.inputSize) }
    }

    /// One decode of a random (1, latent, h, h) after a small warm-up, as vae.decode(z / scaling_factor).
    private func benchDecode(_ path: String, latentSize h: Int) throws {
        guard (1...256).contains(h) else { throw DiTError(file: "--vae-latent-size", field: String(h), "expected 1…256") }
        let vae = path == "sd" ? try AutoencoderKL(config: .stableDiffusion, reader: WeightReader(randomSeed: 0)) : try AutoencoderKL(directory: path)
        let l = vae.config.latentChannels, f = vae.config.downsampleFactor
        let z = Tensor([1, l, h, h])
        var g = Xoshiro256StarStar(seed: 2)
        g.fillNormal(z.data, count: z.count)
        _ = try vae.decode(latents: Tensor([1, l, 2, 2]))
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try vae.decode(latents: z)
        let secs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "vae decode   %d×%d×%d latent -> %d×%d image: %.2f s (%.1f M parameters, %.0f MB of buffers)",
                     h, h, l, h * f, h * f, secs, Double(vae.parameterCount) / 1e6, Double(vae.scratchFloats * 4) / 1e6))
    }

    /// Best of a few timed (m, k) @ (n, k)ᵀ products through the engine's Linear (all cores).
    private func sgemmGFLOPS(m: Int, n: Int, k: Int) -> Double {
        let a = Tensor([m, k]), b = Tensor([n, k]), out = Tensor([m, n])
        a.fill(0.5); b.fill(0.25)
        let reps = max(3, Int(2e9 / Double(2 * m * n * k)))
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<reps { BLAS.linear(a.data, rows: m, in: k, b.data, nil, out: n, into: out.data) }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(reps))
        }
        return 2 * Double(m * n * k) / best / 1e9
    }
}
