import ArgumentParser
import DiT
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a model: config, parameters, Gflops, tokens, dtypes, shards.")

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let path = try modelOptions.resolved()
        let model = try modelOptions.load()
        let c = model.config
        let flops = FLOPs(c)
        var lines = [
            "model        \(path)",
            "input        \(c.inputSize)×\(c.inputSize)×\(c.inChannels)",
            "patch size   p = \(c.patchSize)   tokens T = (\(c.inputSize)/\(c.patchSize))² = \(c.tokenCount)",
            "hidden size  D = \(c.hiddenSize)   depth \(c.depth)   heads \(c.numHeads) (head dim \(c.headDim))   mlp ratio \(c.mlpRatio)",
            "classes      \(c.numClasses)" + (model.hasNullClass ? " + null class \(model.nullClass) (classifier-free guidance)" : " (no null class: guidance unavailable)"),
            "learn sigma  \(c.learnSigma)   output channels \(c.outChannels)",
            "conditioning \(c.conditioning.rawValue) (the block design, Fig. 5)" + (c.conditioning.extraTokens > 0 ? ": \(c.sequenceLength) tokens through each block" : ""),
            "parameters   \(grouped(model.weights.parameterCount)) (models.py's model.parameters(): weights, biases, the label table, pos_embed)",
            String(format: "Gflops       %.4f per forward pass (multiply-accumulates; see `dit flops`)", flops.gflops),
            "format       " + (c.format == .diffusers
                ? "diffusers DiTTransformer2DModel (Timesteps downscale_freq_shift 1, norm_eps \(c.mlpNormEps) before the MLP, an embedder per block)"
                : "official models.py"),
            "dtypes       \(model.dtypes.joined(separator: ", ")) (computed in F32)",
            "memory       " + weightMemory(model.weights),
            "pos_embed    \(model.weights.posEmbedStored ? "stored" : "computed (not in the file)")",
            "shards       \(model.shards.count): \(model.shards.joined(separator: ", "))",
        ]
        if let names = c.classNames {  // ImageNet's 1000: the first 20
            lines.append("class names  " + names.prefix(20).enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: "; ")
                         + (names.count > 20 ? "; … (\(names.count) in all)" : ""))
        }
        if !model.weights.unusedKeys.isEmpty { lines.append("unknown keys \(model.weights.unusedKeys.joined(separator: ", "))") }
        print(lines.joined(separator: "\n"))
    }
}

func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return out
}

/// "1351.2 MB resident: 1349.9 MB Linear panels in F16, 1.3 MB F32 (biases, norms, embeddings)".
func weightMemory(_ w: DiTWeights) -> String {
    let m = w.memory, total = m.panels.values.reduce(m.other, +)
    let panels = m.panels.sorted { $0.key.rawValue < $1.key.rawValue }.map { String(format: "%.1f MB %@", Double($0.value) / 1e6, $0.key.name) }
    return String(format: "%.1f MB of weights resident: Linear panels ", Double(total) / 1e6) + panels.joined(separator: " + ")
        + String(format: ", %.1f MB F32 (biases, norms, embeddings, pos_embed)", Double(m.other) / 1e6)
}
