// The parts of a DiT the cost calculator breaks Gflops and parameters into, in forward order.

/// Raw values are the keys of `dit flops --json`.
public enum CostPart: String, CaseIterable, Sendable {
    case patchEmbed = "patch_embed"          // x_embedder (+ pos_embed among the parameters)
    case timestepMLP = "timestep_mlp"        // t_embedder.mlp
    case labelEmbedding = "label_embedding"  // y_embedder table: a lookup, no flops
    case adaLN = "adaln"                     // blocks' adaLN_modulation + the final layer's
    case attention = "attention"             // qkv, q·kᵀ, P·v, proj
    case crossAttention = "cross_attention"  // q, k, v, q·kᵀ, P·v, proj over the 2 condition tokens
    case mlp = "mlp"                         // fc1, fc2
    case finalLayer = "final_layer"          // final_layer.linear
    case layerNorm = "layer_norm"            // every norm (with γ, β where the variant has them)

    public var title: String {
        switch self {
        case .patchEmbed: return "patch embedding"
        case .timestepMLP: return "timestep MLP"
        case .labelEmbedding: return "label embedding"
        case .adaLN: return "adaLN modulation"
        case .attention: return "self-attention"
        case .crossAttention: return "cross-attention"
        case .mlp: return "MLP"
        case .finalLayer: return "final layer"
        case .layerNorm: return "LayerNorm"
        }
    }
}

/// A count per part (flops or parameters) with its total.
public protocol PartCounts {
    subscript(part: CostPart) -> Int { get }
}

extension PartCounts {
    public var total: Int { CostPart.allCases.reduce(0) { $0 + self[$1] } }
}
