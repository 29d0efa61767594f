// The parts of a DiT the cost calculator breaks Gflops and parameters into, in forward order.

public enum CostPart: String, CaseIterable, Sendable {
    case patchEmbed = "patch embedding"      // x_embedder (+ pos_embed among the parameters)
    case timestepMLP = "timestep MLP"        // t_embedder.mlp
    case labelEmbedding = "label embedding"  // y_embedder table: a lookup, no flops
    case adaLN = "adaLN modulation"          // blocks' adaLN_modulation + the final layer's
    case attention = "self-attention"        // qkv, q·kᵀ, P·v, proj
    case crossAttention = "cross-attention"  // q, k, v, q·kᵀ, P·v, proj over the 2 condition tokens
    case mlp = "MLP"                         // fc1, fc2
    case finalLayer = "final layer"          // final_layer.linear
    case layerNorm = "LayerNorm"             // every norm (with γ, β where the variant has them)
}

/// A count per part (flops or parameters) with its total.
public protocol PartCounts {
    subscript(part: CostPart) -> Int { get }
}

extension PartCounts {
    public var total: Int { CostPart.allCases.reduce(0) { $0 + self[$1] } }
}
