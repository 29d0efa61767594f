// The paper's cost arithmetic (Peebles & Xie 2023, Table 4 / Fig. 2): forward "Gflops" counted
// as multiply-accumulates of the matrix products (patch embedding, conditioning MLPs, adaLN,
// qkv/proj, q·kᵀ and P·v, MLP, final layer), plus LayerNorm the way fvcore's counter does
// (4 per normalised element, no affine); softmax, GELU, SiLU and adds are not counted.
// Parameters are model.parameters() of models.py, pos_embed buffer included.

public struct FLOPs: Equatable, Sendable {
    public var patchEmbed = 0      // x_embedder
    public var conditioning = 0    // t_embedder MLP (label embedding is a lookup)
    public var adaLN = 0           // every block's adaLN_modulation + the final layer's
    public var attention = 0       // qkv, q·kᵀ, P·v, proj
    public var mlp = 0             // fc1, fc2
    public var finalLayer = 0      // final_layer.linear
    public var layerNorm = 0       // norm1, norm2 of every block and norm_final
    public var total: Int { patchEmbed + conditioning + adaLN + attention + mlp + finalLayer + layerNorm }

    /// Per sample, for one forward pass.
    public init(_ c: DiTConfig) {
        let T = c.tokenCount, D = c.hiddenSize, H = c.mlpHidden, L = c.depth
        patchEmbed = T * c.patchDim * D
        conditioning = DiTConfig.frequencyEmbeddingSize * D + D * D
        adaLN = L * D * 6 * D + D * 2 * D
        attention = L * (T * D * 3 * D + 2 * T * T * D + T * D * D)
        mlp = L * 2 * T * D * H
        finalLayer = T * D * c.finalDim
        layerNorm = (2 * L + 1) * 4 * T * D
    }

    public var gflops: Double { Double(total) / 1e9 }

    /// Parameter count of models.py's DiT for `c` (with the null-class row, as trained for CFG).
    public static func parameters(_ c: DiTConfig) -> Int {
        let D = c.hiddenSize, H = c.mlpHidden
        let block = 3 * D * D + 3 * D + D * D + D + H * D + H + D * H + D + 6 * D * D + 6 * D
        return c.patchDim * D + D + c.tokenCount * D                     // x_embedder, pos_embed
            + DiTConfig.frequencyEmbeddingSize * D + D + D * D + D         // t_embedder
            + (c.numClasses + 1) * D                                       // y_embedder
            + c.depth * block
            + 2 * D * D + 2 * D + D * c.finalDim + c.finalDim              // final_layer
    }

    /// The paper's Table 4 (256×256 images → 32×32×4 latents, 1000 classes): Gflops, params (M).
    public static let paper: [DiTPreset: (gflops: Double, paramsM: Double)] = [
        .s8: (0.36, 33), .s4: (1.41, 33), .s2: (6.06, 33),
        .b8: (1.42, 131), .b4: (5.56, 130), .b2: (23.01, 130),
        .l8: (5.01, 459), .l4: (19.70, 458), .l2: (80.71, 458),
        .xl8: (7.39, 676), .xl4: (29.05, 675), .xl2: (118.64, 675),
    ]
}
