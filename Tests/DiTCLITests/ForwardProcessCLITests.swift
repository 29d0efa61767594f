import Foundation
import XCTest
import DiT

/// `dit noise`, `dit loss` and `dit sample --init` through the binary, against the reference
/// fixtures of training/make_forward_fixtures.py, and their refusals of bad input.
extension CLITests {
    static func forwardFixture(_ name: String) -> String { repo + "/Tests/DiTTests/Fixtures/forward/" + name }
    static let forwardT = "0,1,37,500,998,999", forwardLabels = "0,2,3,1,2,0"

    func testNoiseMatchesQSample() throws {
        let out = tmp("xt.npy")
        let r = try dit(["noise", "--x0", Self.forwardFixture("x0.npy"), "--t", Self.forwardT, "--noise", Self.forwardFixture("noise.npy"), "--output", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let a = try NPY.read(out), b = try NPY.read(Self.forwardFixture("xt.npy"))
        XCTAssertEqual(a.shape, b.shape)
        XCTAssertLessThanOrEqual(zip(a.array, b.array).map { abs($0 - $1) }.max()!, 1e-6)
    }

    func testLossMatchesTrainingLosses() throws {
        let out = tmp("mse.npy")
        let r = try dit(["loss", "--model", Self.tiny, "--x0", Self.forwardFixture("x0.npy"), "--t", Self.forwardT, "--class", Self.forwardLabels,
                         "--noise", Self.forwardFixture("noise.npy"), "--output", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let a = try NPY.read(out), b = try NPY.read(Self.forwardFixture("mse.npy"))
        XCTAssertEqual(a.shape, [6])
        for (x, y) in zip(a.array, b.array) { XCTAssertEqual(x, y, accuracy: 1e-4 * abs(y)) }
    }

    func testSampleFromARealImage() throws {
        let x0 = try NPY.read(Self.forwardFixture("x0.npy")), eps = try NPY.read(Self.forwardFixture("noise.npy"))
        let x2 = tmp("x0-2.npy"), e2 = tmp("eps-2.npy")
        try NPY.write(Tensor([2, 1, 8, 8], Array(x0.array.prefix(128))), to: x2)
        try NPY.write(Tensor([2, 1, 8, 8], Array(eps.array.prefix(128))), to: e2)
        for (ref, extra) in [("sdedit_ddim.npy", ["--sampler", "ddim"]),
                             ("sdedit_ddpm.npy", ["--sampler", "ddpm", "--step-noise", Self.forwardFixture("step_noise.npy")])] {
            let out = tmp(ref), traj = tmp("traj-" + ref)
            let r = try dit(["sample", "--model", Self.tiny, "--class", "0,2", "--cfg", "3", "--steps", "10",
                             "--init", x2, "--init-step", "4", "--noise", e2, "--output", out, "--trajectory", traj] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            let (d, m) = try maxDiff(out, Self.forwardFixture(ref))
            XCTAssertLessThanOrEqual(d, 1e-4 * max(1, m), ref)
            XCTAssertEqual(try NPY.read(traj).shape, [7, 2, 1, 8, 8], "x at step 4, then steps 4…9")
        }
        // Without --noise, ε is the seed's x_T draw: the same seed gives the same start.
        let a = tmp("seeded-a.npy"), b = tmp("seeded-b.npy")
        for path in [a, b] {
            XCTAssertEqual(try dit(["sample", "--model", Self.tiny, "--class", "0,2", "--steps", "10", "--seed", "3",
                                    "--init", x2, "--init-step", "9", "--output", path]).status, 0)
        }
        XCTAssertEqual(try NPY.read(a).array, try NPY.read(b).array)
        // One --class for every row of --init.
        let c = tmp("one-class.npy")
        let r = try dit(["sample", "--model", Self.tiny, "--class", "1", "--steps", "10", "--seed", "3", "--init", x2, "--init-step", "9", "--output", c])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try NPY.read(c).shape, [2, 1, 8, 8])
    }

    func testBadInputsNameTheFileAndField() throws {
        let x0 = Self.forwardFixture("x0.npy"), eps = Self.forwardFixture("noise.npy"), out = tmp("bad.npy")
        try expectBadInput(["noise", "--x0", x0, "--t", "1,2", "--noise", eps, "--output", out], mentions: ["--t", "expected 1 or 6 values"])
        try expectBadInput(["noise", "--x0", x0, "--t", "1000", "--noise", eps, "--output", out], mentions: ["--t", "1000", "0…999"])
        try expectBadInput(["noise", "--x0", x0, "--t=-1", "--noise", eps, "--output", out], mentions: ["--t", "0…999"])
        try expectBadInput(["noise", "--x0", x0, "--t", "5", "--noise", Self.forwardFixture("step_noise.npy"), "--output", out],
                           mentions: ["step_noise.npy", "shape", "--noise"])
        try expectBadInput(["noise", "--x0", Self.forwardFixture("mse.npy"), "--t", "5", "--noise", eps, "--output", out],
                           mentions: ["mse.npy", "shape", "(N, C, H, W)"])
        try expectBadInput(["noise", "--x0", "/no/x0.npy", "--t", "5", "--noise", eps, "--output", out], mentions: ["/no/x0.npy"])
        try expectBadInput(["noise", "--x0", x0, "--t", "5", "--noise", eps, "--output", "/no/dir/out.npy"], mentions: ["/no/dir/out.npy"])
        try expectBadInput(["loss", "--model", Self.tiny, "--x0", x0, "--t", "5", "--class", "4", "--noise", eps, "--output", out],
                           mentions: ["class", "4", "0…2"])
        try expectBadInput(["loss", "--model", Self.tiny, "--x0", x0, "--t", "5", "--class", "0,1", "--noise", eps, "--output", out],
                           mentions: ["--class", "expected 1 or 6 values"])
        let small = tmp("small.npy")
        try NPY.write(Tensor([1, 1, 4, 4]), to: small)
        try expectBadInput(["loss", "--model", Self.tiny, "--x0", small, "--t", "5", "--class", "0", "--noise", small, "--output", out],
                           mentions: ["small.npy", "shape", "(N, 1, 8, 8)"])
        let x2 = Self.fixture("noise.npy")
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0,2", "--steps", "10", "--init", x2, "--output", out],
                           mentions: ["--init-step"])
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0,2", "--steps", "10", "--init", x2, "--init-step", "10", "--output", out],
                           mentions: ["--init-step", "0…9"])
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0,1,2", "--steps", "10", "--init", x2, "--init-step", "1", "--output", out],
                           mentions: [x2, "shape", "--init", "expected [3, 1, 8, 8]"])
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0", "--steps", "10", "--init", Self.forwardFixture("mse.npy"), "--init-step", "1", "--output", out],
                           mentions: ["mse.npy", "shape", "--init"])
        // SDEdit starts at a respaced step: the library's SettingError names the sampler flag.
        try expectBadInput(["sample", "--model", Self.tiny, "--class", "0,2", "--steps", "10", "--init", x2, "--init-step", "1",
                            "--sampler", "euler", "--output", out],
                           mentions: ["--sampler", "euler", "ddim or ddpm"])
    }

    /// Finite inputs whose x_t overflows float32: exit 1, a message, and no file.
    func testNonFiniteOutputIsNeverWritten() throws {
        let big = tmp("big.npy"), out = tmp("inf.npy")
        try NPY.write(Tensor([1, 1, 2, 2], Array(repeating: 3e38, count: 4)), to: big)
        try? FileManager.default.removeItem(atPath: out)
        let r = try dit(["noise", "--x0", big, "--t", "500", "--noise", big, "--output", out])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("not finite"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
