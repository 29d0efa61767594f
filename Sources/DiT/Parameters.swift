// Parameter counts per part: model.parameters() of models.py's DiT for adaLN-Zero (pos_embed
// and the null-class row included), and for the other conditioning variants the layers
// FLOPs.swift assumes (affine LayerNorms and nn.MultiheadAttention with biases where used).

public struct Parameters: Equatable, Sendable, PartCounts {
    public private(set) var parts: [CostPart: Int] = [:]

    /// `variant` defaults to the config's own design.
    public init(_ c: DiTConfig, conditioning design: Conditioning? = nil) {
        let variant = design ?? c.conditioning
        let D = c.hiddenSize, H = c.mlpHidden, L = c.depth, F = DiTConfig.frequencyEmbeddingSize
        func linear(_ inputs: Int, _ outputs: Int) -> Int { inputs * outputs + outputs }
        parts[.patchEmbed] = linear(c.patchDim, D) + c.tokenCount * D          // x_embedder.proj, pos_embed
        parts[.timestepMLP] = linear(F, D) + linear(D, D)
        parts[.labelEmbedding] = (c.numClasses + 1) * D
        if variant.modulationVectors > 0 {
            parts[.adaLN] = L * linear(D, variant.modulationVectors * D) + linear(D, 2 * D)
        }
        parts[.attention] = L * (linear(D, 3 * D) + linear(D, D))
        if variant == .crossAttention { parts[.crossAttention] = L * (linear(D, 3 * D) + linear(D, D)) }
        parts[.mlp] = L * (linear(D, H) + linear(H, D))
        parts[.finalLayer] = linear(D, c.finalDim)
        if variant.affineLayerNorm { parts[.layerNorm] = (L * variant.layerNormsPerBlock + 1) * 2 * D }
    }

    public subscript(part: CostPart) -> Int { parts[part] ?? 0 }
}
