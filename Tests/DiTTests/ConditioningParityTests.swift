import Foundation
import XCTest
@testable import DiT

/// The four block designs of Fig. 5 against training/dit_model.py (Fixtures/conditioning/<design>/,
/// made by training/make_conditioning_fixtures.py on random weights).
final class ConditioningParityTests: XCTestCase {
    struct Manifest: Decodable { var t: [Float]; var labels: [Int]; var steps: Int; var cfg: Float; var parameters_without_pos_embed: Int }

    static func dir(_ design: Conditioning) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/conditioning/\(design.rawValue)").path
    }
    func npy(_ design: Conditioning, _ name: String) throws -> Tensor { try NPY.read(Self.dir(design) + "/" + name) }
    func manifest(_ design: Conditioning) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: Self.dir(design) + "/MANIFEST.json")))
    }

    func testEveryDesignLoadsWithItsKeysAndCounts() throws {
        for design in Conditioning.allCases {
            let model = try DiTModel(directory: Self.dir(design))
            XCTAssertEqual(model.config.conditioning, design)
            XCTAssertEqual(model.weights.unusedKeys, [], "\(design): keys the engine does not read")
            let c = model.config
            XCTAssertEqual(model.weights.parameterCount, try manifest(design).parameters_without_pos_embed + c.tokenCount * c.hiddenSize, "\(design)")
            // The cost model counts the same layers, by the same definition (pos_embed included).
            XCTAssertEqual(Parameters(c).total, model.weights.parameterCount, "\(design): Parameters")
        }
    }

    func testForwardOfEveryDesignMatchesPyTorch() throws {
        for design in Conditioning.allCases {
            let model = try DiTModel(directory: Self.dir(design)), m = try manifest(design)
            let out = try model.forward(x: npy(design, "x.npy"), t: m.t, y: m.labels)
            assertClose(out, try npy(design, "forward.npy"), relTol: 1e-4, "\(design) forward")
        }
    }

    func testAttentionProbesMatchPyTorch() throws {
        for design in Conditioning.allCases {
            let model = try DiTModel(directory: Self.dir(design)), m = try manifest(design)
            let last = model.config.depth - 1
            model.probeRequest = .all(depth: model.config.depth)
            _ = try model.forward(x: npy(design, "x.npy"), t: m.t, y: m.labels)
            let p = try XCTUnwrap(model.probes(batch: 2))
            // In-context: (N, heads, T + 2, T + 2), tokens 0 and 1 are t and y.
            assertClose(try XCTUnwrap(p.attention[last]), try npy(design, "attention.npy"), relTol: 1e-4, "\(design) attention")
            let c = model.config
            switch design {
            case .crossAttention:
                let cross = try XCTUnwrap(p.crossAttention[last])
                assertClose(cross, try npy(design, "cross.npy"), relTol: 1e-4, "cross-attention weights")
                XCTAssertEqual(p.conditioningAttention(block: last, c), Array(cross.array.prefix(c.numHeads * c.tokenCount * 2)))
            case .inContext:
                let a = try npy(design, "attention.npy"), L = c.sequenceLength, T = c.tokenCount
                let onCondition = try XCTUnwrap(p.conditioningAttention(block: last, c))
                XCTAssertEqual(onCondition.count, c.numHeads * T * 2)
                // head 1, patch 3 of sample 0: its row is token 5 of the reference; columns 0 (t) and 1 (y).
                XCTAssertEqual(onCondition[(1 * T + 3) * 2 + 1], a[((0 * c.numHeads + 1) * L + 5) * L + 1], accuracy: 1e-5)
                let patches = try XCTUnwrap(p.patchAttention(block: last, c))
                XCTAssertEqual(patches[(1 * T + 3) * T + 4], a[((0 * c.numHeads + 1) * L + 5) * L + 6], accuracy: 1e-5)
            case .adaLN, .adaLNZero:
                XCTAssertNil(p.conditioningAttention(block: last, c))
                XCTAssertEqual(p.modulation[last].shape, [2, design.modulationVectors * c.hiddenSize])
            }
            if design.modulationVectors == 0 { XCTAssertTrue(p.modulation.isEmpty) }
            XCTAssertEqual(p.tokenNorms[last].shape, [2, c.tokenCount])
        }
    }

    func testShortDDIMRunOfEveryDesignMatchesPyTorch() throws {
        for design in Conditioning.allCases {
            let model = try DiTModel(directory: Self.dir(design)), m = try manifest(design)
            let settings = SamplerSettings(kind: .ddim, steps: m.steps, eta: 0, cfgScale: m.cfg, clip: true, labels: m.labels)
            let noise = NoiseSource(seed: 0, initial: try npy(design, "noise.npy"), steps: try npy(design, "step_noise.npy"))
            let out = try Sampler(model: model, settings: settings, noise: noise).run()
            assertClose(out, try npy(design, "ddim.npy"), relTol: 1e-3, "\(design) DDIM")
        }
    }

    func testUnknownConditioningIsRefusedWithItsField() throws {
        let json = #"{"input_size": 8, "patch_size": 2, "in_channels": 1, "hidden_size": 32, "depth": 1, "num_heads": 2, "mlp_ratio": 4.0, "num_classes": 3, "learn_sigma": true, "conditioning": "film"}"#
        XCTAssertThrowsError(try DiTConfig(json: Data(json.utf8), file: "c.json")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("conditioning") && text.contains("film") && text.contains("in-context"), text)
        }
        let number = json.replacingOccurrences(of: #""film""#, with: "3")
        XCTAssertThrowsError(try DiTConfig(json: Data(number.utf8), file: "c.json"))
        let absent = json.replacingOccurrences(of: #", "conditioning": "film""#, with: "")
        XCTAssertEqual(try DiTConfig(json: Data(absent.utf8)).conditioning, .adaLNZero)
    }

    /// Weights of one design refused under another's config, naming the first missing key.
    func testWeightsOfAnotherDesignAreRefused() throws {
        let store = try SafeTensorsStore.open(Self.dir(.crossAttention))
        var config = try DiTConfig.load(URL(fileURLWithPath: Self.dir(.crossAttention) + "/config.json"))
        config.conditioning = .adaLN
        XCTAssertThrowsError(try DiTWeights(config: config, store: store, file: "m")) { error in
            XCTAssertTrue("\(error)".contains("blocks.0.adaLN_modulation.1.weight"), "\(error)")
        }
    }

    func testRandomWeightsRunEveryDesign() throws {
        for design in Conditioning.allCases {
            let c = DiTConfig(inputSize: 16, patchSize: 4, inChannels: 1, hiddenSize: 64, depth: 2, numHeads: 4,
                              numClasses: 4, conditioning: design)
            let model = DiTModel(config: c, weights: try DiTWeights.random(config: c))
            let x = Tensor([3, 1, 16, 16]); for i in 0..<x.count { x[i] = Float(i % 7) / 7 - 0.5 }
            let out = try model.forward(x: x, t: [1, 500, 999], y: [0, 3, 4])
            XCTAssertEqual(out.shape, [3, 2, 16, 16])
            XCTAssertTrue(out.array.allSatisfy(\.isFinite), "\(design)")
        }
    }
}
