import Foundation
import XCTest
@testable import DiT

/// The Swift judge against the PyTorch classifier and scipy (Fixtures/classifier, made by
/// training/export_classifier.py), and the chunked evaluation sampler against one batch.
final class JudgeTests: XCTestCase {
    static let judgeDir = ShippedModelTests.repo + "/assets/models/fashion-classifier"
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/classifier").path
    static func npy(_ name: String) throws -> Tensor { try NPY.read(fixtures + "/" + name) }

    struct FIDFixture: Decodable { var fid: Double; var fid_floor: Double }
    static func fidFixture() throws -> FIDFixture {
        try JSONDecoder().decode(FIDFixture.self, from: Data(contentsOf: URL(fileURLWithPath: fixtures + "/fid.json")))
    }

    func testClassifierMatchesPyTorch() throws {
        let judge = try Judge(directory: Self.judgeDir)
        let (logits, features) = try judge.classifier.forward(Self.npy("x.npy"))
        assertClose(logits, try Self.npy("logits.npy"), relTol: 1e-4, "logits vs PyTorch")
        assertClose(features, try Self.npy("features.npy"), relTol: 1e-4, "penultimate features vs PyTorch")
        let labels = try Self.npy("labels.npy")
        let (p, _) = try judge.judge(Self.npy("x.npy"))
        var correct = 0
        for i in 0..<labels.count {
            let row = (0..<10).map { p[i * 10 + $0] }
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-5)
            if row.firstIndex(of: row.max()!) == Int(labels[i]) { correct += 1 }
        }
        XCTAssertGreaterThanOrEqual(correct, 12, "the judge should recognise most real test images")
    }

    func testFrechetDistanceMatchesScipySqrtm() throws {
        let a = try FeatureGaussian(features: Self.npy("fid_a.npy")), b = try FeatureGaussian(features: Self.npy("fid_b.npy"))
        let ref = try Self.fidFixture()
        let d = try FrechetDistance.distance(a, b)
        XCTAssertEqual(d, ref.fid, accuracy: 1e-3 * abs(ref.fid), "FID vs scipy.linalg.sqrtm")
        XCTAssertEqual(try FrechetDistance.distance(b, a), d, accuracy: 1e-6 * abs(d), "symmetric")
        let trace = (0..<a.dim).reduce(0) { $0 + a.sigma[$1 * a.dim + $1] }
        XCTAssertEqual(try FrechetDistance.distance(a, a), 0, accuracy: 1e-6 * trace, "a Gaussian is at distance 0 from itself")
    }

    func testShippedFloorMatchesScipy() throws {
        let judge = try Judge(directory: Self.judgeDir)
        let ref = try Self.fidFixture()
        XCTAssertEqual(try judge.fidFloor(), ref.fid_floor, accuracy: 1e-3 * ref.fid_floor)
        XCTAssertGreaterThan(judge.config.testAccuracy, 0.9)
    }

    func testNoiseWindowEqualsTheWholeBatch() {
        let whole = NoiseSource(seed: 7).initial(shape: [5, 1, 3, 3])   // 45 values: odd windows too
        let step = Tensor([5, 1, 3, 3]); NoiseSource(seed: 7).stepNoise(3, into: step)
        for start in [0, 1, 2, 3] {
            let window = NoiseSource(seed: 7, offset: start * 9).initial(shape: [5 - start, 1, 3, 3])
            XCTAssertEqual(window.array, Array(whole.array[(start * 9)...]), "x_T window at sample \(start)")
            let s = Tensor([5 - start, 1, 3, 3]); NoiseSource(seed: 7, offset: start * 9).stepNoise(3, into: s)
            XCTAssertEqual(s.array, Array(step.array[(start * 9)...]), "step noise window at sample \(start)")
        }
    }

    func testChunkedEvaluationSamplingEqualsOneBatch() throws {
        let model = try Fixture.model()
        let labels = EvaluationSampling.labels(samples: 6, classes: 3)
        XCTAssertEqual(labels, [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(EvaluationSampling.chunkSize(model: model, guided: true) * 2,
                       EvaluationSampling.chunkSize(model: model, guided: false))
        let settings = SamplerSettings(kind: .ddpm, steps: 4, cfgScale: 2, labels: labels, seed: 3)
        let one = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: 3)).run()
        let chunked = try EvaluationSampling.sample(model: model, settings: settings, labels: labels, chunk: 4)
        assertClose(chunked, one, relTol: 1e-6, "chunked DDPM samples vs one batch")
    }
}
