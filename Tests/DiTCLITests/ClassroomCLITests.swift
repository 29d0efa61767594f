import DiT
import Foundation
import XCTest

/// Issue 27 ("classroom-ready") through the binary: one parameter count everywhere, and the
/// small commands saying what they did.
extension CLITests {
    /// `dit info`, `dit compare` and the cost model (the explorer's Compare pane, `dit flops`)
    /// give the same count for each shipped model: models.py's model.parameters(), pos_embed in.
    func testOneParameterCountEverywhere() throws {
        let dirs = ["dit-s8-fashion", "dit-s4-fashion", "dit-s2-fashion"].map { Self.repo + "/assets/models/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0 + "/config.json") }
        try XCTSkipIf(dirs.isEmpty, "no shipped models")
        let compare = try dit(["compare", "--steps", "1", "--columns", "1", "--json"] + dirs.flatMap { ["--model", $0] })
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let rows = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])?["models"] as? [[String: Any]])
        for (dir, row) in zip(dirs, rows) {
            let expected = FLOPs.parameters(try DiTConfig.load(URL(fileURLWithPath: dir + "/config.json")))
            XCTAssertEqual(row["parameters"] as? Int, expected, dir)
            let info = try dit(["info", "--model", dir])
            XCTAssertTrue(info.stdout.contains("parameters   \(grouped(expected)) (models.py's model.parameters(): weights, biases, the label table, pos_embed)"), info.stdout)
        }
    }

    /// `dit eval` warns on stderr that a FID of few samples is meaningless for ranking, naming N.
    func testEvalWarnsOfASmallSampleFID() throws {
        let r = try dit(["eval", "--model", EvalCLITests.model, "--samples", "20", "--steps", "1", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("dit: warning: FID from N = 20 samples") && r.stderr.contains("meaningless for ranking"), r.stderr)
        XCTAssertTrue(r.stdout.contains("FID"), r.stdout)
    }

    /// `dit noise` and `dit loss` say what they wrote; `dit loss` takes class names as `dit sample` does.
    func testNoiseAndLossReportAndLossTakesClassNames() throws {
        let x0 = Self.forwardFixture("x0.npy"), eps = Self.forwardFixture("noise.npy"), xt = tmp("report-xt.npy"), mse = tmp("report-mse.npy")
        let noise = try dit(["noise", "--x0", x0, "--t", Self.forwardT, "--noise", eps, "--output", xt])
        XCTAssertEqual(noise.status, 0, noise.stderr)
        XCTAssertTrue(noise.stdout.contains("wrote \(xt) (x_t [6, 1, 8, 8] at t = \(Self.forwardT))"), noise.stdout)
        let loss = try dit(["loss", "--model", Self.tiny, "--x0", x0, "--t", Self.forwardT, "--class", Self.forwardLabels, "--noise", eps, "--output", mse])
        XCTAssertEqual(loss.status, 0, loss.stderr)
        XCTAssertTrue(loss.stdout.contains("mean") && loss.stdout.contains("over 6 rows") && loss.stdout.contains("wrote \(mse)"), loss.stdout)
        let s8 = Self.repo + "/assets/models/dit-s8-fashion"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: s8 + "/config.json"), "no shipped S/8")
        let image = tmp("dress-x0.npy"), z = tmp("dress-eps.npy")
        try NPY.write(Tensor([1, 1, 32, 32]), to: image)
        try NPY.write(Tensor([1, 1, 32, 32]), to: z)
        let dress = try dit(["loss", "--model", s8, "--x0", image, "--t", "500", "--class", "Dress", "--noise", z, "--output", mse])
        XCTAssertEqual(dress.status, 0, dress.stderr)
        try expectBadInput(["loss", "--model", s8, "--x0", image, "--t", "500", "--class", "Dres", "--noise", z, "--output", mse],
                           mentions: ["--class", "Dres", "Dress"])
        try expectBadInput(["noise", "--x0", x0, "--t", "1", "--noise", eps, "--output", "/no/such/dir/xt.npy"], mentions: ["--output", "/no/such/dir"])
    }

    /// `dit view` shows the 5-D trajectory `dit sample --trajectory` writes: frames left to right, a row per sample.
    func testViewShowsATrajectory() throws {
        let traj = tmp("view-traj.npy"), out = tmp("view-traj-out.npy")
        let r = try dit(["sample", "--model", Self.tiny, "--class", "0,2", "--steps", "3", "--output", out, "--trajectory", traj])
        XCTAssertEqual(r.status, 0, r.stderr)
        let all = try dit(["view", traj, "--graphics", "cells", "--scale", "1"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stderr.contains("trajectory of 4 frames") && all.stderr.contains("one row per sample"), all.stderr)
        // 4 frames of 8 px with 2 px borders: 42 px wide; 2 rows: 22 px high, 11 rows of half blocks.
        let lines = all.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 11, all.stdout)
        let one = try dit(["view", traj, "--index", "1", "--graphics", "cells", "--scale", "1"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdout.split(separator: "\n").count, 6, "one sample: 12 px high")
        try expectBadInput(["view", traj, "--index", "2"], mentions: [traj, "--index", "0…1"])
    }

    /// Output paths: an empty one or one naming a directory is refused before any work, naming the flag.
    func testOutputPathsThatAreNoFileNames() throws {
        let out = tmp("paths.npy")
        try expectBadInput(["sample", "--model", Self.tiny, "--output", out, "--trajectory", ""], mentions: ["--trajectory", "empty"])
        try expectBadInput(["sample", "--model", Self.tiny, "--output", out, "--trajectory", "missing_dir/"], mentions: ["--trajectory", "missing_dir/", "directory"])
        try expectBadInput(["sample", "--model", Self.tiny, "--output", out, "--gif", "."], mentions: ["--gif", "directory"])
        try expectBadInput(["explore", "--model", Self.tiny, "--export-dir", "/no/such/dir"], mentions: ["--export-dir", "/no/such/dir"])
        try expectBadInput(["explore", "--model", Self.tiny, "--record", ""], mentions: ["--record", "empty"])
        // An --x of the wrong rank is blamed on --x, not on the per-row --t.
        let flat = tmp("rank2.npy")
        try NPY.write(Tensor([8, 8]), to: flat)
        let r = try dit(["forward", "--model", Self.tiny, "--x", flat, "--t", "500,37", "--class", "0", "--output", out])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("\(flat): shape") && r.stderr.contains("expected (N, 1, 8, 8) (--x)") && !r.stderr.contains("--t"), r.stderr)
    }

    /// `explore --help` describes the sampler keys as the keymap binds them.
    func testExploreHelpMatchesTheSamplerKeys() throws {
        let help = try dit(["explore", "--help"]).stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        XCTAssertFalse(help.contains("m DDIM/DDPM"), help)
        XCTAssertTrue(help.contains("m / M next / previous sampler (DDIM, DDPM, DPM++2M, Euler, Heun)"), help)
    }

    func grouped(_ n: Int) -> String {
        let s = String(n)
        return s.enumerated().map { i, ch in i > 0 && (s.count - i) % 3 == 0 ? ",\(ch)" : "\(ch)" }.joined()
    }
}
