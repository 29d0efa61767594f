// The paper's four ways of feeding the timestep t and class y into the transformer (Peebles &
// Xie 2023, Section 3.2, Fig. 3). Only adaLN-Zero ships in models.py; the other three are
// described in prose; the engine runs all four as training/dit_model.py defines them (config.json
// "conditioning"; absent means adaLN-Zero), and FLOPs and Parameters count exactly that forward.

public enum Conditioning: String, CaseIterable, Sendable {
    /// t and y embeddings appended as two extra tokens: standard ViT blocks over T + 2 tokens,
    /// the two dropped after the last block.
    case inContext = "in-context"
    /// t and y embeddings as a length-2 sequence; a multi-head cross-attention layer after the
    /// self-attention of every block.
    case crossAttention = "cross-attention"
    /// γ, β of every LayerNorm regressed from c = t_emb + y_emb (4D per block), no gates.
    case adaLN = "adaLN"
    /// adaLN plus the α gates before each residual add (6D per block), zero-initialised: the
    /// shipped models.
    case adaLNZero = "adaLN-Zero"

    /// Accepts the raw names in any letter case ("adaln-zero", "In-Context").
    public init?(name: String) {
        guard let c = Conditioning.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = c
    }

    /// The vectors (D each) every block regresses from c, in the order of its
    /// adaLN_modulation(c).chunk(k): the layout of the block's modulation row and of its probe.
    public var modulationChunks: [Modulation] {
        switch self {
        case .adaLNZero: return Modulation.allCases                          // shift, scale, gate × (attention, MLP)
        case .adaLN: return [.shiftMSA, .scaleMSA, .shiftMLP, .scaleMLP]      // no gates
        case .inContext, .crossAttention: return []
        }
    }

    /// The number of modulation vectors (D each) every block regresses from c.
    public var modulationVectors: Int { modulationChunks.count }

    /// Whether the final layer regresses shift and scale from c (models.py's FinalLayer), or is
    /// an affine LayerNorm and the linear decoder.
    public var modulatedFinalLayer: Bool { modulationVectors > 0 }

    /// Whether t and y reach the patches through attention ([t_emb, y_emb] as keys/values or as
    /// tokens) rather than through adaLN.
    public var attendsToCondition: Bool { modulationVectors == 0 }

    /// Conditioning tokens appended to the image tokens inside the blocks.
    public var extraTokens: Int { self == .inContext ? 2 : 0 }

    /// LayerNorms with learned γ, β: the "standard" blocks of in-context and cross-attention
    /// (nn.LayerNorm's default). The adaLN variants regress γ, β instead (elementwise_affine=False).
    public var affineLayerNorm: Bool { modulationVectors == 0 }

    /// LayerNorms per block: before self-attention and the MLP, plus one before cross-attention.
    public var layerNormsPerBlock: Int { self == .crossAttention ? 3 : 2 }
}
