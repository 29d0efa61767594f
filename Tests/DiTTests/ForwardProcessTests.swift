import Foundation
import XCTest
@testable import DiT

/// q_sample, the training loss and SDEdit starts against gaussian_diffusion.py (Fixtures/forward,
/// made by training/make_forward_fixtures.py on the official tiny model).
final class ForwardProcessTests: XCTestCase {
    static let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/forward").path
    static func npy(_ name: String) throws -> Tensor { try NPY.read(dir + "/" + name) }
    struct Manifest: Decodable {
        struct SDEdit: Decodable { var labels: [Int]; var steps: Int; var init_step: Int; var timestep: Int; var cfg: Float }
        var t: [Int]; var labels: [Int]; var sdedit: SDEdit
    }
    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/MANIFEST.json")))
    }

    func testSchedulesMatchNumPy() throws {
        for (process, name) in [(ForwardProcess.linear, "linear"), (ForwardProcess.cosine, "cosine")] {
            let ref = try Self.npy("alphas_cumprod_\(name).npy")
            XCTAssertEqual(process.alphasCumprod.count, ref.count)
            for t in 0..<ref.count {
                XCTAssertEqual(Float(process.alphasCumprod[t]), ref[t], accuracy: 1e-6 * max(ref[t], 1e-30), "\(name) ᾱ_\(t)")
            }
        }
        // Cosine keeps more signal in the middle and the linear schedule leaves almost none at t = 999.
        XCTAssertGreaterThan(ForwardProcess.cosine.snr(500), ForwardProcess.linear.snr(500))
        XCTAssertLessThan(ForwardProcess.linear.alphasCumprod[999], 1e-4)
        XCTAssertGreaterThan(ForwardProcess.linear.snr(0), ForwardProcess.linear.snr(1))
    }

    func testQSampleMatchesReference() throws {
        let m = try Self.manifest()
        let xt = try ForwardProcess.linear.qSample(x0: Self.npy("x0.npy"), t: m.t, noise: Self.npy("noise.npy"))
        assertClose(xt, try Self.npy("xt.npy"), relTol: 1e-6, "x_t")
    }

    func testQSampleRefusesMismatches() throws {
        let x0 = try Self.npy("x0.npy"), eps = try Self.npy("noise.npy")
        XCTAssertThrowsError(try ForwardProcess.linear.qSample(x0: x0, t: [1, 2], noise: eps)) { e in
            XCTAssertEqual((e as? DiTError)?.file, "timesteps")  // the library names no flag
        }
        XCTAssertThrowsError(try ForwardProcess.linear.qSample(x0: x0, t: [0, 1, 2, 3, 4, 1000], noise: eps)) { e in
            XCTAssertTrue("\(e)".contains("0…999"), "\(e)")
        }
        XCTAssertThrowsError(try ForwardProcess.linear.qSample(x0: x0, t: [0, 1, 2, 3, 4, 5], noise: Tensor([6, 1, 4, 4])))
    }

    func testTrainingLossMatchesReference() throws {
        let m = try Self.manifest()
        let loss = try TrainingLoss(model: Fixture.model(), x0: Self.npy("x0.npy"), t: m.t, labels: m.labels, noise: Self.npy("noise.npy"))
        let ref = try Self.npy("mse.npy")
        for (a, b) in zip(loss.mse, ref.array) { XCTAssertEqual(a, b, accuracy: 1e-4 * abs(b)) }
        assertClose(loss.output, try Self.npy("eps_cond.npy"), relTol: 1e-4, "model output at x_t")
        XCTAssertEqual(loss.predictedNoise(1), Array(loss.output.array[128..<192]), "ε̂ is the first C channels of row 1")
    }

    /// SDEdit: x_0 noised with the original ᾱ of the respaced step's timestep, then steps K… as usual.
    func testSDEditStartMatchesReference() throws {
        let m = try Self.manifest().sdedit
        let x0 = try Self.npy("x0.npy"), eps = try Self.npy("noise.npy")
        let x2 = Tensor([2, 1, 8, 8], Array(x0.array.prefix(128))), e2 = Tensor([2, 1, 8, 8], Array(eps.array.prefix(128)))
        for (kind, ref) in [(SamplerKind.ddim, "sdedit_ddim.npy"), (.ddpm, "sdedit_ddpm.npy")] {
            let settings = SamplerSettings(kind: kind, steps: m.steps, cfgScale: m.cfg, labels: m.labels)
            let s = try Sampler(model: Fixture.model(), settings: settings,
                                noise: NoiseSource(seed: 0, initial: e2, steps: try Self.npy("step_noise.npy")),
                                start: SamplerStart(x0: x2, step: m.init_step))
            XCTAssertEqual(s.startStep, m.init_step)
            assertClose(s.xT, try ForwardProcess.linear.qSample(x0: x2, t: [m.timestep, m.timestep], noise: e2), relTol: 0, "start")
            let first = try XCTUnwrap(try s.step())
            XCTAssertEqual(first.k, m.init_step)
            XCTAssertEqual(first.timestep, Float(m.timestep))
            assertClose(try s.run(), try Self.npy(ref), relTol: 1e-4, ref)
            XCTAssertEqual(s.history.count, m.steps - m.init_step)
        }
        let settings = SamplerSettings(steps: m.steps, labels: m.labels)
        XCTAssertThrowsError(try Sampler(model: Fixture.model(), settings: settings, noise: NoiseSource(seed: 0),
                                         start: SamplerStart(x0: x2, step: m.steps))) { e in
            XCTAssertEqual((e as? SettingError)?.setting, .startStep)  // the library names no flag
        }
        XCTAssertThrowsError(try Sampler(model: Fixture.model(), settings: settings, noise: NoiseSource(seed: 0),
                                         start: SamplerStart(x0: x0, step: 1))) { e in
            XCTAssertEqual((e as? SettingError)?.setting, .start)
        }
    }
}
