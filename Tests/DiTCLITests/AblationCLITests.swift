// --ablate through `dit forward` and `dit sample` against the reference code's own ablations
// (Tests/DiTTests/Fixtures/ablation: official models.py with zeroed gate rows / proj columns,
// training/dit_model.py with branches zeroed or blocks skipped, diffusers' DiTTransformer2DModel), every bad spec on every command,
// and `dit ablate`'s sweep checked against separate `dit sample --ablate` runs.
import Foundation
import XCTest
import DiT

extension CLITests {
    static let ablation = repo + "/Tests/DiTTests/Fixtures/ablation"

    struct AblationCase: Decodable { var model, x, forward: String; var t, labels: [Int]; var ablate: [String]
                                     var noise, ddim_clip, ddim_noclip: String? }   // no samples for the diffusers-format cases
    struct AblationManifest: Decodable { var steps: Int; var cfg: Float; var cases: [AblationCase] }

    static func ablationManifest() throws -> AblationManifest {
        try JSONDecoder().decode(AblationManifest.self, from: Data(contentsOf: URL(fileURLWithPath: ablation + "/MANIFEST.json")))
    }

    func testAblatedForwardAndSampleMatchReference() throws {
        let m = try Self.ablationManifest()
        XCTAssertGreaterThanOrEqual(m.cases.count, 20)
        var worst: (forward: Float, clip: Float, noclip: Float) = (0, 0, 0)
        for c in m.cases {
            let dir = Self.ablation + "/" + c.model, path = { Self.ablation + "/" + $0 }
            let flags = c.ablate.flatMap { ["--ablate", $0] }, label = "\(c.model) \(c.ablate)"
            let out = tmp("abl-forward.npy"), plain = tmp("abl-plain.npy")
            let forward = ["forward", "--model", dir, "--x", path(c.x), "--t", c.t.map(String.init).joined(separator: ","),
                           "--class", c.labels.map(String.init).joined(separator: ","), "--output"]
            let r = try dit(forward + [out] + flags)
            XCTAssertEqual(r.status, 0, "\(label): \(r.stderr)")
            let (d, mag) = try maxDiff(out, path(c.forward))
            XCTAssertLessThanOrEqual(d, 1e-4 * max(1, mag), label)
            worst.forward = max(worst.forward, d / max(1, mag))
            if !c.ablate.isEmpty {  // the ablation changes the output far beyond the tolerance
                XCTAssertEqual(try dit(forward + [plain]).status, 0)
                let (effect, _) = try maxDiff(plain, path(c.forward))
                XCTAssertGreaterThan(effect, 1e-2 * max(1, mag), "\(label) has no effect")
            }
            // Clipped DDIM of these random-weight models is ill-conditioned (outputs ~10, most x̂0 clipped): in the
            // reference itself a 1e-6 relative change of x_T moves the sample by ~8e-4. So 1e-2 there, 1e-3 unclipped.
            guard let noise = c.noise, let clipped = c.ddim_clip, let unclipped = c.ddim_noclip else { continue }
            for (ref, clip) in [(clipped, []), (unclipped, ["--no-clip"])] {
                let sample = tmp("abl-sample.npy")
                let s = try dit(["sample", "--model", dir, "--class", c.labels.map(String.init).joined(separator: ","), "--noise", path(noise),
                                 "--cfg", "\(m.cfg)", "--steps", "\(m.steps)", "--output", sample] + clip + flags)
                XCTAssertEqual(s.status, 0, "\(label): \(s.stderr)")
                let (ds, ms) = try maxDiff(sample, path(ref))
                XCTAssertLessThanOrEqual(ds, (clip.isEmpty ? 1e-2 : 1e-3) * max(1, ms), "\(label) \(ref)")
                if clip.isEmpty { worst.clip = max(worst.clip, ds) } else { worst.noclip = max(worst.noclip, ds / max(1, ms)) }
            }
        }
        print("ablation parity through the CLI: forward max |Δ|/max(1, max|ref|) \(worst.forward); DDIM clipped max |Δ| \(worst.clip), "
              + "unclipped max |Δ|/max(1, max|ref|) \(worst.noclip)")
    }

