import ArgumentParser
import DiT
import Foundation

struct Forward: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one DiT forward pass: model(x, t, y) -> (N, outC, H, W).",
        discussion: """
        Example:
          dit forward --model assets/models/dit-s8-fashion --x x.npy --t 500,37 --class 0,2 \\
                      --output out.npy --attention-block 0 --attention-output attn.npy
        --class num_classes selects the null class (the unconditional model).
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var ablation: AblationOptions
    @Option(name: .customLong("x"), help: ArgumentHelp("Input (N, C, H, W) float .npy.", valueName: "x.npy")) var x: String
    @Option(name: .customLong("t"), parsing: .unconditional, help: ArgumentHelp("Timesteps, one per sample or one for all (0…999).", valueName: "t,…")) var t: String
    @Option(name: .customLong("class"), parsing: .unconditional, help: ArgumentHelp("Class labels, one per sample or one for all.", valueName: "y,…")) var labels: String
    @Option(help: ArgumentHelp("Output .npy (N, outC, H, W) float32.", valueName: "out.npy")) var output: String
    @Option(parsing: .unconditional, help: "Block whose attention probabilities to write (0-based).") var attentionBlock: Int?
    @Option(help: ArgumentHelp("Attention .npy (N, heads, L, L) float32: L = T, or T + 2 for an in-context model (tokens 0, 1 are t, y).", valueName: "attn.npy")) var attentionOutput: String?
    @Option(help: ArgumentHelp("Cross-attention weights .npy (N, heads, T, 2) of --attention-block on [t, y] (cross-attention models).", valueName: "cross.npy")) var crossAttentionOutput: String?

    func validate() throws {
        if (attentionBlock == nil) != (attentionOutput == nil) {
            throw ValidationError("--attention-block and --attention-output go together: give both or neither")
        }
        if crossAttentionOutput != nil && attentionBlock == nil {
            throw ValidationError("--cross-attention-output needs --attention-block")
        }
    }

    func run() throws {
        try checkOutput(output, flag: "--output")
        try checkOutput(attentionOutput, flag: "--attention-output")
        try checkOutput(crossAttentionOutput, flag: "--cross-attention-output")
        let model = try modelOptions.load()
        if crossAttentionOutput != nil && model.config.conditioning != .crossAttention {
            throw DiTError(file: "--cross-attention-output", field: "conditioning",
                           "expected a cross-attention model; this one is \(model.config.conditioning.rawValue)")
        }
        let input = try readArray(x, flag: "--x")
        guard input.shape.count == 4 else {   // before the per-row flags, which would take the blame
            let c = model.config
            throw DiTError(file: x, field: "shape", "expected (N, \(c.inChannels), \(c.inputSize), \(c.inputSize)) (--x), found \(input.shape)")
        }
        let n = input.shape[0]
        let ts = try broadcast(parseIntList(t, flag: "--t"), to: n, flag: "--t")
        if let bad = ts.first(where: { $0 < 0 || $0 >= GaussianDiffusion.numTrainTimesteps }) {
            throw DiTError(file: "--t", field: "\(bad)", "expected timesteps in 0…\(GaussianDiffusion.numTrainTimesteps - 1)")
        }
        let ys = try broadcast(parseClassList(labels, config: model.config), to: n, flag: "--class")
        try model.validate(x: input, t: ts.map(Float.init), y: ys, source: x, timesteps: "--t", labels: "--class")
        if let b = attentionBlock {
            guard b >= 0 && b < model.config.depth else {
                throw DiTError(file: "--attention-block", field: "\(b)", "expected a block in 0…\(model.config.depth - 1)")
            }
            model.probeRequest = ProbeRequest(attentionBlocks: [b])
        }
        let out = try model.forward(x: input, t: ts.map(Float.init), y: ys, ablations: ablation.resolve(model.config))
        let attn = attentionBlock.flatMap { model.probes(batch: n)?.attention[$0] }
        let cross = attentionBlock.flatMap { model.probes(batch: n)?.crossAttention[$0] }
        try checkFinite(out, "the forward pass")
        if let attn { try checkFinite(attn, "the attention of block \(attentionBlock!)") }
        if let cross { try checkFinite(cross, "the cross-attention of block \(attentionBlock!)") }
        try NPY.write(out, to: output)
        wrote(output, "\(out.shape)")
        if let attn, let path = attentionOutput {
            try NPY.write(attn, to: path)
            wrote(path, "\(attn.shape)")
        }
        if let cross, let path = crossAttentionOutput {
            try NPY.write(cross, to: path)
            wrote(path, "\(cross.shape)")
        }
    }
}
