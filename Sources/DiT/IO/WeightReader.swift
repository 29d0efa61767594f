// Strict reading of named tensors from a checkpoint, for the models whose keys are diffusers'
// (the VAE, the diffusers-format DiT): every key present with the expected shape and finite
// values, and the keys never asked for reported, so a file of another architecture is refused
// with its first missing or misshapen key instead of being half-used.

public final class WeightReader {
    public let store: SafeTensorsStore?           // nil: random weights (benchmarks)
    public let file: String                       // the directory or file named in messages
    private(set) var used = Set<String>()
    private var random: Xoshiro256StarStar

    public init(store: SafeTensorsStore, file: String) {
        self.store = store; self.file = file
        random = Xoshiro256StarStar(seed: 0, stream: 0)
    }

    /// Random weights of whatever shape is asked for: N(0, 0.02²) matrices and kernels, zero
    /// biases, unit norm scales (so activations keep their size through deep stacks).
    public init(randomSeed seed: UInt64) {
        store = nil; file = "random weights"
        random = Xoshiro256StarStar(seed: seed, stream: 0x5AE)
    }

    /// The tensor stored under `key` (or the first of `aliases` present: older checkpoints' names),
    /// of `shape`, or of an `equivalent` shape holding the same values in the same order
    /// (a (C, C, 1, 1) conv stored for a (C, C) Linear). Returned as `shape`.
    public func tensor(_ key: String, _ shape: [Int], aliases: [String] = [], equivalent: [[Int]] = []) throws -> Tensor {
        guard let store else {
            let t = Tensor(shape)
            if shape.count > 1 {
                random.fillNormal(t.data, count: t.count)
                for i in 0..<t.count { t[i] *= 0.02 }
            } else if key.hasSuffix(".weight") { t.fill(1) }
            return t
        }
        guard let name = ([key] + aliases).first(where: { store.tensors[$0] != nil }), let info = store.tensors[name] else {
            throw DiTError(file: file, field: key, "missing; expected a tensor of shape \(shape)")
        }
        guard info.shape == shape || equivalent.contains(info.shape) else {
            throw DiTError(file: info.file, field: name, "expected shape \(shape), found \(info.shape)")
        }
        let values = store.floats(name)
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DiTError(file: info.file, field: name, "expected finite values, found \(values[bad]) at index \(bad)")
        }
        used.insert(name)
        return Tensor(shape, values)
    }

    /// Keys of the file that nothing asked for, sorted.
    public var unusedKeys: [String] { (store?.tensors.keys).map { $0.filter { !used.contains($0) }.sorted() } ?? [] }
}
