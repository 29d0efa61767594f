// The model's shape, read from config.json (through ConfigFields, as every config is) with the
// official argument names of models.py's DiT(...) constructor, every shape field required. Extra fields (dataset, training, ...) are
// allowed; class_names is kept.
import Foundation

public struct DiTConfig: Equatable, Sendable {
    public var inputSize: Int        // I: image (or latent) side
    public var patchSize: Int        // p
    public var inChannels: Int       // C
    public var hiddenSize: Int       // D
    public var depth: Int            // number of DiT blocks
    public var numHeads: Int
    public var mlpRatio: Double
    public var numClasses: Int       // the null class (for guidance) is index numClasses
    public var learnSigma: Bool
    public var classNames: [String]?
    public var conditioning: Conditioning  // the block design (Fig. 5); "conditioning", absent = adaLN-Zero
    public var format: CheckpointFormat = .official   // whose numerics: models.py's, or diffusers' DiTTransformer2DModel
    public var mlpNormEps: Float = 1e-6    // eps of the LayerNorm before the MLP (diffusers: norm3, the config's norm_eps)

    enum CodingKeys: String {
        case inputSize = "input_size", patchSize = "patch_size", inChannels = "in_channels"
        case hiddenSize = "hidden_size", depth, numHeads = "num_heads", mlpRatio = "mlp_ratio"
        case numClasses = "num_classes", learnSigma = "learn_sigma", classNames = "class_names"
        case conditioning
    }

    public init(inputSize: Int = 32, patchSize: Int = 2, inChannels: Int = 4, hiddenSize: Int = 1152,
                depth: Int = 28, numHeads: Int = 16, mlpRatio: Double = 4, numClasses: Int = 1000,
                learnSigma: Bool = true, classNames: [String]? = nil, conditioning: Conditioning = .adaLNZero) {
        self.inputSize = inputSize; self.patchSize = patchSize; self.inChannels = inChannels
        self.hiddenSize = hiddenSize; self.depth = depth; self.numHeads = numHeads
        self.mlpRatio = mlpRatio; self.numClasses = numClasses; self.learnSigma = learnSigma
        self.classNames = classNames; self.conditioning = conditioning
    }

    /// Parses config.json strictly (ConfigFields): every field of the model's shape present (a
    /// missing one would take DiT-XL/2's value and the error would surface as a shape in the
    /// weights), each of its JSON type (an integer written as one), no key twice. Other fields are ignored.
    public init(json data: Data, file: String = "config.json") throws {
        let f = try ConfigFields(json: data, file: file)
        func int(_ key: CodingKeys) throws -> Int { try f.int(key.rawValue) }
        self.init(inputSize: try int(.inputSize), patchSize: try int(.patchSize), inChannels: try int(.inChannels),
                  hiddenSize: try int(.hiddenSize), depth: try int(.depth), numHeads: try int(.numHeads),
                  numClasses: try int(.numClasses))
        try f.require(CodingKeys.mlpRatio.rawValue, "a number")
        mlpRatio = try f.double(CodingKeys.mlpRatio.rawValue, default: nil)!
        try f.require(CodingKeys.learnSigma.rawValue, "true or false")
        learnSigma = try f.bool(CodingKeys.learnSigma.rawValue, default: true)
        if let name = try f.string(CodingKeys.conditioning.rawValue, default: nil) {   // absent: adaLN-Zero
            guard let design = Conditioning(rawValue: name) else {
                let names = Conditioning.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw DiTError(file: file, field: "conditioning", "expected one of \(names), found \"\(name)\"")
            }
            conditioning = design
        }
        // Absent: no names; written, it must be a list of strings (null refused, naming the field).
        if f.root[CodingKeys.classNames.rawValue] != nil { classNames = try f.strings(CodingKeys.classNames.rawValue, default: []) }
    }

    // Derived sizes.
    public var outChannels: Int { learnSigma ? 2 * inChannels : inChannels }
    public var gridSize: Int { inputSize / patchSize }                 // I / p
    public var tokenCount: Int { gridSize * gridSize }                 // T = (I/p)²
    public var sequenceLength: Int { tokenCount + conditioning.extraTokens }  // tokens through each block: T, or T + 2 in-context
    public var headDim: Int { hiddenSize / numHeads }
    public var mlpHidden: Int { Int(Double(hiddenSize) * mlpRatio) }   // int(D · mlp_ratio), as timm
    public var patchDim: Int { inChannels * patchSize * patchSize }   // C·p·p
    public var finalDim: Int { patchSize * patchSize * outChannels }   // p·p·outC
    public static let frequencyEmbeddingSize = 256                      // TimestepEmbedder's sinusoid size
    /// The sinusoid's frequencies are exp(−ln(10⁴)·k / (128 − shift)): models.py divides by 128,
    /// diffusers' Timesteps(256, flip_sin_to_cos=True, downscale_freq_shift=1) by 127.
    public var timestepDownscaleFreqShift: Int { format == .diffusers ? 1 : 0 }

