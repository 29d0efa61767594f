// The paper's cost arithmetic (Peebles & Xie 2023, Table 4 / Fig. 2): forward "Gflops" counted
// as multiply-accumulates of the matrix products (patch embedding, conditioning MLPs, adaLN,
// qkv/proj, q·kᵀ and P·v, MLP, final layer), plus LayerNorm the way fvcore's counter does
// (4 per normalised element, 5 with an affine γ, β); softmax, GELU, SiLU and adds are not
// counted. Parameters.swift counts the weights of the same layers.
//
// The conditioning variants other than adaLN-Zero are not in models.py; counted here as the engine
// runs them (training/dit_model.py, the paper's text, Section 3.2):
// - in-context: S = T + 2 tokens through every block (attention and MLP grow, q·kᵀ with S²);
//   no adaLN anywhere; the final layer is an affine LayerNorm + Linear over the T image tokens.
// - cross-attention: K = 2 condition tokens (t_emb, y_emb; D wide) as keys/values; per block an
//   extra affine LayerNorm and a cross-attention (q Linear(D, D) on the T tokens, kv Linear(D, 2D)
//   on the K, proj Linear(D, D)); no adaLN.
//   For DiT-XL/2 this comes to 137.73 Gflops, +16.0 % over adaLN-Zero (the text says "roughly
//   15 %", Fig. 5's legend 137.6 vs 118.6, also +16.0 %): the cross layer adds ≈ 2·T·D² per
//   block (q and proj; k, v see only 2 tokens), against ≈ 12·T·D² + 2·T²·D for the rest.
// - adaLN: Linear(D, 4D) per block (no gates), the final layer's Linear(D, 2D) as adaLN-Zero's.

public struct FLOPs: Equatable, Sendable, PartCounts {
    public var patchEmbed = 0      // x_embedder
    public var conditioning = 0    // t_embedder MLP (label embedding is a lookup)
    public var adaLN = 0           // every block's adaLN_modulation + the final layer's
    public var attention = 0       // qkv, q·kᵀ, P·v, proj
    public var crossAttention = 0  // cross-attention variant only
    public var mlp = 0             // fc1, fc2
    public var finalLayer = 0      // final_layer.linear
    public var layerNorm = 0       // norm1, norm2 (norm_cross) of every block and norm_final
    public let sequenceLength: Int // tokens through each block: T, or T + 2 in-context

    /// Per sample, for one forward pass.
    /// `variant` defaults to the config's own design.
    public init(_ c: DiTConfig, conditioning design: Conditioning? = nil) {
        let variant = design ?? c.conditioning
        let T = c.tokenCount, D = c.hiddenSize, H = c.mlpHidden, L = c.depth
        let S = T + variant.extraTokens, K = 2
        sequenceLength = S
        patchEmbed = T * c.patchDim * D
        conditioning = DiTConfig.frequencyEmbeddingSize * D + D * D
        if variant.modulationVectors > 0 { adaLN = L * D * variant.modulationVectors * D + D * 2 * D }
        attention = L * (S * D * 3 * D + 2 * S * S * D + S * D * D)
        if variant == .crossAttention {
            crossAttention = L * (T * D * D + K * D * 2 * D + 2 * T * K * D + T * D * D)
        }
        mlp = L * 2 * S * D * H
        finalLayer = T * D * c.finalDim
        let perElement = variant.affineLayerNorm ? 5 : 4
        layerNorm = (L * variant.layerNormsPerBlock * S + T) * perElement * D
    }

    public subscript(part: CostPart) -> Int {
        switch part {
        case .patchEmbed: return patchEmbed
        case .timestepMLP: return conditioning
        case .labelEmbedding: return 0
        case .adaLN: return adaLN
        case .attention: return attention
        case .crossAttention: return crossAttention
        case .mlp: return mlp
        case .finalLayer: return finalLayer
        case .layerNorm: return layerNorm
        }
    }

    public var gflops: Double { Double(total) / 1e9 }

    /// Parameter count of models.py's DiT for `c` (with the null-class row, as trained for CFG).
    public static func parameters(_ c: DiTConfig, conditioning variant: Conditioning? = nil) -> Int {
        Parameters(c, conditioning: variant).total
    }

    /// The paper's Table 4 (256×256 images → 32×32×4 latents, 1000 classes): Gflops, params (M).
    public static let paper: [DiTPreset: (gflops: Double, paramsM: Double)] = [
        .s8: (0.36, 33), .s4: (1.41, 33), .s2: (6.06, 33),
        .b8: (1.42, 131), .b4: (5.56, 130), .b2: (23.01, 130),
        .l8: (5.01, 459), .l4: (19.70, 458), .l2: (80.71, 458),
        .xl8: (7.39, 676), .xl4: (29.05, 675), .xl2: (118.64, 675),
    ]

    /// The paper's Table 4 rows in its order: S, B, L, XL, each with p = 8, 4, 2.
    public static let paperOrder: [DiTPreset] = [.s8, .s4, .s2, .b8, .b4, .b2, .l8, .l4, .l2, .xl8, .xl4, .xl2]

    /// The paper's Fig. 5 legend: DiT-XL/2 Gflops of each conditioning variant (same shape).
    public static let paperConditioning: [Conditioning: Double] = [
        .inContext: 119.4, .crossAttention: 137.6, .adaLN: 118.6, .adaLNZero: 118.6,
    ]

    /// The paper's Gflops (and parameters in M, Table 4 only) for `c` with `variant`, when `c` is
    /// one of its configurations at its shape (32×32×4 latents, 1000 classes, learned σ).
    public static func reference(_ c: DiTConfig, _ variant: Conditioning) -> (gflops: Double, paramsM: Double?)? {
        guard c.inputSize == 32, c.inChannels == 4, c.numClasses == 1000, c.learnSigma, c.mlpRatio == 4,
              let p = DiTPreset(matching: c) else { return nil }
        if variant == .adaLNZero, let row = paper[p] { return (row.gflops, row.paramsM) }
        if p == .xl2, let g = paperConditioning[variant] { return (g, nil) }
        return nil
    }
}

extension DiTPreset {
    /// The named configuration with `c`'s depth, width, heads and patch size, if there is one.
    public init?(matching c: DiTConfig) {
        guard let p = DiTPreset.allCases.first(where: {
            $0.size == (c.depth, c.hiddenSize, c.numHeads) && $0.patchSize == c.patchSize
        }) else { return nil }
        self = p
    }
}
