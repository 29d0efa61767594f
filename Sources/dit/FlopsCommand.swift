import ArgumentParser
import DiT
import Foundation

struct Flops: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The paper's cost calculator: T, Gflops and parameters of DiT, per part.",
        discussion: """
        Counted: multiply-accumulates of every matrix product of one forward pass of one sample \
        (patch embedding, timestep MLP, adaLN modulation, qkv / q·kᵀ / P·v / proj, cross-attention, \
        MLP, final layer), as the paper's Gflops (one multiply-add = one flop), plus LayerNorm as \
        fvcore counts it (4 per element, 5 with γ, β); softmax, GELU, SiLU and adds are not counted. \
        Parameters are those of models.py's DiT, pos_embed and the null-class row included. \
        The default shape is the paper's: 256×256 images as 32×32×4 latents, 1000 classes. \
        Without --config or a shape, the table of S/B/L/XL × p = 2/4/8; with one model, its \
        breakdown per part. --conditioning picks the block design of the paper's Section 3.2 \
        (what the variants other than adaLN-Zero assume is written in Sources/DiT/FLOPs.swift).
        """)

    @Option(parsing: .unconditional, help: "Latent (or pixel) side I (default 32, or --image-size / --vae-factor).") var inputSize: Int?
    @Option(parsing: .unconditional, help: "Image side in pixels, encoded to I = image size / --vae-factor.") var imageSize: Int?
    @Option(parsing: .unconditional, help: "Downsampling of the VAE that turns images into latents (1: pixel space; default 8).") var vaeFactor: Int?
    @Option(parsing: .unconditional, help: "Input channels C.") var inChannels = 4
    @Option(parsing: .unconditional, help: "Number of classes.") var numClasses = 1000
    @Option(help: ArgumentHelp("Conditioning: in-context, cross-attention, adaLN or adaLN-Zero.", valueName: "variant"))
    var conditioning = Conditioning.adaLNZero.rawValue
    @Option(help: ArgumentHelp("One named config (e.g. S/2), with its per-part breakdown.", valueName: "name")) var config: String?
    @Option(parsing: .unconditional, help: "Hidden size D (a custom shape; with --depth and --heads, or changing --config).") var hiddenSize: Int?
    @Option(parsing: .unconditional, help: "Number of DiT blocks (custom shape).") var depth: Int?
    @Option(parsing: .unconditional, help: "Attention heads (custom shape).") var heads: Int?
    @Option(parsing: .unconditional, help: "Patch size p (custom shape; alone: S/B/L/XL at this p).") var patchSize: Int?
    @Flag(help: "Machine-readable output.") var json = false

    func run() throws {
        let variant = try parsedConditioning()
        let input = try latentSide()
        for (flag, v) in [("--in-channels", inChannels), ("--num-classes", numClasses)] { try positive(v, flag) }
        let shapes = try configs(inputSize: input)
        try shapes.forEach(bounded)
        let estimates = shapes.map { CostEstimate($0, conditioning: variant) }
        if json {
            print(FlopsReport.json(estimates, input: input, imageSize: imageSize, vaeFactor: imageSize.map { _ in vaeFactor ?? 8 }))
        } else {
            FlopsReport.text(estimates, input: input, breakdown: estimates.count == 1).forEach { print($0) }
        }
    }

    func parsedConditioning() throws -> Conditioning {
        guard let v = Conditioning(name: conditioning) else {
            throw DiTError(file: "--conditioning", field: conditioning,
                           "expected one of \(Conditioning.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    /// I: --input-size, or --image-size / --vae-factor, or the paper's 32.
    func latentSide() throws -> Int {
        if let imageSize {
            let vaeFactor = self.vaeFactor ?? 8
            if inputSize != nil { throw DiTError(file: "--image-size", "expected either --image-size or --input-size, not both") }
            try positive(imageSize, "--image-size")
            try positive(vaeFactor, "--vae-factor")
            guard imageSize % vaeFactor == 0 else {
                throw DiTError(file: "--image-size", field: String(imageSize), "expected a multiple of --vae-factor \(vaeFactor)")
            }
            return imageSize / vaeFactor
        }
        if vaeFactor != nil { throw DiTError(file: "--vae-factor", "expected together with --image-size") }
        try positive(inputSize ?? 32, "--input-size")
        return inputSize ?? 32
    }

    /// The shapes asked for: the twelve presets, S/B/L/XL at --patch-size, or one model.
    func configs(inputSize I: Int) throws -> [DiTConfig] {
        for (flag, v) in [("--hidden-size", hiddenSize), ("--depth", depth), ("--heads", heads), ("--patch-size", patchSize)] {
            if let v { try positive(v, flag) }
        }
        func shaped(_ p: DiTPreset) -> DiTConfig { p.config(inputSize: I, inChannels: inChannels, numClasses: numClasses) }
        var base: DiTConfig
        if let config {
            base = shaped(try parsePreset(config, flag: "--config"))
        } else if hiddenSize == nil && depth == nil && heads == nil {
            let presets: [DiTPreset] = patchSize == nil ? FLOPs.paperOrder
                                                        : [.s2, .b2, .l2, .xl2]
            let all = presets.map { p -> DiTConfig in var c = shaped(p); c.patchSize = patchSize ?? c.patchSize; return c }
            let fitting = all.filter { I % $0.patchSize == 0 }
            if fitting.isEmpty { try divides(all[0]) }
            let skipped = Set(all.map(\.patchSize)).filter { I % $0 != 0 }.sorted()
            if !skipped.isEmpty && !json {
                FileHandle.standardError.write(Data("dit: note: p = \(skipped.map(String.init).joined(separator: ", ")) left out: the latent side \(I) is not a multiple\n".utf8))
            }
            return fitting
        } else {
            guard let hiddenSize, let depth, let heads else {
                throw DiTError(file: "--hidden-size/--depth/--heads", "expected all three for a custom shape, or --config to start from")
            }
            base = DiTConfig(inputSize: I, patchSize: 2, inChannels: inChannels, hiddenSize: hiddenSize, depth: depth,
                             numHeads: heads, numClasses: numClasses)
        }
        if let hiddenSize { base.hiddenSize = hiddenSize }
        if let depth { base.depth = depth }
        if let heads { base.numHeads = heads }
        if let patchSize { base.patchSize = patchSize }
        guard base.hiddenSize % base.numHeads == 0 else {
            throw DiTError(file: "--heads", field: String(base.numHeads), "expected a divisor of the hidden size \(base.hiddenSize)")
        }
        try divides(base)
        return [base]
    }

    func divides(_ c: DiTConfig) throws {
        guard c.inputSize % c.patchSize == 0 else {
            throw DiTError(file: imageSize == nil ? "--input-size" : "--image-size", field: String(imageSize ?? c.inputSize),
                           "expected a latent side (\(c.inputSize)) divisible by the patch size \(c.patchSize)")
        }
    }

    /// Within DiTConfig.limits (far above the paper's models), so the counts cannot overflow.
    func bounded(_ c: DiTConfig) throws {
        let l = DiTConfig.limits, side = imageSize == nil ? "--input-size" : "--image-size"
        for (flag, v, top) in [(side, c.inputSize, l.inputSize), ("--in-channels", c.inChannels, l.inChannels),
                               ("--hidden-size", c.hiddenSize, l.hiddenSize), ("--depth", c.depth, l.depth),
                               ("--num-classes", c.numClasses, l.numClasses)] where v > top {
            throw DiTError(file: flag, field: String(v), "expected at most \(top)" + (flag == side ? " (the latent side)" : ""))
        }
        guard c.tokenCount <= l.tokens else {
            throw DiTError(file: "--patch-size", field: String(c.patchSize), "(I/p)² = \(c.tokenCount) tokens; expected at most \(l.tokens)")
        }
    }

    func positive(_ v: Int, _ flag: String) throws {
        if v <= 0 { throw DiTError(file: flag, field: String(v), "expected a positive integer") }
    }
}
