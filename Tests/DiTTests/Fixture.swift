import Foundation
import XCTest
@testable import DiT

/// The tiny reference case produced by the official DiT code (Fixtures/tiny/MANIFEST.json).
enum Fixture {
    static let dir: String = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/tiny").path
    static func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
    static func npy(_ name: String) throws -> Tensor { try NPY.read(path(name)) }
    static let labels = [0, 2]
    static let timesteps: [Float] = [500, 37]
    static let cfg: Float = 3
    static let steps = 10
    static func model() throws -> DiTModel { try DiTModel(directory: dir) }
}

/// max |a − b| ≤ tol · max(1, max |ref|)
func assertClose(_ a: Tensor, _ ref: Tensor, relTol: Float, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, ref.shape, "\(what): shape", file: file, line: line)
    guard a.count == ref.count else { return }
    var maxDiff: Float = 0
    for i in 0..<a.count { maxDiff = max(maxDiff, abs(a[i] - ref[i])) }
    let tol = relTol * max(1, ref.maxAbs)
    XCTAssertLessThanOrEqual(maxDiff, tol, "\(what): max |Δ| = \(maxDiff) > \(tol)", file: file, line: line)
}
