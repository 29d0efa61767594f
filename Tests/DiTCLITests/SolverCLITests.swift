// DPM-Solver++(2M), Euler and Heun through `dit sample` against the diffusers fixtures
// (Tests/DiTTests/Fixtures/solvers), the NFE summary, the --cfg-interval identity, and bad values.
import Foundation
import XCTest
import DiT

extension CLITests {
    static let solvers = repo + "/Tests/DiTTests/Fixtures/solvers"

    struct SolverCase: Decodable { var file: String; var sampler: String; var karras: Bool; var steps: Int; var cfg: Float
                                   var interval: [Float]?; var thresholding: Bool?; var nfe: Int }
    struct SolverManifest: Decodable { var cases: [SolverCase] }

    func solverArgs(_ c: SolverCase, output: String) -> [String] {
        ["sample", "--model", Self.tiny, "--class", "0,2", "--noise", Self.fixture("noise.npy"), "--sampler", c.sampler,
         "--steps", "\(c.steps)", "--cfg", "\(c.cfg)", "--output", output]
            + (c.karras ? ["--karras"] : []) + (c.thresholding == true ? ["--thresholding"] : []) + (c.interval.map { ["--cfg-interval", "\($0[0]),\($0[1])"] } ?? [])
    }

    func testNewSolversMatchDiffusersThroughCLI() throws {
        let m = try JSONDecoder().decode(SolverManifest.self, from: Data(contentsOf: URL(fileURLWithPath: Self.solvers + "/solvers.json")))
        // one guided case of each solver ± Karras, one with an interval and DPM-Solver++ thresholded ± Karras
        // (the library tests run them all)
        let chosen = m.cases.filter { $0.cfg != 1 && ($0.interval == nil || $0.sampler == "heun") }
        XCTAssertEqual(chosen.count, 9)
        for c in chosen {
            let out = tmp("solver-" + c.file)
            let r = try dit(solverArgs(c, output: out))
            XCTAssertEqual(r.status, 0, r.stderr)
            let (d, _) = try maxDiff(out, Self.solvers + "/" + c.file)
            XCTAssertLessThanOrEqual(d, 1e-3, c.file)
            XCTAssertTrue(r.stdout.contains("NFE \(c.nfe) "), "\(c.file): \(r.stdout)")
        }
    }

    func testCfgIntervalFullRangeIsPlainCFGAndTrajectoryIsModelInput() throws {
        let base = ["sample", "--model", Self.tiny, "--class", "0,2", "--seed", "4", "--sampler", "euler", "--steps", "3", "--cfg", "3"]
        let a = tmp("plain.npy"), b = tmp("interval.npy"), traj = tmp("euler-traj.npy")
        XCTAssertEqual(try dit(base + ["--output", a, "--trajectory", traj]).status, 0)
        XCTAssertEqual(try dit(base + ["--output", b, "--cfg-interval", "0,999"]).status, 0)
        XCTAssertEqual(try NPY.read(a).array, try NPY.read(b).array, "--cfg-interval 0,999 is plain CFG bit for bit")
        // x_T of the trajectory is z · σ_max / √(σ_max² + 1): unit variance, as the model sees it
        let t = try NPY.read(traj)
        XCTAssertEqual(t.shape, [4, 2, 1, 8, 8])
        let first = Array(t.array.prefix(128)), rms = (first.reduce(0) { $0 + $1 * $1 } / 128).squareRoot()
        XCTAssertEqual(rms, 1, accuracy: 0.25)
        XCTAssertEqual(Array(t.array.suffix(128)), try NPY.read(a).array, "the trajectory ends at the sample")
    }

    func testSolverBadInputs() throws {
        let out = tmp("bad-solver.npy")
        let base = ["sample", "--model", Self.tiny, "--output", out]
        try expectBadInput(base + ["--sampler", "ddim", "--karras"], mentions: ["--karras", "dpm++2m, euler, heun"])
        try expectBadInput(base + ["--sampler", "euler", "--thresholding"], mentions: ["--thresholding", "dpm++2m"])
        try expectBadInput(base + ["--sampler", "euler", "--cfg-interval", "500"], mentions: ["--cfg-interval", "LO,HI"])
        try expectBadInput(base + ["--sampler", "euler", "--cfg-interval", "700,300"], mentions: ["--cfg-interval", "LO ≤ HI"])
        try expectBadInput(base + ["--sampler", "heun", "--cfg-interval", "0,1000"], mentions: ["--cfg-interval", "999"])
        try expectBadInput(base + ["--cfg-schedule", "square"], mentions: ["--cfg-schedule", "square"])
        try expectBadInput(base + ["--sampler", "dpm++3m"], mentions: ["--sampler", "dpm++3m"])
        try expectBadInput(base + ["--sampler", "dpm++2m", "--steps", "1000"], mentions: ["--steps", "1…999"])
    }
}
