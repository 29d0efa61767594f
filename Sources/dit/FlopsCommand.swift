import ArgumentParser
import DiT
import Foundation

struct Flops: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The paper's cost table: Gflops and parameters of DiT S/B/L/XL × p = 2/4/8.",
        discussion: """
        Counted: multiply-accumulates of every matrix product of one forward pass of one sample \
        (patch embedding, timestep MLP, adaLN modulation, qkv / q·kᵀ / P·v / proj, MLP, final \
        layer), as the paper's Gflops (one multiply-add = one flop), plus LayerNorm as fvcore \
        counts it (4 per element); softmax, GELU, SiLU and adds are not counted. \
        Parameters are those of models.py's DiT, pos_embed and the null-class row included. \
        The default shape is the paper's: 256×256 images as 32×32×4 latents, 1000 classes.
        """)

    @Option(help: "Latent (or pixel) side I.") var inputSize = 32
    @Option(help: "Input channels C.") var inChannels = 4
    @Option(help: "Number of classes.") var numClasses = 1000
    @Option(help: ArgumentHelp("Only this config, with its per-part breakdown (e.g. S/2).", valueName: "name")) var config: String?

    func run() throws {
        guard inputSize > 0, inChannels > 0, numClasses > 0 else {
            throw DiTError(file: "--input-size/--in-channels/--num-classes", "expected positive integers")
        }
        let presets: [DiTPreset]
        if let config {
            guard let p = DiTPreset(name: config) else {
                throw DiTError(file: "--config", field: config, "expected one of \(DiTPreset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            presets = [p]
        } else {
            presets = [.s8, .s4, .s2, .b8, .b4, .b2, .l8, .l4, .l2, .xl8, .xl4, .xl2]
        }
        let paperShape = inputSize == 32 && inChannels == 4 && numClasses == 1000
        print("input \(inputSize)×\(inputSize)×\(inChannels), \(numClasses) classes" + (paperShape ? " (the paper's 256×256 → 32×32×4 latents)" : ""))
        print("model      p    T      Gflops    params (M)" + (paperShape ? "   paper Gflops  params   Δ Gflops  Δ params" : ""))
        for p in presets {
            let c = p.config(inputSize: inputSize, inChannels: inChannels, numClasses: numClasses)
            if inputSize % c.patchSize != 0 { print("\(p.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) input size not divisible by p"); continue }
            let f = FLOPs(c), params = Double(FLOPs.parameters(c)) / 1e6
            var line = String(format: "%-10@ %-4d %-6d %-9.3f %-10.2f", p.rawValue as NSString, c.patchSize, c.tokenCount, f.gflops, params)
            if paperShape, let ref = FLOPs.paper[p] {
                line += String(format: "   %-12.2f  %-6.0f   %+.2f%%    %+.2f%%", ref.gflops, ref.paramsM,
                               100 * (f.gflops / ref.gflops - 1), 100 * (params / ref.paramsM - 1))
            }
            print(line)
            if config != nil {
                let g = { (v: Int) in String(format: "%.4f", Double(v) / 1e9) }
                print("  patch embedding \(g(f.patchEmbed))  timestep MLP \(g(f.conditioning))  adaLN \(g(f.adaLN))")
                print("  attention \(g(f.attention))  MLP \(g(f.mlp))  final layer \(g(f.finalLayer))  LayerNorm \(g(f.layerNorm))  (Gflops)")
            }
        }
    }
}
