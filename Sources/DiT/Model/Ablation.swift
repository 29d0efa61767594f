// Ablations: residual branches or attention heads that add nothing in a forward pass, the
// "knock-out" experiments on a trained DiT. Numerically they are edits of the official weights:
//   block.K        both residual branches of block K add nothing: x_out = x_in. adaLN-Zero: exactly
//                  α_msa = α_mlp = 0 (the gate rows of blocks.K.adaLN_modulation.1 zeroed); the other
//                  designs (adaLN, cross-attention, in-context) skip the block.
//   block.K.attn   the self-attention branch only (adaLN-Zero: gate_msa = 0)
//   block.K.mlp    the MLP branch only (adaLN-Zero: gate_mlp = 0)
//   block.K.cross  the cross-attention branch (cross-attention design only)
//   head.K.H       head H of block K's self-attention zeroed before attn.proj (the input columns
//                  H·hd…(H+1)·hd of blocks.K.attn.proj.weight zeroed; the bias stays)
// K and H are 0-based. An ablated branch is not computed (x + 0·branch = x), unless a probe asks
// for that block's attention, which is then recorded as if the branch ran.

public enum Ablation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Branch: String, CaseIterable, Sendable {
        case attn, cross, mlp
    }
    case block(Int)                      // both (all three) residual branches
    case branch(Int, Branch)             // one residual branch
    case head(block: Int, head: Int)     // one head of the self-attention, before attn.proj

    /// The spec as written on a command line: "block.3", "block.3.attn", "head.3.1".
    public var description: String {
        switch self {
        case .block(let k): return "block.\(k)"
        case let .branch(k, b): return "block.\(k).\(b.rawValue)"
        case let .head(k, h): return "head.\(k).\(h)"
        }
    }

    public var blockIndex: Int {
        switch self { case .block(let k), .branch(let k, _), .head(let k, _): return k }
    }

    public static func < (a: Ablation, b: Ablation) -> Bool {
        func key(_ x: Ablation) -> (Int, Int, Int) {
            switch x {
            case .block(let k): return (k, 0, 0)
            case let .branch(k, b): return (k, 1, Branch.allCases.firstIndex(of: b)!)
            case let .head(k, h): return (k, 2, h)
            }
        }
        return key(a) < key(b)
    }

    /// What a spec may be, for messages.
    public static let grammar = "block.K, block.K.attn, block.K.mlp, block.K.cross (cross-attention models) or head.K.H"

    /// Parses "block.K", "block.K.attn|mlp|cross" or "head.K.H" (K, H 0-based integers). Ranges are
    /// checked against a model by `validate`. Errors name "ablation" and the spec (the CLI its flag).
    public init(spec: String) throws {
        let parts = spec.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let bad = DiTError(file: "ablation", field: spec, "expected \(Ablation.grammar), K and H non-negative integers")
        guard parts.count >= 2, parts.dropFirst().prefix(2).allSatisfy({ !$0.isEmpty }) else { throw bad }
        func index(_ s: String) throws -> Int {
            guard s.allSatisfy(\.isASCII), let v = Int(s), v >= 0 else { throw bad }
            return v
        }
        switch (parts[0], parts.count) {
        case ("block", 2): self = .block(try index(parts[1]))
        case ("block", 3):
            guard let b = Branch(rawValue: parts[2]) else { throw bad }
            self = .branch(try index(parts[1]), b)
        case ("head", 3): self = .head(block: try index(parts[1]), head: try index(parts[2]))
        default: throw bad
        }
    }

    /// Checks the block, head and branch exist in `c`.
    public func validate(_ c: DiTConfig) throws {
        let k = blockIndex
        guard k < c.depth else {
            throw DiTError(file: "ablation", field: description, "expected a block K in 0…\(c.depth - 1) (the model has \(c.depth) blocks)")
        }
        if case let .head(_, h) = self, h >= c.numHeads {
            throw DiTError(file: "ablation", field: description, "expected a head H in 0…\(c.numHeads - 1) (the model has \(c.numHeads) heads per block)")
        }
        if case .branch(_, .cross) = self, c.conditioning != .crossAttention {
            throw DiTError(file: "ablation", field: description,
                           "expected attn or mlp: a \(c.conditioning.rawValue) model has no cross-attention branch")
        }
    }
}

/// What ablations leave out of one block.
struct BlockAblation: Equatable, Sendable {
    var attention = false    // the self-attention branch adds nothing
    var cross = false        // the cross-attention branch adds nothing
    var mlp = false          // the MLP branch adds nothing
    var heads: [Int] = []    // heads zeroed before attn.proj (sorted, unique)
}

/// A set of ablations, applied together to every forward pass they are given to.
public struct AblationSet: Equatable, Hashable, Sendable, CustomStringConvertible {
    public private(set) var items: [Ablation] = []   // sorted, unique
    private var plans: [Int: BlockAblation] = [:]    // block -> what it leaves out

    public init(_ items: [Ablation] = []) {
        for a in items { insert(a) }
    }

    /// Parses each spec (Ablation(spec:)).
    public init(specs: [String]) throws {
        self.init(try specs.map { try Ablation(spec: $0) })
    }

    public static let none = AblationSet()
    public var isEmpty: Bool { items.isEmpty }
    /// "block.1+head.2.0", or "none".
    public var description: String { isEmpty ? "none" : items.map(\.description).joined(separator: "+") }

    public mutating func insert(_ a: Ablation) {
        guard !items.contains(a) else { return }
        items.append(a)
        items.sort()
        var p = plans[a.blockIndex] ?? BlockAblation()
        switch a {
        case .block: p.attention = true; p.cross = true; p.mlp = true
        case .branch(_, .attn): p.attention = true
        case .branch(_, .cross): p.cross = true
        case .branch(_, .mlp): p.mlp = true
        case let .head(_, h): p.heads = Array(Set(p.heads + [h])).sorted()
        }
        plans[a.blockIndex] = p
    }

    public func inserting(_ a: Ablation) -> AblationSet {
        var s = self
        s.insert(a)
        return s
    }

    /// Checks every ablation against the model's config (the first problem is thrown).
    public func validate(_ c: DiTConfig) throws {
        for a in items { try a.validate(c) }
    }

    /// What block `k` leaves out; nil when nothing (the fast path).
    func block(_ k: Int) -> BlockAblation? { plans.isEmpty ? nil : plans[k] }

    public static func == (a: AblationSet, b: AblationSet) -> Bool { a.items == b.items }
    public func hash(into h: inout Hasher) { h.combine(items) }
}
