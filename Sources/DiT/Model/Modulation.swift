// The six adaLN-Zero vectors a DiT block regresses from c, in the order of models.py's
// adaLN_modulation(c).chunk(6): one table for the block, the weights' shapes and the views.

public enum Modulation: Int, CaseIterable, Sendable {
    case shiftMSA, scaleMSA, gateMSA, shiftMLP, scaleMLP, gateMLP

    /// models.py's names.
    public var name: String { ["shift_msa", "scale_msa", "gate_msa", "shift_mlp", "scale_mlp", "gate_mlp"][rawValue] }
    public var isGate: Bool { self == .gateMSA || self == .gateMLP }
    /// The residual gates α of the attention and MLP branches.
    public static let gates: [Modulation] = [.gateMSA, .gateMLP]
    /// Vectors per block: a row of the modulation is count·D values.
    public static let count = allCases.count

    /// Where this vector starts in a row of count·D values.
    public func offset(_ D: Int) -> Int { rawValue * D }
    /// This vector's D values in a row of all of them.
    public func slice<C: RandomAccessCollection>(_ row: C, _ D: Int) -> C.SubSequence where C.Index == Int {
        row[row.startIndex + offset(D)..<row.startIndex + offset(D) + D]
    }
}
