// `dit flops` as a calculator: conditioning variants, image size through the VAE, custom shapes,
// JSON, and bad values ending in exit status 2 with the option named.
import Foundation
import XCTest
import DiT

extension CLITests {
    func flopsJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try dit(["flops", "--json"] + args)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], file: file, line: line)
    }

    func models(_ doc: [String: Any]) -> [[String: Any]] { doc["models"] as? [[String: Any]] ?? [] }

    func testFlopsJSONMatchesTheLibrary() throws {
        let doc = try flopsJSON(["--config", "XL/2", "--conditioning", "cross-attention"])
        XCTAssertEqual(doc["conditioning"] as? String, "cross-attention")
        let m = try XCTUnwrap(models(doc).first)
        XCTAssertEqual(models(doc).count, 1)
        let c = DiTPreset.xl2.config()
        let f = FLOPs(c, conditioning: .crossAttention), n = Parameters(c, conditioning: .crossAttention)
        XCTAssertEqual(m["name"] as? String, "DiT-XL/2")
        XCTAssertEqual(m["flops"] as? Int, f.total)
        XCTAssertEqual(m["parameters"] as? Int, n.total)
        XCTAssertEqual(m["tokens"] as? Int, 256)
        let parts = try XCTUnwrap(m["flops_by_part"] as? [String: Int])
        XCTAssertEqual(parts.count, CostPart.allCases.count)
        XCTAssertEqual(parts.values.reduce(0, +), f.total)
        XCTAssertEqual(parts["cross_attention"], f.crossAttention)
        XCTAssertGreaterThan(parts["cross_attention"] ?? 0, 0)
        XCTAssertEqual((m["parameters_by_part"] as? [String: Int])?.values.reduce(0, +), n.total)
        // Fig. 5 gives XL/2 with cross-attention 137.6 Gflops, and no parameter count.
        let paper = try XCTUnwrap(m["paper"] as? [String: Any])
        XCTAssertEqual(paper["gflops"] as? Double, 137.6)
        XCTAssertNil(paper["params_m"])
        XCTAssertLessThan(abs(paper["delta_gflops_percent"] as? Double ?? 99), 0.5)
    }

    func testFlopsTableAsJSONHasTwelvePaperRows() throws {
        let rows = models(try flopsJSON([]))
        XCTAssertEqual(rows.count, 12)
        for r in rows {
            let paper = try XCTUnwrap(r["paper"] as? [String: Any], "\(r["name"] ?? "")")
            XCTAssertLessThanOrEqual(abs(paper["delta_gflops_percent"] as? Double ?? 99), 0.5)
            XCTAssertLessThanOrEqual(abs(paper["delta_params_percent"] as? Double ?? 99), 0.5)
        }
    }

    func testFlopsImageSizeThroughTheVAE() throws {
        // 512 px / 8 = 64: T = 1024 at p = 2, and four times the tokens of 256 px.
        let big = try flopsJSON(["--image-size", "512", "--config", "S/2"]), small = try flopsJSON(["--image-size", "256", "--config", "S/2"])
        XCTAssertEqual((big["input"] as? [String: Any])?["input_size"] as? Int, 64)
        XCTAssertEqual((big["input"] as? [String: Any])?["vae_factor"] as? Int, 8)
        XCTAssertEqual(models(big).first?["tokens"] as? Int, 1024)
        XCTAssertEqual(models(small).first?["flops"] as? Int, FLOPs(DiTPreset.s2.config()).total, "256 px is the paper's 32 latent")
        XCTAssertNil(models(big).first?["paper"], "the paper has no 512 px S/2")
        let pixels = try flopsJSON(["--image-size", "32", "--vae-factor", "1", "--in-channels", "1", "--num-classes", "10", "--config", "S/8"])
        XCTAssertEqual(models(pixels).first?["flops"] as? Int,
                       FLOPs(DiTPreset.s8.config(inputSize: 32, inChannels: 1, numClasses: 10)).total)
    }

    func testFlopsInContextAddsTwoTokens() throws {
        let m = try XCTUnwrap(models(try flopsJSON(["--config", "B/4", "--conditioning", "in-context"])).first)
        XCTAssertEqual(m["tokens"] as? Int, 64)
        XCTAssertEqual(m["sequence_length"] as? Int, 66)
        XCTAssertEqual((m["flops_by_part"] as? [String: Int])?["adaln"], 0)
        let text = try dit(["flops", "--config", "B/4", "--conditioning", "IN-CONTEXT"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("T + 2 = 66"), text.stdout)
    }

    func testFlopsCustomShape() throws {
        let m = try XCTUnwrap(models(try flopsJSON(["--hidden-size", "512", "--depth", "8", "--heads", "8", "--patch-size", "4",
                                                    "--input-size", "64", "--conditioning", "adaLN"])).first)
        let c = DiTConfig(inputSize: 64, patchSize: 4, inChannels: 4, hiddenSize: 512, depth: 8, numHeads: 8, numClasses: 1000)
        XCTAssertEqual(m["flops"] as? Int, FLOPs(c, conditioning: .adaLN).total)
        XCTAssertEqual(m["parameters"] as? Int, FLOPs.parameters(c, conditioning: .adaLN))
        XCTAssertEqual(m["name"] as? String, "D=512 depth 8 heads 8 p=4")
        // A preset changed in one dimension; and --patch-size alone gives S/B/L/XL at that p.
        let deeper = try XCTUnwrap(models(try flopsJSON(["--config", "S/2", "--depth", "24"])).first)
        var s = DiTPreset.s2.config(); s.depth = 24
        XCTAssertEqual(deeper["flops"] as? Int, FLOPs(s).total)
        let p16 = models(try flopsJSON(["--patch-size", "16"]))
        XCTAssertEqual(p16.map { $0["tokens"] as? Int }, [4, 4, 4, 4])
        XCTAssertEqual(p16.count, 4)
    }

    func testFlopsBreakdownTable() throws {
        let r = try dit(["flops", "--config", "S/2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let f = FLOPs(DiTPreset.s2.config())
        let mlp = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("MLP ") })
        XCTAssertTrue(mlp.contains(String(format: "%.4f", Double(f.mlp) / 1e9)), String(mlp))
        XCTAssertTrue(r.stdout.contains("total              " + String(format: "%.4f", f.gflops)), r.stdout)
        XCTAssertFalse(r.stdout.contains("cross-attention  "), "no cross-attention row for adaLN-Zero")
    }

    func testFlopsBadValues() throws {
        try expectBadInput(["flops", "--conditioning", "film"], mentions: ["dit: error: --conditioning: film: expected", "adaLN-Zero"])
        try expectBadInput(["flops", "--config", "S/8", "--input-size", "36"], mentions: ["--input-size: 36:", "patch size 8"])
        try expectBadInput(["flops", "--input-size", "0"], mentions: ["--input-size: 0: expected a positive integer"])
        try expectBadInput(["flops", "--in-channels=-3"], mentions: ["--in-channels: -3: expected a positive integer"])
        try expectBadInput(["flops", "--num-classes", "0"], mentions: ["--num-classes: 0:"])
        try expectBadInput(["flops", "--image-size", "250"], mentions: ["--image-size: 250: expected a multiple of --vae-factor 8"])
        try expectBadInput(["flops", "--image-size", "256", "--vae-factor", "0"], mentions: ["--vae-factor: 0:"])
        try expectBadInput(["flops", "--image-size", "256", "--input-size", "32"], mentions: ["--image-size", "not both"])
        try expectBadInput(["flops", "--vae-factor", "4"], mentions: ["--vae-factor", "--image-size"])
        try expectBadInput(["flops", "--hidden-size", "512"], mentions: ["--hidden-size/--depth/--heads", "all three"])
        try expectBadInput(["flops", "--config", "S/2", "--heads", "5"], mentions: ["--heads: 5:", "divisor of the hidden size 384"])
        try expectBadInput(["flops", "--patch-size", "3"], mentions: ["--input-size: 32:", "patch size 3"])
        try expectBadInput(["flops", "--depth", "x"], mentions: ["--depth", "x"])
    }
}
