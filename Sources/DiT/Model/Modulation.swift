// The six adaLN-Zero vectors a DiT block regresses from c, in the order of models.py's
// adaLN_modulation(c).chunk(6): one table for the block, the weights' shapes and the views.
// The adaLN design (Fig. 5) regresses four of them (Conditioning.modulationChunks).

public enum Modulation: Int, CaseIterable, Sendable {
    case shiftMSA, scaleMSA, gateMSA, shiftMLP, scaleMLP, gateMLP

    /// models.py's names.
    public var name: String { ["shift_msa", "scale_msa", "gate_msa", "shift_mlp", "scale_mlp", "gate_mlp"][rawValue] }
    public var isGate: Bool { self == .gateMSA || self == .gateMLP }
    /// The residual gates α of the attention and MLP branches.
    public static let gates: [Modulation] = [.gateMSA, .gateMLP]
    /// Vectors per block: a row of the modulation is count·D values.
    public static let count = allCases.count

    /// Where this vector starts in a row of a design's vectors (adaLN-Zero: all six; adaLN:
    /// the four without gates), nil when the design has none.
    public func offset(_ D: Int, in design: Conditioning = .adaLNZero) -> Int? {
        design.modulationChunks.firstIndex(of: self).map { $0 * D }
    }
    /// This vector's D values in a row of the design's vectors (empty when it has none).
    public func slice<C: RandomAccessCollection>(_ row: C, _ D: Int, in design: Conditioning = .adaLNZero) -> C.SubSequence where C.Index == Int {
        guard let o = offset(D, in: design) else { return row[row.startIndex..<row.startIndex] }
        return row[row.startIndex + o..<row.startIndex + o + D]
    }
}
