// AutoencoderKL against diffusers 0.42 on random small configs (Fixtures/vae, made by
// training/make_vae_fixtures.py): decode and encode within 1e-4 of the reference's largest value.
import Foundation
import XCTest
@testable import DiT

enum VAEFixture {
    static let dir: String = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/vae").path
    static func path(_ name: String, _ file: String = "") -> String { "\(dir)/\(name)" + (file.isEmpty ? "" : "/\(file)") }
    static let cases = ["kl2", "kl3-odd", "pipeline-sharded"]
}

/// max |a − b| ≤ tol · max |ref| (relative to the reference's scale, not to 1).
func assertRelativeClose(_ a: Tensor, _ ref: Tensor, tol: Float, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, ref.shape, "\(what): shape", file: file, line: line)
    guard a.count == ref.count else { return }
    var maxDiff: Float = 0
    for i in 0..<a.count { maxDiff = max(maxDiff, abs(a[i] - ref[i])) }
    XCTAssertLessThanOrEqual(maxDiff, tol * ref.maxAbs, "\(what): max |Δ| = \(maxDiff), max |ref| = \(ref.maxAbs)", file: file, line: line)
}

final class VAEParityTests: XCTestCase {
    func testDecodeMatchesDiffusers() throws {
        for name in VAEFixture.cases {
            let vae = try AutoencoderKL(directory: VAEFixture.path(name))
            XCTAssertEqual(vae.unusedKeys, [], name)
            let z = try NPY.read(VAEFixture.path(name, "latents.npy"))
            assertRelativeClose(try vae.decode(latents: z), try NPY.read(VAEFixture.path(name, "decoded.npy")), tol: 1e-4, "\(name) decode")
        }
    }

    func testEncodeMatchesDiffusers() throws {
        for name in VAEFixture.cases {
            let vae = try AutoencoderKL(directory: VAEFixture.path(name))
            let x = try NPY.read(VAEFixture.path(name, "images.npy"))
            assertRelativeClose(try vae.encode(images: x), try NPY.read(VAEFixture.path(name, "encoded.npy")), tol: 1e-4, "\(name) encode")
        }
    }
}