    func testBadAblationSpecsNameTheFlag() throws {
        let dir = Self.ablation + "/official-d3h4p2", out = tmp("abl-bad.npy"), s8 = Self.repo + "/assets/models/dit-s8-fashion"
        let commands: [(args: [String], depth: Int, heads: Int)] = [
            (["forward", "--model", dir, "--x", dir + "/x.npy", "--t", "10", "--class", "0", "--output", out], 3, 4),
            (["sample", "--model", dir, "--steps", "2", "--output", out], 3, 4),
            (["eval", "--model", s8, "--samples", "20", "--steps", "2", "--quiet"], 12, 6),   // the judge scores the shipped models
            (["compare", "--model", dir, "--steps", "2"], 3, 4),
        ]
        for (args, depth, heads) in commands {
            let bad: [(String, [String])] = [
                ("block.\(depth)", ["block.\(depth)", "0…\(depth - 1)"]), ("head.1.\(heads)", ["head.1.\(heads)", "0…\(heads - 1)"]),
                ("block.0.cross", ["block.0.cross", "adaLN-Zero"]), ("blok.1", ["blok.1", "block.K"]), ("block.-1", ["block.-1", "block.K"]),
                ("head.1", ["head.1", "head.K.H"]), ("block.1.ffn", ["block.1.ffn", "block.K.mlp"]), ("", ["block.K"]),
            ]
            for (spec, mentions) in bad {
                try expectBadInput(args + ["--ablate", "block.0", "--ablate", spec], mentions: ["--ablate"] + mentions)
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written")
        // cross is a branch of the cross-attention design
        let cross = Self.repo + "/Tests/DiTTests/Fixtures/conditioning/cross-attention"
        XCTAssertEqual(try dit(["sample", "--model", cross, "--steps", "2", "--class", "1", "--ablate", "block.1.cross", "--output", out]).status, 0)
    }

    /// Each cell of `dit ablate` is ‖x0(ablated from k) − x0‖: at k = 0 the same as two `dit sample` runs.
    func testAblateSweepMatchesSeparateSamples() throws {
        let dir = Self.ablation + "/official-d2h3p3", heat = tmp("abl-heat.png")
        let r = try dit(["ablate", "--model", dir, "--class", "1", "--seed", "5", "--steps", "6", "--starts", "3", "--heads",
                         "--json", "--output", heat])
        XCTAssertEqual(r.status, 0, r.stderr)
        let j = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(j["start_steps"] as? [Int], [0, 3, 5])
        let rows = try XCTUnwrap(j["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["ablation"] as? String }, ["block.0", "block.1"] + (0..<2).flatMap { k in (0..<3).map { "head.\(k).\($0)" } })
        let base = tmp("abl-base.npy")
        XCTAssertEqual(try dit(["sample", "--model", dir, "--class", "1", "--seed", "5", "--steps", "6", "--output", base]).status, 0)
        for row in rows.prefix(3) {
            let spec = try XCTUnwrap(row["ablation"] as? String), deltas = try XCTUnwrap(row["delta_norm"] as? [Double])
            let ablated = tmp("abl-one.npy")
            XCTAssertEqual(try dit(["sample", "--model", dir, "--class", "1", "--seed", "5", "--steps", "6", "--ablate", spec, "--output", ablated]).status, 0)
            let a = try NPY.read(ablated).array, b = try NPY.read(base).array
            let norm = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
            XCTAssertEqual(deltas[0], norm, accuracy: 1e-5 * max(1, norm), spec)
            XCTAssertGreaterThan(deltas[0], 0, spec)
            XCTAssertTrue(deltas.allSatisfy(\.isFinite))
        }
        XCTAssertTrue(j["probability"] == nil && j["judge"] is NSNull, "no judge scores this model")
        let png = try PNG.read(heat)
        XCTAssertGreaterThan(png.height, 8 * 16, "a row per ablation")
        let table = try dit(["ablate", "--model", dir, "--class", "1", "--steps", "3", "--starts", "2"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("k=0") && table.stdout.contains("k=2") && table.stdout.contains("block.1")
                      && table.stdout.contains("final sample"), table.stdout)
        XCTAssertFalse(table.stdout.contains("head."), "heads only with --heads")
    }

    func testAblateBadInputs() throws {
        let dir = Self.ablation + "/official-d2h3p3"
        try expectBadInput(["ablate", "--model", dir, "--output", "/nonexistent-dir/h.png"], mentions: ["--output", "/nonexistent-dir"])
        try expectBadInput(["ablate", "--model", dir, "--output", tmp("h.npy")], mentions: ["--output", ".png"])
        try expectBadInput(["ablate", "--model", dir, "--starts", "0"], mentions: ["--starts"])
        try expectBadInput(["ablate", "--model", dir, "--steps", "0"], mentions: ["--steps"])
        try expectBadInput(["ablate", "--model", dir, "--class", "9"], mentions: ["--class", "9"])
    }
}

extension CLITests {
    /// A latent pipeline folder (DiT + vae/) ablates its DiT: block.K is both branches, bit for bit.
    func testAblateOnLatentPipeline() throws {
        let p = Self.repo + "/Tests/DiTExplorerTests/Fixtures/latent-pipeline"
        let plain = tmp("lp-plain.npy"), block = tmp("lp-block.npy"), branches = tmp("lp-branches.npy")
        let base = ["sample", "--model", p, "--steps", "3", "--class", "0", "--output"]
        XCTAssertEqual(try dit(base + [plain]).status, 0)
        XCTAssertEqual(try dit(base + [block, "--ablate", "block.1"]).status, 0)
        XCTAssertEqual(try dit(base + [branches, "--ablate", "block.1.mlp", "--ablate", "block.1.attn"]).status, 0)
        XCTAssertEqual(try NPY.read(block).array, try NPY.read(branches).array)
        XCTAssertNotEqual(try NPY.read(block).array, try NPY.read(plain).array)
        try expectBadInput(base + [tmp("lp-bad.npy"), "--ablate", "block.2"], mentions: ["--ablate", "block.2", "0…1"])
    }
}
