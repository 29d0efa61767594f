import ArgumentParser
import DiT
import Foundation

struct Sample: ParsableCommand, SamplingCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sample images with DDIM, DDPM, DPM-Solver++(2M), Euler or Heun and classifier-free guidance.",
        discussion: """
        Examples:
          dit sample --class 0,2 --seed 7 --cfg 4 --steps 50 --output samples.png
          dit sample --model DIR --class 0,2 --noise z.npy --step-noise s.npy --cfg 3 \\
                     --sampler ddpm --steps 10 --output out.npy --trajectory traj.npy
        --noise is x_T (N, C, H, W); --step-noise (steps, N, C, H, W) holds the noise of each \
        step, consumed in order (the last is never used). Without them, noise comes from the \
        seeded generator (xoshiro256** + Box–Muller, see docs/samplers.md). PNG output maps [-1, 1] to \
        0–255 in a grid; .npy output is (N, C, H, W) float32; --trajectory writes \
        (steps + 1, N, C, H, W): x_T, then x after every step, as the model sees it \
        (x_t = √ᾱ·x0 + √(1−ᾱ)·ε for every sampler). dpm++2m, euler and heun are diffusers' \
        DPMSolverMultistep (2M), EulerDiscrete and HeunDiscrete schedulers (linspace spacing, \
        --karras for Karras sigmas); for them x_T = z · init_noise_sigma with z from --noise. \
        --cfg-interval LO,HI guides only where the model timestep t is in [LO, HI]; \
        --cfg-schedule ramps the scale s over t: constant s; linear 1 + (s−1)(1 − t/999); \
        cosine 1 + (s−1)·½(1 + cos(π t/999)). A summary line with the NFE (network \
        evaluations) goes to stdout. --init x0.npy --init-step K (SDEdit, ddim and ddpm): start from the \
        real images x_0 (N, C, H, W) noised to the timestep of step K (q_sample with --noise, or \
        the seed's x_T draw, as ε) and run steps K…end; the trajectory then holds steps − K + 1 frames.
          dit sample --sampler dpm++2m --karras --steps 10 --cfg 4 --cfg-interval 0,700 --output s.png
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var ablation: AblationOptions
    @Option(name: .customLong("class"), parsing: .unconditional, help: ArgumentHelp("Class labels or names, one sample each.", valueName: "y,…")) var labels: String = "0"
    @OptionGroup var sampling: SamplingOptions
    @Option(help: ArgumentHelp("Starting noise x_T (N, C, H, W) .npy.", valueName: "z.npy")) var noise: String?
    @Option(help: ArgumentHelp("Per-step noises (steps, N, C, H, W) .npy.", valueName: "s.npy")) var stepNoise: String?
    @Flag(inversion: .prefixedNo, exclusivity: .exclusive, help: ArgumentHelp("Clip the predicted x0 to [-1, 1] (default: on for pixel models, off for a pipeline folder with vae/, whose latents are no pictures: clip_denoised=False, as sample.py and DiTPipeline).")) var clip: Bool?
    @Option(help: ArgumentHelp("SDEdit: real images x_0 (N, C, H, W) .npy to start from.", valueName: "x0.npy")) var `init`: String?
    @Option(help: ArgumentHelp("SDEdit: the step (0 = noisiest) whose timestep x_0 is noised to.", valueName: "K")) var initStep: Int?
    @Option(help: ArgumentHelp("Output: .npy (N, C, H, W) or .png grid.", valueName: "out.npy|out.png")) var output: String
    @Option(help: ArgumentHelp("Trajectory .npy (steps + 1, N, C, H, W).", valueName: "traj.npy")) var trajectory: String?
    @Option(help: ArgumentHelp("Animated GIF of the trajectory: the grid of x_t at every step, looping.", valueName: "traj.gif")) var gif: String?
    @Flag(help: "Print a progress line per step to stderr.") var progress = false

    func validate() throws {
        let ext = (output as NSString).pathExtension.lowercased()
        guard ext == "npy" || ext == "png" else {
            throw ValidationError("--output must end in .npy or .png, found '\(output)'")
        }
        if (`init` == nil) != (initStep == nil) {
            throw ValidationError("--init and --init-step go together: give both or neither")
        }
        // --steps, --cfg, --eta, --karras, --cfg-interval, --class and --init-step are checked by Sampler, the one place for them.
    }

    func run() throws {
        for (path, flag) in [(output, "--output"), (trajectory, "--trajectory"), (gif, "--gif")] { try checkOutput(path, flag: flag) }
        let model = try modelOptions.load()
        let c = model.config
        let real = try `init`.map { try readArray($0, flag: "--init") }
        var ys = try parseClassList(labels, config: c)
        if let real, real.shape.count == 4, ys.count == 1 { ys = Array(repeating: ys[0], count: real.shape[0]) }   // one label for all images
        let shape = [ys.count, c.inChannels, c.inputSize, c.inputSize]
        if let real, let path = `init`, real.shape != shape {
            throw DiTError(file: path, field: "shape", "expected \(shape) (--init: one row per --class label), found \(real.shape)")
        }
        let xT = try noise.map { try readArray($0, flag: "--noise", shape: shape) }
        let zs = try stepNoise.map { path -> Tensor in
            let t = try readArray(path, flag: "--step-noise")
            guard t.shape.count == 5, Array(t.shape.dropFirst()) == shape else {
                throw DiTError(file: path, field: "shape", "expected (steps, \(shape.map(String.init).joined(separator: ", "))), found \(t.shape)")
            }
            let needed = solver.sampler == .ddpm || eta > 0 ? steps - (initStep ?? 0) - 1 : 0
            guard t.shape[0] >= needed else {
                throw DiTError(file: path, field: "shape", "expected noise for at least \(needed) steps (the last step uses none), found \(t.shape[0])")
            }
            return t
        }
        let settings = try sampling.settings(labels: ys, clip: clip ?? (modelOptions.latentPipeline() == nil))
        let sdedit = real.map { SamplerStart(x0: $0, step: initStep ?? 0) }
        let s = try Sampler(model: model, settings: ablation.applied(to: settings, c), noise: NoiseSource(seed: seed, initial: xT, steps: zs), start: sdedit)
        let start = Date()
        let x0 = try s.run { k, total in
            if progress { FileHandle.standardError.write(Data("step \(k)/\(total)\n".utf8)) }
        }
        if progress {
            FileHandle.standardError.write(Data(String(format: "%d steps in %.2f s\n", steps, Date().timeIntervalSince(start)).utf8))
        }
        try checkFinite(x0, "the sample")
        for r in s.history { try checkFinite(r.next, "step \(r.k + 1) of the trajectory") }
        print("\(solver.sampler.rawValue)\(solver.karras ? " (Karras σ)" : "")\(solver.thresholding ? " (thresholding)" : ""): \(steps) steps, NFE \(s.nfe) (network evaluations, "
              + "\(s.guidedNFE) guided: each runs the conditional and the null batch together), "
              + String(format: "%.2f s", Date().timeIntervalSince(start)))
        if (output as NSString).pathExtension.lowercased() == "png" {
            try PNG.writeGrid(x0, to: output)
        } else {
            try writeFinite(x0, to: output, what: "the sample")
        }
        wrote(output, "\(ys.count) sample\(ys.count == 1 ? "" : "s") \(x0.shape)")
        if let trajectory {
            let traj = Tensor([s.history.count + 1] + shape)
            traj.data.update(from: s.xT.data, count: s.xT.count)
            for (j, r) in s.history.enumerated() { (traj.data + (j + 1) * s.xT.count).update(from: r.next.data, count: s.xT.count) }
            try NPY.write(traj, to: trajectory)
            wrote(trajectory, "\(traj.shape)")
        }
        if let gif { try writeGIF(s, to: gif); wrote(gif, "\(s.history.count + 1) frames") }
    }

    /// x_T, then x after every step, each frame the sample grid enlarged 4×; the last one held.
    func writeGIF(_ s: Sampler, to path: String) throws {
        let frames = [s.xT] + s.history.map(\.next)
        let grids = frames.map { PNG.grid($0, scale: 4) }
        let rgb = grids.map { g in g.channels == 3 ? g.pixels : g.pixels.flatMap { [$0, $0, $0] } }
        try GIF.write(rgbFrames: rgb, width: grids[0].width, height: grids[0].height,
                      delays: frames.indices.map { $0 == frames.count - 1 ? 150 : 8 }, to: path)
    }
}
