// The Calculator pane's own state: a model shape and a conditioning variant to price with the
// paper's cost arithmetic. Every field is a choice in a short list (the loaded model's own
// value always among them), moved with ←/→ and stopping at the ends.
import DiT

public struct CalculatorState: Equatable, Sendable {
    public enum Field: Int, CaseIterable, Sendable {
        case model, patchSize, imageSize, vaeFactor, channels, classes, conditioning
        public var title: String {
            ["model", "patch size p", "image size", "VAE factor", "channels C", "classes", "conditioning"][rawValue]
        }
    }

    /// Depth, width and heads: the paper's S/B/L/XL, or the loaded model's when it is none of them.
    public struct ModelSize: Equatable, Sendable {
        public var name: String, depth: Int, hidden: Int, heads: Int
    }

    public var field = Field.model
    public var scroll = 0                  // lines scrolled past where the pane does not fit (one column)
    /// Per field, the index of the chosen option.
    public private(set) var choice: [Field: Int] = [:]
    public let sizes: [ModelSize]
    public let options: [Field: [Int]]     // the numeric fields' choices
    let learnSigma: Bool, mlpRatio: Double

    /// Starts on `c`'s own shape, as pixels (VAE factor 1): `c.inputSize` is what the model sees.
    public init(model c: DiTConfig) {
        let paper = [DiTPreset.s2, .b2, .l2, .xl2].map { p in
            ModelSize(name: String(p.rawValue.dropLast(2)), depth: p.size.depth, hidden: p.size.hidden, heads: p.size.heads)
        }
        let own = ModelSize(name: "this model", depth: c.depth, hidden: c.hiddenSize, heads: c.numHeads)
        sizes = paper.contains { ($0.depth, $0.hidden, $0.heads) == (own.depth, own.hidden, own.heads) } ? paper : paper + [own]
        func with(_ list: [Int], _ v: Int) -> [Int] { Array(Set(list + [v])).sorted() }
        options = [
            .patchSize: with([2, 4, 8], c.patchSize),
            .imageSize: with([16, 32, 64, 128, 256, 512, 1024], c.inputSize),
            .vaeFactor: [1, 8],
            .channels: with([1, 3, 4, 8, 16], c.inChannels),
            .classes: with([1, 10, 100, 1000], c.numClasses),
        ]
        learnSigma = c.learnSigma; mlpRatio = c.mlpRatio
        choice[.model] = sizes.firstIndex { ($0.depth, $0.hidden, $0.heads) == (c.depth, c.hiddenSize, c.numHeads) }!
        choice[.patchSize] = options[.patchSize]!.firstIndex(of: c.patchSize)!
        choice[.imageSize] = options[.imageSize]!.firstIndex(of: c.inputSize)!
        choice[.vaeFactor] = 0
        choice[.channels] = options[.channels]!.firstIndex(of: c.inChannels)!
        choice[.classes] = options[.classes]!.firstIndex(of: c.numClasses)!
        choice[.conditioning] = Conditioning.allCases.firstIndex(of: c.conditioning)!  // the model's own design
    }

    public func count(_ f: Field) -> Int {
        switch f {
        case .model: return sizes.count
        case .conditioning: return Conditioning.allCases.count
        default: return options[f]!.count
        }
    }

    /// The chosen number of a numeric field (not .model or .conditioning: see size, conditioning).
    public func value(_ f: Field) -> Int { options[f]![choice[f]!] }
    public var size: ModelSize { sizes[choice[.model]!] }
    public var conditioning: Conditioning { Conditioning.allCases[choice[.conditioning]!] }

    /// The latent side I = image size / VAE factor, when that is a whole number.
    public var inputSize: Int? {
        value(.imageSize) % value(.vaeFactor) == 0 ? value(.imageSize) / value(.vaeFactor) : nil
    }

    /// The shape with the size `s` and patch size `p` (default: the chosen ones); nil when the
    /// latent side is not a whole number of patches.
    public func config(_ s: ModelSize? = nil, patch p: Int? = nil) -> DiTConfig? {
        let s = s ?? size, p = p ?? value(.patchSize)
        guard let I = inputSize, I % p == 0 else { return nil }
        return DiTConfig(inputSize: I, patchSize: p, inChannels: value(.channels), hiddenSize: s.hidden, depth: s.depth,
                         numHeads: s.heads, mlpRatio: mlpRatio, numClasses: value(.classes), learnSigma: learnSigma)
    }

    public var estimate: CostEstimate? { config().map { CostEstimate($0, conditioning: conditioning) } }

    /// Moves the selection (±1, stopping at the first and last field).
    public mutating func select(_ d: Int) {
        field = Field(rawValue: max(0, min(Field.allCases.count - 1, field.rawValue + d)))!
    }

    /// Changes the selected field by ±1 choice; false when it is already at that end.
    @discardableResult
    public mutating func change(_ d: Int) -> Bool {
        let i = choice[field]! + d
        guard i >= 0, i < count(field) else { return false }
        choice[field] = i
        return true
    }
}
