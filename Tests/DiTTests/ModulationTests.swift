import XCTest
@testable import DiT

/// The adaLN-Zero vectors' one table: models.py's chunk(6) order, offsets and slices.
final class ModulationTests: XCTestCase {
    func testChunkOrderOffsetsAndSlices() {
        XCTAssertEqual(Modulation.allCases.map(\.name), ["shift_msa", "scale_msa", "gate_msa", "shift_mlp", "scale_mlp", "gate_mlp"])
        XCTAssertEqual(Modulation.gates.map(\.rawValue), [2, 5])
        XCTAssertEqual(Modulation.allCases.filter(\.isGate), Modulation.gates)
        let D = 3, row = Array(0..<(Modulation.count * D))
        XCTAssertEqual(Array(Modulation.scaleMLP.slice(row, D)), [12, 13, 14])
        XCTAssertEqual(Array(Modulation.gateMSA.slice(row[6...], D)), [12, 13, 14], "a slice of a slice starts at its own start")
        XCTAssertEqual(Modulation.shiftMLP.offset(D), 9)
    }
}
