import Foundation
import XCTest
@testable import DiT

/// Issue 27, item 12 (an outside fuzzer): readers that were too lenient. A VAE config's fields are
/// typed, null only where diffusers allows None, its shape never guessed; a model config's
/// class_names is a list or absent; a PNG's chunks are checked to the end.
extension WeightsTests {
    func testModelConfigRefusesNullClassNames() {
        expectConfigError(tinyConfig("class_names", "null"), field: "class_names")
        expectConfigError(tinyConfig("class_names", "[\"a\", 2, \"c\"]"), field: "class_names")
    }
}

final class VAEConfigStrictnessTests: XCTestCase {
    static let kl2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/vae/kl2/config.json").path

    /// kl2's config.json with `key` set to the JSON text `value` (nil: removed).
    func config(_ key: String, _ value: String?) throws -> Data {
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.kl2))) as! [String: Any]
        root[key] = nil
        var text = String(decoding: try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
        if let value { text = "{\"\(key)\": \(value), " + text.dropFirst() }
        return Data(text.utf8)
    }

    func testFieldsAreTypedAndTheShapeRequired() throws {
        XCTAssertNoThrow(try AutoencoderKLConfig(json: config("latents_mean", "null"), file: "c.json"))
        XCTAssertNoThrow(try AutoencoderKLConfig(json: config("shift_factor", "null"), file: "c.json"))
        XCTAssertEqual(try AutoencoderKLConfig(json: config("latents_std", "[1, 2, 0.5, 1]"), file: "c.json").latentsStd, [1, 2, 0.5, 1])
        let cases: [(String, String?, String)] = [
            ("latents_mean", "\"x\"", "4 finite numbers"), ("latents_mean", "[0, 0]", "found 2 entries"),
            ("latents_std", "[0, 0, 0, 0]", "positive"), ("latents_std", "[1, -1, 1, 1]", "positive"),
            ("force_upcast", "\"x\"", "true or false"), ("act_fn", "null", "found null"), ("act_fn", "3", "a string"),
            ("in_channels", nil, "missing"), ("out_channels", nil, "missing"), ("latent_channels", nil, "missing"),
            ("block_out_channels", nil, "missing"), ("layers_per_block", "null", "found null"), ("scaling_factor", "null", "found null"),
            ("use_quant_conv", "null", "found null"), ("_class_name", "null", "found null"),
        ]
        for (key, value, expected) in cases {
            XCTAssertThrowsError(try AutoencoderKLConfig(json: config(key, value), file: "c.json"), "\(key): \(value ?? "absent")") { e in
                let e = e as? DiTError
                XCTAssertEqual(e?.file, "c.json")
                XCTAssertEqual(e?.field, key, "\(String(describing: e))")
                XCTAssertTrue(e?.problem.contains(expected) ?? false, "\(key): \(String(describing: e))")
            }
        }
    }
}

final class PNGChunkTests: XCTestCase {
    func png(_ edit: (inout [UInt8]) -> Void) throws -> String {
        let path = NSTemporaryDirectory() + "dit-png-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).png"
        try PNG.write(pixels: [10, 20, 30, 40], width: 2, height: 2, channels: 1, to: path)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        edit(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func refuse(_ path: String, field: String, _ contains: String, line: UInt = #line) {
        XCTAssertThrowsError(try PNG.read(path), line: line) { e in
            XCTAssertEqual((e as? DiTError)?.file, path, line: line)
            XCTAssertEqual((e as? DiTError)?.field, field, "\(e)", line: line)
            XCTAssertTrue((e as? DiTError)?.problem.contains(contains) ?? false, "\(e)", line: line)
        }
    }

    func testEveryChunkChecked() throws {
        XCTAssertEqual(try PNG.read(try png { _ in }).pixels, [10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40])
        refuse(try png { $0[$0.count - 1] ^= 0xFF }, field: "PNG IEND", "CRC")                    // IEND's CRC
        refuse(try png { $0 += [0, 0] }, field: "PNG IEND", "2 bytes follow")                      // junk after the end
        refuse(try png { $0.removeLast(12) }, field: "PNG chunk 3", "truncated")                   // no IEND at all
        refuse(try png { $0[20] ^= 1 }, field: "PNG IHDR", "CRC")                                  // the header's width
        refuse(try png { $0[12] = 0x31 }, field: "PNG chunk 0", "four-letter type")
    }
}
