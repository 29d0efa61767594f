import Foundation
import XCTest
@testable import DiT

/// Respacing, p_mean_variance and the DDIM / DDPM loops against gaussian_diffusion.py.
final class DiffusionParityTests: XCTestCase {
    struct RespacingRef: Decodable { var use_timesteps: [Int]; var betas: [Double] }

    func testRespacingMatchesReference() throws {
        let ref = try JSONDecoder().decode(RespacingRef.self, from: Data(contentsOf: URL(fileURLWithPath: Fixture.path("respacing.json"))))
        let d = try GaussianDiffusion(steps: String(Fixture.steps), learnSigma: true)
        XCTAssertEqual(d.timestepMap, ref.use_timesteps)
        XCTAssertEqual(d.betas.count, ref.betas.count)
        for (a, b) in zip(d.betas, ref.betas) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    func testSpaceTimestepsForms() throws {
        // Values worked out from respace.py's definition.
        XCTAssertEqual(try Respacing.spaceTimesteps(1000, "ddim10"), Array(stride(from: 0, to: 1000, by: 100)))
        XCTAssertEqual(try Respacing.spaceTimesteps(1000, "ddim50").count, 50)
        XCTAssertEqual(try Respacing.spaceTimesteps(10, "4"), [0, 3, 6, 9])
        XCTAssertEqual(try Respacing.spaceTimesteps(1000, "1"), [0])
        // Python's round is half-to-even: stride 2.5 -> 0, 2 (2.5), 5, 8 (7.5), 10
        XCTAssertEqual(try Respacing.spaceTimesteps(11, "5"), [0, 2, 5, 8, 10])
        XCTAssertEqual(try Respacing.spaceTimesteps(300, "10,15,20").count, 45)
        XCTAssertEqual(try Respacing.spaceTimesteps(1000, "1000"), Array(0..<1000))
        XCTAssertThrowsError(try Respacing.spaceTimesteps(1000, "ddim999"))  // no integer stride gives 999
        XCTAssertThrowsError(try Respacing.spaceTimesteps(10, "20"))
        XCTAssertThrowsError(try Respacing.spaceTimesteps(10, "x"))
    }

    func testPMeanVarianceMatchesReference() throws {
        let model = try Fixture.model()
        let d = try GaussianDiffusion(steps: String(Fixture.steps), learnSigma: true)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixture.path("MANIFEST.json")))) as! [String: Any]
        let i = manifest["pmv_step_index"] as! Int
        XCTAssertEqual(d.timestepMap[i], manifest["pmv_timestep"] as! Int)
        let x = try Fixture.npy("pmv_x.npy")
        let out = try Denoiser(model: model).predict(x: x, timestep: d.timestepMap[i], labels: Fixture.labels, cfgScale: Fixture.cfg)
        let p = d.pMeanVariance(modelOutput: out, x: x, index: i, clip: true)
        assertClose(p.mean, try Fixture.npy("pmv_mean.npy"), relTol: 1e-3, "mean")
        assertClose(p.logVariance, try Fixture.npy("pmv_log_variance.npy"), relTol: 1e-3, "log variance")
        assertClose(p.predXstart, try Fixture.npy("pmv_pred_xstart.npy"), relTol: 1e-3, "pred_xstart")
    }

    private func sample(_ kind: SamplerKind, eta: Float = 0, clip: Bool) throws -> Tensor {
        let settings = SamplerSettings(kind: kind, steps: Fixture.steps, eta: eta, cfgScale: Fixture.cfg,
                                       clip: clip, labels: Fixture.labels)
        let noise = NoiseSource(seed: 0, initial: try Fixture.npy("noise.npy"), steps: try Fixture.npy("step_noise.npy"))
        return try Sampler(model: Fixture.model(), settings: settings, noise: noise).run()
    }

    func testDDIMClipMatchesReference() throws {
        assertClose(try sample(.ddim, clip: true), try Fixture.npy("ddim_clip.npy"), relTol: 1e-3, "ddim clip")
    }

    func testDDIMNoClipMatchesReference() throws {
        assertClose(try sample(.ddim, clip: false), try Fixture.npy("ddim_noclip.npy"), relTol: 1e-3, "ddim no clip")
    }

    func testDDIMEta1MatchesReference() throws {
        assertClose(try sample(.ddim, eta: 1, clip: true), try Fixture.npy("ddim_eta1_clip.npy"), relTol: 1e-3, "ddim eta 1")
    }

    func testDDPMMatchesReference() throws {
        assertClose(try sample(.ddpm, clip: true), try Fixture.npy("ddpm_clip.npy"), relTol: 1e-3, "ddpm")
    }
}
