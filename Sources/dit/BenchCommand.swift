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
        and the roofline: the sgemm GFLOPS of the engine's kernel and of OpenBLAS at the \
        forward's own Linear shapes (qkv, proj, fc1, fc2), the best of the two at each. \
        --profile adds where the timed passes spent their time: each GEMM shape, attention, \
        LayerNorm, GELU, the residuals and the thread hand-offs.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(help: ArgumentHelp("Benchmark a named config with random weights instead of a model (e.g. S/2).", valueName: "name")) var config: String?
    @Option(parsing: .unconditional, help: "Input side for --config.") var inputSize = 32
    @Option(parsing: .unconditional, help: "Input channels for --config.") var inChannels = 1
    @Option(parsing: .unconditional, help: "Classes for --config.") var numClasses = 10
    @Option(help: ArgumentHelp("Storage of the --config random matrices: as a checkpoint in F16 or BF16 keeps them (half the bytes), or F32.", valueName: "f32|f16|bf16"))
    var weights: WeightStorage = .f32
    @Option(parsing: .unconditional, help: "Batch size of one forward (a guided step of one image is batch 2).") var batch = 2
    @Option(parsing: .unconditional, help: "Timed forward passes.") var iterations = 20
    @Option(parsing: .unconditional, help: "Untimed warm-up passes.") var warmup = 3
    @Option(parsing: .unconditional, help: "Also time a whole guided DDIM sample of batch/2 images with this many steps.") var sampleSteps: Int?
    @Flag(help: "Also print where the timed passes spent their time: each GEMM shape, attention, LayerNorm, GELU, residuals, thread hand-offs.") var profile = false
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
            model = DiTModel(config: c, weights: try DiTWeights.random(config: c, storage: weights.storage))
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
        Profile.enabled = profile
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try model.forward(x: x, t: t, y: y)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        Profile.enabled = false
        times.sort()
        let median = times[times.count / 2]
        let flops = 2 * Double(FLOPs(c).total) * Double(batch)
        let achieved = flops / (median / 1e3) / 1e9
        let rows = batch * c.sequenceLength, D = c.hiddenSize, H = c.mlpHidden
        let shapes = [(rows, 3 * D, D), (rows, D, D), (rows, H, D), (rows, D, H)]  // qkv, proj, fc1, fc2
        let engine = shapes.map { sgemmGFLOPS(m: $0.0, n: $0.1, k: $0.2, packed: true) }
        let openBLAS = shapes.map { sgemmGFLOPS(m: $0.0, n: $0.1, k: $0.2, packed: false) }
        // The roofline: the forward's Linear flops at the best measured rate of each shape.
        let shapeFlops = shapes.map { 2 * Double($0.0 * $0.1 * $0.2) }
        let best = zip(engine, openBLAS).map { max($0, $1) }
        let roofline = shapeFlops.reduce(0, +) / zip(shapeFlops, best).map { $0 / $1 }.reduce(0, +)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("config       DiT \(c.inputSize)×\(c.inputSize)×\(c.inChannels), p = \(c.patchSize), T = \(c.tokenCount), D = \(c.hiddenSize), depth \(c.depth), batch \(batch)")
        let shares = DiTModel.shareCount(batch: batch, cores: cores)
        print("threads      \(cores) cores: " + (shares > 1 ? "the batch split into \(shares) shares, one forward each per core" : "each stage split over them")
              + "; GEMM kernel \(GEMM.isa.name)")
        print("weights      " + weightMemory(model.weights))
        print(String(format: "forward      %.3f ms median (min %.3f, max %.3f) over %d runs", median, times.first!, times.last!, iterations))
        print(String(format: "achieved     %.1f GFLOPS (%.3f Gflop per forward)", achieved, flops / 1e9))
        let names = ["qkv", "proj", "fc1", "fc2"]
        for (i, (m, n, k)) in shapes.enumerated() {
            print(String(format: "sgemm %-6@ %d×%d×%d: engine %.1f GFLOPS, OpenBLAS %.1f GFLOPS", names[i] as NSString, m, n, k, engine[i], openBLAS[i]))
        }
        print(String(format: "roofline     %.1f GFLOPS (best of the two at each shape, weighted by its flops); the forward reaches %.0f%% of it (%.0f%% in its fastest pass)",
                     roofline, 100 * achieved / roofline, 100 * achieved * median / times.first! / roofline))
        if profile { printProfile(iterations: iterations, forwardMs: times.reduce(0, +) / Double(iterations), shares: shares) }
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
        let vae = try openVAE(path)
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

    /// The profile table: per forward, each stage's calls and milliseconds (mean over the timed
    /// passes) and its share of the mean forward; nested lines are CPU time inside their parent.
    /// A batch run as `shares` concurrent forwards sums each stage over them: CPU time, read
    /// against shares × the forward's wall time.
    private func printProfile(iterations: Int, forwardMs: Double, shares: Int) {
        Profile.enabled = false
        let rows = Profile.table
        let perPass = { (ms: Double) in ms / Double(iterations) }
        let budget = forwardMs * Double(shares)
        print("profile      per forward (mean of \(iterations) timed passes; kernel path \(GEMM.isa.name)):")
        if shares > 1 {
            print("             the batch ran as \(shares) concurrent shares: ms are CPU time summed over them, shares of \(shares) × the wall time")
        }
        print("  stage                                        calls        ms   share")
        var top = 0.0
        for r in rows {
            let nested = r.stage.hasPrefix(" ") || r.stage == "thread hand-offs"
            if !nested { top += perPass(r.ms) }
            print(String(format: "  %@ %5d %9.3f %6.1f%%", r.stage.padding(toLength: 42, withPad: " ", startingAt: 0) as NSString,
                         r.calls / iterations, perPass(r.ms), 100 * perPass(r.ms) / budget))
        }
        let rest = max(0, budget - top)
        let restName = shares > 1 ? "other (embeddings, copies, a share's wait)" : "other (embeddings, copies, SiLU, probes)"
        print(String(format: "  %@       %9.3f %6.1f%%", restName.padding(toLength: 42, withPad: " ", startingAt: 0) as NSString,
                     rest, 100 * rest / budget))
        print("  (thread hand-offs and the indented attention lines are inside the stages above)")
    }

    /// Best of a few timed (m, k) @ (n, k)ᵀ products over all cores: through the engine's packed
    /// kernel, or through OpenBLAS (the unpacked BLAS.linear: OpenBLAS per core, or the small-row
    /// kernel for ≤ 48 rows).
    private func sgemmGFLOPS(m: Int, n: Int, k: Int, packed: Bool) -> Double {
        let a = Tensor([m, k]), b = Tensor([n, k]), out = Tensor([m, n])
        a.fill(0.5); b.fill(0.25)
        if packed { b.packForLinear() }
        // Many short trials, the fastest kept: on a shared machine some run undisturbed.
        let reps = max(1, Int(5e7 / Double(2 * m * n * k)))
        var best = Double.infinity
        for _ in 0..<40 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<reps { BLAS.linear(a.data, rows: m, b, nil, into: out.data) }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(reps))
        }
        return 2 * Double(m * n * k) / best / 1e9
    }
}

/// --weights: how bench's random matrices are stored.
enum WeightStorage: String, CaseIterable, ExpressibleByArgument {
    case f32, f16, bf16
    var storage: PackedPanels.Storage { [.f32: .f32, .f16: .f16, .bf16: .bf16][self]! }
}
