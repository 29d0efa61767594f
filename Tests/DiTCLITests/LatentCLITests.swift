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

    static let pipeline = CLITests.repo + "/Tests/DiTExplorerTests/Fixtures/latent-pipeline"

    /// The explorer's VAE is checked before the screen is taken: a missing folder, latents of
    /// another width than the model's input, and a screen-less run that names the real issue.
    func testExploreChecksTheVAEFirst() throws {
        try expectBadInput(["explore", "--model", Self.pipeline, "--vae", "/no/such/vae"], mentions: ["/no/such/vae"])
        try expectBadInput(["explore", "--model", Self.pipeline, "--vae", "\(Self.vae)/kl3-odd"],
                           mentions: ["kl3-odd/config.json", "latent_channels", "expected the model's 4 input channels, found 3"])
        try expectBadInput(["explore", "--model", "\(Self.dit)/d3-eps", "--vae", "\(Self.vae)/kl2"],
                           mentions: ["latent_channels", "expected the model's 3 input channels, found 4"])
        // A good pipeline gets as far as wanting a terminal (stdin and stdout are pipes here).
        let r = try dit(["explore", "--model", Self.pipeline, "--class", "hammerhead shark"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("the explorer needs a terminal"), r.stderr)
    }

    /// `dit sample` on a pipeline folder with vae/ leaves x̂0 unclipped (clip_denoised=False, as
    /// sample.py and DiTPipeline): the default equals --no-clip, and --clip changes the latents.
    func testSampleDoesNotClipLatentsByDefault() throws {
        func sample(_ name: String, _ extra: [String]) throws -> [Float] {
            let out = tmp("latent-\(name).npy")
            let r = try dit(["sample", "--model", Self.pipeline, "--class", "1", "--seed", "3", "--steps", "4", "--cfg", "1",
                             "--output", out] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try NPY.read(out).array
        }
        let auto = try sample("auto", []), unclipped = try sample("noclip", ["--no-clip"]), clipped = try sample("clip", ["--clip"])
        XCTAssertEqual(auto, unclipped)
        XCTAssertNotEqual(auto, clipped)
        let both = try dit(["sample", "--model", Self.pipeline, "--class", "1", "--steps", "2", "--clip", "--no-clip", "--output", tmp("latent-both.npy")])
        XCTAssertEqual(both.status, 2, "--clip and --no-clip contradict each other")
        XCTAssert(both.stderr.contains("clip"), both.stderr)
    }

    static let dit = CLITests.repo + "/Tests/DiTTests/Fixtures/diffusers-dit"

    func testDiffusersForwardMatchesDiffusers() throws {
        for name in ["d2-sigma", "d3-eps", "pipeline"] {
            let dir = "\(Self.dit)/\(name)", out = tmp("\(name)-out.npy")
            let inputs = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/inputs.json"))) as! [String: [Int]]
            let r = try dit(["forward", "--model", dir, "--x", "\(dir)/x.npy", "--t", inputs["t"]!.map(String.init).joined(separator: ","),
                             "--class", inputs["y"]!.map(String.init).joined(separator: ","), "--output", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            let (d, m) = try maxDiff(out, "\(dir)/out.npy")
            XCTAssertLessThanOrEqual(d, 1e-4 * max(1, m), name)
        }
        // id2label's names, or any of their comma-separated synonyms, select classes.
        let r = try dit(["forward", "--model", "\(Self.dit)/pipeline", "--x", "\(Self.dit)/pipeline/x.npy", "--t", "10",
                         "--class", "Golden Retriever", "--output", tmp("named.npy")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try NPY.read(tmp("named.npy")).array, try NPY.read(tmp("pipeline-out.npy")).array, "class 1 by name")
        let shark = try dit(["forward", "--model", "\(Self.dit)/pipeline", "--x", "\(Self.dit)/pipeline/x.npy", "--t", "10",
                             "--class", "white shark", "--output", tmp("shark.npy")])
        XCTAssertEqual(shark.status, 0, shark.stderr)
    }

    func testBadDiffusersModels() throws {
        let fm = FileManager.default, src = "\(Self.dit)/d2-sigma", x = "\(src)/x.npy", out = tmp("bad.npy")
        func copy(_ name: String, edit: (inout [String: Any]) -> Void) throws -> String {
            let dir = tmp("ddit-" + name)
            try? fm.removeItem(atPath: dir)
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try fm.copyItem(atPath: "\(src)/diffusion_pytorch_model.safetensors", toPath: "\(dir)/diffusion_pytorch_model.safetensors")
            var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(src)/config.json"))) as! [String: Any]
            edit(&json)
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: "\(dir)/config.json"))
            return dir
        }
        let args = { (dir: String) in ["forward", "--model", dir, "--x", x, "--t", "5", "--class", "0", "--output", out] }
        try expectBadInput(args(try copy("norm") { $0["norm_type"] = "ada_norm_single" }), mentions: ["config.json", "norm_type", "ada_norm_zero"])
        try expectBadInput(args(try copy("out") { $0["out_channels"] = 6 }), mentions: ["config.json", "out_channels"])
        try expectBadInput(args(try copy("deeper") { $0["num_layers"] = 3 }), mentions: ["transformer_blocks.2.", "missing"])
        try expectBadInput(args(try copy("wider") { $0["attention_head_dim"] = 12 }), mentions: ["pos_embed.proj.weight", "expected shape [24, 4, 2, 2]"])
        try expectBadInput(args(try copy("heads") { $0["num_attention_heads"] = 0 }), mentions: ["num_attention_heads"])
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