    /// Checks the relations models.py assumes; `file` names the config in the message.
    public func validate(file: String = "config.json") throws {
        func need(_ ok: Bool, _ field: String, _ what: String) throws {
            if !ok { throw DiTError(file: file, field: field, what) }
        }
        // Upper bounds far above the paper's models (XL: D 1152, 28 blocks, 32² latents), so that
        // sizes derived below cannot overflow and nothing huge is allocated before the weights
        // file is read; the file then bounds every tensor by its real size.
        func bounded(_ v: Int, _ field: String, _ top: Int) throws {
            try need(v > 0 && v <= top, field, "expected an integer in 1…\(top), found \(v)")
        }
        try bounded(inputSize, "input_size", DiTConfig.limits.inputSize)
        try bounded(patchSize, "patch_size", inputSize)
        try need(inputSize % patchSize == 0, "patch_size",
                 "expected a divisor of input_size \(inputSize), found \(patchSize)")
        try need(tokenCount <= DiTConfig.limits.tokens, "patch_size",
                 "(input_size / patch_size)² = \(tokenCount) tokens; expected at most \(DiTConfig.limits.tokens)")
        try bounded(inChannels, "in_channels", DiTConfig.limits.inChannels)
        try bounded(hiddenSize, "hidden_size", DiTConfig.limits.hiddenSize)
        try need(hiddenSize % 4 == 0, "hidden_size",
                 "expected a multiple of 4 (2-D sin-cos position embedding), found \(hiddenSize)")
        try bounded(depth, "depth", DiTConfig.limits.depth)
        try need(numHeads > 0 && hiddenSize % numHeads == 0, "num_heads",
                 "expected a positive divisor of hidden_size \(hiddenSize), found \(numHeads)")
        try need(mlpRatio > 0 && mlpRatio <= DiTConfig.limits.mlpRatio && mlpHidden >= 1, "mlp_ratio",
                 "expected a number in (0, \(Int(DiTConfig.limits.mlpRatio))] giving at least one hidden unit, found \(mlpRatio)")
        try bounded(numClasses, "num_classes", DiTConfig.limits.numClasses)
        if let names = classNames {
            try need(names.count == numClasses, "class_names",
                     "expected \(numClasses) names (num_classes), found \(names.count)")
        }
    }

    /// The largest values validate() accepts.
    public static let limits = (inputSize: 4096, tokens: 1 << 16, inChannels: 1024, hiddenSize: 1 << 14,
                                depth: 1024, mlpRatio: 64.0, numClasses: 1 << 20)

    public static func load(_ url: URL) throws -> DiTConfig {
        let config = try DiTConfig(json: FileRead.contents(url.path, "the model config"), file: url.path)
        try config.validate(file: url.path)
        return config
    }
}

/// Where a checkpoint's names and numerics come from. Official: facebookresearch/DiT models.py
/// (this project's own folders, training/convert_official.py). Diffusers: DiTTransformer2DModel,
/// whose keys DiffusersDiT.swift maps onto the official ones and whose numerics differ in three
/// places (the sinusoid's frequencies, norm_eps before the MLP, an embedder in every block).
public enum CheckpointFormat: String, Sendable {
    case official, diffusers
}

/// The paper's named configurations, as models.py's DiT_models table ("DiT-S/2" ...).
public enum DiTPreset: String, CaseIterable, Sendable {
    case xl2 = "DiT-XL/2", xl4 = "DiT-XL/4", xl8 = "DiT-XL/8"
    case l2 = "DiT-L/2", l4 = "DiT-L/4", l8 = "DiT-L/8"
    case b2 = "DiT-B/2", b4 = "DiT-B/4", b8 = "DiT-B/8"
    case s2 = "DiT-S/2", s4 = "DiT-S/4", s8 = "DiT-S/8"

    /// Accepts "DiT-S/2", "S/2", "s2".
    public init?(name: String) {
        let n = name.uppercased().replacingOccurrences(of: "DIT-", with: "").replacingOccurrences(of: "/", with: "")
        guard let p = DiTPreset.allCases.first(where: {
            $0.rawValue.uppercased().replacingOccurrences(of: "DIT-", with: "").replacingOccurrences(of: "/", with: "") == n
        }) else { return nil }
        self = p
    }

    public var size: (depth: Int, hidden: Int, heads: Int) {
        switch self {
        case .xl2, .xl4, .xl8: return (28, 1152, 16)
        case .l2, .l4, .l8: return (24, 1024, 16)
        case .b2, .b4, .b8: return (12, 768, 12)
        case .s2, .s4, .s8: return (12, 384, 6)
        }
    }

    public var patchSize: Int { Int(String(rawValue.last!))! }

    public func config(inputSize: Int = 32, inChannels: Int = 4, numClasses: Int = 1000,
                       learnSigma: Bool = true) -> DiTConfig {
        DiTConfig(inputSize: inputSize, patchSize: patchSize, inChannels: inChannels,
                  hiddenSize: size.hidden, depth: size.depth, numHeads: size.heads,
                  numClasses: numClasses, learnSigma: learnSigma)
    }
}
