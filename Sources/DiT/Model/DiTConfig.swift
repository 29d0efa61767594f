// The model's shape, read from config.json with the official argument names of models.py's
// DiT(...) constructor. Extra fields (class_names, dataset, ...) are allowed and kept when known.
import Foundation

public struct DiTConfig: Codable, Equatable, Sendable {
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

    enum CodingKeys: String, CodingKey {
        case inputSize = "input_size", patchSize = "patch_size", inChannels = "in_channels"
        case hiddenSize = "hidden_size", depth, numHeads = "num_heads", mlpRatio = "mlp_ratio"
        case numClasses = "num_classes", learnSigma = "learn_sigma", classNames = "class_names"
    }

    public init(inputSize: Int = 32, patchSize: Int = 2, inChannels: Int = 4, hiddenSize: Int = 1152,
                depth: Int = 28, numHeads: Int = 16, mlpRatio: Double = 4, numClasses: Int = 1000,
                learnSigma: Bool = true, classNames: [String]? = nil) {
        self.inputSize = inputSize; self.patchSize = patchSize; self.inChannels = inChannels
        self.hiddenSize = hiddenSize; self.depth = depth; self.numHeads = numHeads
        self.mlpRatio = mlpRatio; self.numClasses = numClasses; self.learnSigma = learnSigma
        self.classNames = classNames
    }

    // Defaults are models.py's DiT(...) defaults; a config.json need only list what differs.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DiTConfig()
        inputSize = try c.decodeIfPresent(Int.self, forKey: .inputSize) ?? d.inputSize
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? d.patchSize
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels) ?? d.inChannels
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? d.depth
        numHeads = try c.decodeIfPresent(Int.self, forKey: .numHeads) ?? d.numHeads
        mlpRatio = try c.decodeIfPresent(Double.self, forKey: .mlpRatio) ?? d.mlpRatio
        numClasses = try c.decodeIfPresent(Int.self, forKey: .numClasses) ?? d.numClasses
        learnSigma = try c.decodeIfPresent(Bool.self, forKey: .learnSigma) ?? d.learnSigma
        classNames = try c.decodeIfPresent([String].self, forKey: .classNames)
    }

    // Derived sizes.
    public var outChannels: Int { learnSigma ? 2 * inChannels : inChannels }
    public var gridSize: Int { inputSize / patchSize }                 // I / p
    public var tokenCount: Int { gridSize * gridSize }                 // T = (I/p)²
    public var headDim: Int { hiddenSize / numHeads }
    public var mlpHidden: Int { Int(Double(hiddenSize) * mlpRatio) }   // int(D · mlp_ratio), as timm
    public var patchDim: Int { inChannels * patchSize * patchSize }   // C·p·p
    public var finalDim: Int { patchSize * patchSize * outChannels }   // p·p·outC
    public static let frequencyEmbeddingSize = 256                      // TimestepEmbedder's sinusoid size

    /// Checks the relations models.py assumes; `file` names the config in the message.
    public func validate(file: String = "config.json") throws {
        func need(_ ok: Bool, _ field: String, _ what: String) throws {
            if !ok { throw DiTError(file: file, field: field, what) }
        }
        try need(inputSize > 0, "input_size", "expected a positive integer, found \(inputSize)")
        try need(patchSize > 0, "patch_size", "expected a positive integer, found \(patchSize)")
        try need(inputSize % patchSize == 0, "patch_size",
                 "expected a divisor of input_size \(inputSize), found \(patchSize)")
        try need(inChannels > 0, "in_channels", "expected a positive integer, found \(inChannels)")
        try need(hiddenSize > 0, "hidden_size", "expected a positive integer, found \(hiddenSize)")
        try need(hiddenSize % 4 == 0, "hidden_size",
                 "expected a multiple of 4 (2-D sin-cos position embedding), found \(hiddenSize)")
        try need(depth > 0, "depth", "expected a positive integer, found \(depth)")
        try need(numHeads > 0 && hiddenSize % numHeads == 0, "num_heads",
                 "expected a positive divisor of hidden_size \(hiddenSize), found \(numHeads)")
        try need(mlpRatio > 0 && mlpRatio.isFinite, "mlp_ratio", "expected a positive number, found \(mlpRatio)")
        try need(numClasses > 0, "num_classes", "expected a positive integer, found \(numClasses)")
        if let names = classNames {
            try need(names.count == numClasses, "class_names",
                     "expected \(numClasses) names (num_classes), found \(names.count)")
        }
    }

    public static func load(_ url: URL) throws -> DiTConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DiTError(file: url.path, "cannot read the model config (\(error.localizedDescription))")
        }
        let config: DiTConfig
        do { config = try JSONDecoder().decode(DiTConfig.self, from: data) } catch let e as DecodingError {
            throw DiTError(file: url.path, field: e.fieldPath, e.explanation)
        }
        try config.validate(file: url.path)
        return config
    }
}

extension DecodingError {
    var fieldPath: String {
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return c.codingPath.map(\.stringValue).joined(separator: ".")
        case .keyNotFound(let k, let c):
            return (c.codingPath + [k]).map(\.stringValue).joined(separator: ".")
        @unknown default: return ""
        }
    }
    var explanation: String {
        switch self {
        case .typeMismatch(let t, _): return "expected a value of type \(t)"
        case .valueNotFound(let t, _): return "expected a value of type \(t), found null"
        case .keyNotFound: return "missing"
        case .dataCorrupted(let c): return "expected well-formed JSON (\(c.debugDescription))"
        @unknown default: return "malformed"
        }
    }
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
