// `dit flops` output: the table (with the paper's numbers where it has them), one model's
// breakdown per part, or the same as JSON.
import DiT
import Foundation

enum FlopsReport {
    static func text(_ rows: [CostEstimate], input I: Int, breakdown: Bool) -> [String] {
        guard let first = rows.first else { return [] }
        let c = first.config, paperShape = I == 32 && c.inChannels == 4 && c.numClasses == 1000
        var out = ["input \(I)×\(I)×\(c.inChannels), \(c.numClasses) classes"
                   + (paperShape ? " (the paper's 256×256 → 32×32×4 latents)" : "") + ", conditioning \(first.conditioning.rawValue)"]
        let withPaper = rows.contains { $0.reference != nil }, w = max(10, rows.map(\.name.count).max()!)
        out.append("model".padding(toLength: w, withPad: " ", startingAt: 0) + " p    T      Gflops    params (M)"
                   + (withPaper ? "   paper Gflops  params   Δ Gflops  Δ params" : ""))
        for r in rows {
            var line = String(format: "%@ %-4d %-6d %-9.3f %-10.2f", r.name.padding(toLength: w, withPad: " ", startingAt: 0),
                              r.config.patchSize, r.config.tokenCount, r.flops.gflops, Double(r.parameters.total) / 1e6)
            if let ref = r.reference {
                let params = (ref.paramsM.map { String(format: "%.0f", $0) } ?? "—").padding(toLength: 6, withPad: " ", startingAt: 0)
                line += String(format: "   %-12.2f  %@   %+.2f%%    %@", ref.gflops, params,
                               r.deltaGflops!, r.deltaParams.map { String(format: "%+.2f%%", $0) } ?? "—")
            }
            out.append(line)
        }
        if breakdown { out += parts(first) }
        return out
    }

    /// Gflops and parameters of each part, with their shares.
    static func parts(_ r: CostEstimate) -> [String] {
        let f = r.flops, n = r.parameters, S = f.sequenceLength, T = r.config.tokenCount
        var out = ["", "tokens through the blocks: " + (S == T ? "T = \(T)" : "T + \(S - T) = \(S) (\(S - T) condition tokens)"),
                   "part               Gflops        %     params         %"]
        for part in CostPart.allCases where f[part] > 0 || n[part] > 0 {
            out.append(String(format: "%@ %-12.4f %5.1f%%  %-12d %5.1f%%", part.title.padding(toLength: 18, withPad: " ", startingAt: 0),
                              Double(f[part]) / 1e9, 100 * Double(f[part]) / Double(f.total),
                              n[part], 100 * Double(n[part]) / Double(n.total)))
        }
        out.append(String(format: "%@ %-12.4f %5.1f%%  %-12d %5.1f%%", "total".padding(toLength: 18, withPad: " ", startingAt: 0),
                          f.gflops, 100.0, n.total, 100.0))
        return out
    }

    static func json(_ rows: [CostEstimate], input I: Int, imageSize: Int?, vaeFactor: Int?) -> String {
        var shape: [String: Any] = ["input_size": I]
        if let imageSize, let vaeFactor { shape["image_size"] = imageSize; shape["vae_factor"] = vaeFactor }
        let models: [[String: Any]] = rows.map { r in
            let c = r.config
            var m: [String: Any] = [
                "name": r.name, "patch_size": c.patchSize, "hidden_size": c.hiddenSize, "depth": c.depth,
                "num_heads": c.numHeads, "in_channels": c.inChannels, "num_classes": c.numClasses,
                "tokens": c.tokenCount, "sequence_length": r.flops.sequenceLength,
                "flops": r.flops.total, "gflops": r.flops.gflops, "parameters": r.parameters.total,
                "flops_by_part": Dictionary(uniqueKeysWithValues: CostPart.allCases.map { ($0.rawValue, r.flops[$0]) }),
                "parameters_by_part": Dictionary(uniqueKeysWithValues: CostPart.allCases.map { ($0.rawValue, r.parameters[$0]) }),
            ]
            if let ref = r.reference {
                var paper: [String: Any] = ["gflops": ref.gflops, "delta_gflops_percent": r.deltaGflops!]
                if let p = ref.paramsM, let d = r.deltaParams { paper["params_m"] = p; paper["delta_params_percent"] = d }
                m["paper"] = paper
            }
            return m
        }
        let doc: [String: Any] = ["conditioning": rows.first?.conditioning.rawValue ?? "", "input": shape, "models": models]
        let data = try! JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
