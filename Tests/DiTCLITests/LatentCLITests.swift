// dit decode / dit encode through the binary against diffusers' AutoencoderKL
// (Tests/DiTTests/Fixtures/vae, training/make_vae_fixtures.py), and their bad input.
import Foundation
import XCTest
import DiT

final class LatentCLITests: XCTestCase {
    static let vae = CLITests.repo + "/Tests/DiTTests/Fixtures/vae"
    static let cases = ["kl2", "kl3-odd", "pipeline-sharded"]

    func testDecodeAndEncodeMatchDiffusers() throws {
        for name in Self.cases {
            let dir = "\(Self.vae)/\(name)", out = tmp("\(name)-x.npy"), z = tmp("\(name)-z.npy")
            let d = try dit(["decode", "--vae", dir, "--latents", "\(dir)/latents.npy", "--output", out])
            XCTAssertEqual(d.status, 0, d.stderr)
            let (dd, dm) = try maxDiff(out, "\(dir)/decoded.npy")
            XCTAssertLessThanOrEqual(dd, 1e-4 * dm, "\(name) decode")
            let e = try dit(["encode", "--vae", dir, "--images", "\(dir)/images.npy", "--output", z])
            XCTAssertEqual(e.status, 0, e.stderr)
            let (de, em) = try maxDiff(z, "\(dir)/encoded.npy")
            XCTAssertLessThanOrEqual(de, 1e-4 * em, "\(name) encode")
        }
        let png = tmp("decoded.png")
        let r = try dit(["decode", "--vae", "\(Self.vae)/kl2", "--latents", "\(Self.vae)/kl2/latents.npy", "--output", png])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: png)).prefix(4), Data([0x89, 0x50, 0x4E, 0x47]))
    }

    /// A copy of the kl2 VAE with its config.json edited by `config`.
    func brokenVAE(_ name: String, config: (inout [String: Any]) -> Void) throws -> String {
        let dir = tmp("vae-" + name)
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let src = "\(Self.vae)/kl2"
        try FileManager.default.copyItem(atPath: "\(src)/diffusion_pytorch_model.safetensors", toPath: "\(dir)/diffusion_pytorch_model.safetensors")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(src)/config.json"))) as! [String: Any]
        config(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: "\(dir)/config.json"))
        return dir
    }

    func testBadInputs() throws {
        let kl2 = "\(Self.vae)/kl2", z = "\(kl2)/latents.npy", x = "\(kl2)/images.npy", out = tmp("bad.npy")
        try expectBadInput(["decode", "--vae", "/no/such/vae", "--latents", z, "--output", out], mentions: ["/no/such/vae"])
        try expectBadInput(["decode", "--vae", kl2, "--latents", x, "--output", out], mentions: ["images.npy", "shape", "(N, 4, h, w)"])
        try expectBadInput(["encode", "--vae", kl2, "--images", z, "--output", out], mentions: ["latents.npy", "shape", "(N, 3, H, W)"])
        try expectBadInput(["decode", "--vae", kl2, "--latents", z, "--output", tmp("x.jpg")], mentions: ["--output", ".npy or .png"])
        let groups = try brokenVAE("groups") { $0["norm_num_groups"] = 3 }
        try expectBadInput(["decode", "--vae", groups, "--latents", z, "--output", out], mentions: ["config.json", "block_out_channels", "divisible by norm_num_groups 3"])
        let blocks = try brokenVAE("blocks") { $0["up_block_types"] = ["UpDecoderBlock2D", "AttnUpDecoderBlock2D"] }
        try expectBadInput(["decode", "--vae", blocks, "--latents", z, "--output", out], mentions: ["config.json", "up_block_types", "AttnUpDecoderBlock2D"])
        let wider = try brokenVAE("wider") { $0["block_out_channels"] = [8, 32] }
        try expectBadInput(["decode", "--vae", wider, "--latents", z, "--output", out], mentions: ["diffusion_pytorch_model.safetensors", "expected shape [32"])
        let typed = try brokenVAE("typed") { $0["layers_per_block"] = 1.5 }
        try expectBadInput(["encode", "--vae", typed, "--images", x, "--output", out], mentions: ["config.json", "layers_per_block", "expected an integer"])
        let other = try brokenVAE("class") { $0["_class_name"] = "VQModel" }
        try expectBadInput(["encode", "--vae", other, "--images", x, "--output", out], mentions: ["_class_name", "AutoencoderKL"])
        // Too small for the one downsampler (needs 2 × 2), and too many positions for the attention.
        let tiny = tmp("tiny.npy"); try NPY.write(Tensor([1, 3, 1, 4]), to: tiny)
        try expectBadInput(["encode", "--vae", kl2, "--images", tiny, "--output", out], mentions: ["tiny.npy", "too small"])
        let huge = tmp("huge.npy"); try NPY.write(Tensor([1, 4, 300, 300]), to: huge)
        try expectBadInput(["decode", "--vae", kl2, "--latents", huge, "--output", out], mentions: ["huge.npy", "mid-block attention", "expected at most"])
    }

    func testOverflowIsNotWritten() throws {
        let big = tmp("big-z.npy"), out = tmp("never.npy")
        let z = Tensor([1, 4, 2, 2]); z.fill(3e38)
        try NPY.write(z, to: big)
        try? FileManager.default.removeItem(atPath: out)
        let r = try dit(["decode", "--vae", "\(Self.vae)/kl2", "--latents", big, "--output", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("not finite"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
