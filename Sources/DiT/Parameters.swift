// Parameter counts per part. The one definition dit uses everywhere (`dit info`, `dit compare`,
// `dit flops`, `dit eval`, the explorer's status line and Compare pane, the lessons): the
// parameters of models.py's DiT as its train.py logs them, `sum(p.numel() for p in
// model.parameters())`: every weight and bias, the label table with its null-class row, and the
// frozen sin-cos pos_embed (an nn.Parameter with requires_grad=False: counted, though never
// trained; T·D, 6,144 for DiT-S/8 on 32×32 images). For adaLN-Zero that is the model itself;
// for the other conditioning variants, the layers FLOPs.swift assumes (affine LayerNorms and
// nn.MultiheadAttention with biases where used). A loaded checkpoint counts the same way:
// DiTWeights.parameterCount, equal to this for the shipped models (ParametersTests).

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
