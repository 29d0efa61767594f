// Ablations in the library: spec parsing and checks, the forward against the reference code's own
// ablations (Fixtures/ablation, made by training/make_ablation_fixtures.py), identities that must
// hold bit for bit, probes of an ablated branch, and the sweep against separately run trajectories.
import Foundation
import XCTest
@testable import DiT

final class AblationTests: XCTestCase {
    static let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/ablation").path
    struct Case: Decodable { var model, x, forward: String; var t, labels: [Int]; var ablate: [String] }
    struct Manifest: Decodable { var cases: [Case] }
    static func cases() throws -> [Case] {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/MANIFEST.json"))).cases
    }
    static func model(_ name: String) throws -> DiTModel { try DiTModel(directory: dir + "/" + name) }

    func testSpecsParseAndCheckAgainstTheConfig() throws {
        for spec in ["block.0", "block.11.attn", "block.2.mlp", "block.3.cross", "head.4.5"] {
            XCTAssertEqual(try Ablation(spec: spec).description, spec)
        }
        for bad in ["", "block", "block.", "block.x", "block.-1", "block.1.ffn", "head.1", "head.1.2.3", "heads.1.2", "block.1.attn.0", "block.١"] {
            XCTAssertThrowsError(try Ablation(spec: bad), bad) { XCTAssertEqual(($0 as? DiTError)?.field, bad) }
        }
        let c = DiTConfig(depth: 3, numHeads: 4)
        XCTAssertNoThrow(try AblationSet(specs: ["block.2", "head.2.3", "block.0.mlp"]).validate(c))
        for (bad, expected) in [("block.3", "0…2"), ("head.0.4", "0…3"), ("block.1.cross", "adaLN-Zero")] {
            XCTAssertThrowsError(try AblationSet(specs: [bad]).validate(c), bad) { e in
                XCTAssertTrue("\(e)".contains(expected) && "\(e)".contains(bad), "\(e)")
            }
        }
        let set = try AblationSet(specs: ["head.1.0", "block.0", "head.1.0", "block.0.attn"])
        XCTAssertEqual(set.description, "block.0+block.0.attn+head.1.0", "sorted, without repeats")
        XCTAssertEqual(set.block(1)?.heads, [0])
        XCTAssertNil(set.block(2))
        XCTAssertEqual(AblationSet.none.description, "none")
        // the sampler checks them against its model
        XCTAssertThrowsError(try Sampler(model: try Self.model("official-d3h4p2"), settings: SamplerSettings(steps: 2, ablations: set.inserting(.block(3))),
                                         noise: NoiseSource(seed: 0)))
    }

    func testForwardMatchesReferenceAblations() throws {
        var worst: Float = 0
        for c in try Self.cases() {
            let m = try Self.model(c.model), x = try NPY.read(Self.dir + "/" + c.x), ref = try NPY.read(Self.dir + "/" + c.forward)
            let out = try m.forward(x: x, t: c.t.map(Float.init), y: c.labels, ablations: try AblationSet(specs: c.ablate))
            assertClose(out, ref, relTol: 1e-4, "\(c.model) \(c.ablate)")
            for i in 0..<out.count { worst = max(worst, abs(out[i] - ref[i])) }
            // one sample at a time (no shared batch) gives the same
            let one = Tensor([1] + x.shape.dropFirst()), per = x.count / x.shape[0]
            one.data.update(from: x.data + per, count: per)
            let single = try m.forward(x: one, t: [Float(c.t[1])], y: [c.labels[1]], ablations: try AblationSet(specs: c.ablate))
            let outPer = out.count / x.shape[0]
            XCTAssertEqual(single.array, Array(out.array[outPer..<2 * outPer]), "\(c.model) \(c.ablate): sample 1 alone")
        }
        print("ablation parity (library forward): max |Δ| \(worst)")
    }

    /// block.K is both branches; an empty set is the plain forward; all bit for bit.
    func testIdentitiesHoldBitForBit() throws {
        for name in ["official-d3h4p2", "../conditioning/in-context", "../conditioning/cross-attention"] {
            let m = try Self.model(name), x = try NPY.read(Self.dir + "/" + name + "/x.npy")
            let t: [Float] = [640, 90], y = [1, 0]
            let plain = try m.forward(x: x, t: t, y: y).array
            XCTAssertEqual(try m.forward(x: x, t: t, y: y, ablations: .none).array, plain, name)
            let block = try m.forward(x: x, t: t, y: y, ablations: AblationSet([.block(1)])).array
            let branches: [Ablation] = [.branch(1, .attn), .branch(1, .mlp)] + (m.config.conditioning == .crossAttention ? [.branch(1, .cross)] : [])
            XCTAssertEqual(try m.forward(x: x, t: t, y: y, ablations: AblationSet(branches)).array, block, name)
            XCTAssertNotEqual(block, plain, name)
            // heads zeroed inside an ablated attention branch change nothing more
            XCTAssertEqual(try m.forward(x: x, t: t, y: y, ablations: AblationSet(branches + [.head(block: 1, head: 0)])).array, block, name)
        }
    }

    /// A probe on an ablated branch still records the attention the branch would have used.
    func testProbedAttentionOfAnAblatedBranch() throws {
        let c = try XCTUnwrap(try Self.cases().first { $0.ablate == ["block.0.attn"] })
        let m = try Self.model(c.model), x = try NPY.read(Self.dir + "/" + c.x), t = c.t.map(Float.init)
        m.probeRequest = ProbeRequest(attentionBlocks: [0])
        _ = try m.forward(x: x, t: t, y: c.labels)
        let expected = try XCTUnwrap(m.probes(batch: 2)?.attention[0]).copy()
        m.probes(batch: 2)?.attention[0]?.data.update(repeating: .nan, count: expected.count)
        let out = try m.forward(x: x, t: t, y: c.labels, ablations: AblationSet([.branch(0, .attn)]))
        assertClose(out, try NPY.read(Self.dir + "/" + c.forward), relTol: 1e-4, "probed and ablated")
        XCTAssertEqual(try XCTUnwrap(m.probes(batch: 2)?.attention[0]).array, expected.array)
    }

    func testStartStepsAreEvenlySpaced() {
        XCTAssertEqual(AblationSweep.startSteps(steps: 25, count: 5), [0, 6, 12, 18, 24])
        XCTAssertEqual(AblationSweep.startSteps(steps: 3, count: 5), [0, 1, 2])
        XCTAssertEqual(AblationSweep.startSteps(steps: 1, count: 4), [0])
        XCTAssertEqual(AblationSweep.startSteps(steps: 10, count: 1), [0])
        XCTAssertEqual(AblationSweep.targets(DiTConfig(depth: 2, numHeads: 2), heads: true).map(\.description),
                       ["block.0", "block.1", "head.0.0", "head.0.1", "head.1.0", "head.1.1"])
    }

    /// Every cell equals a trajectory run on its own: baseline to step k, then ablated to the end.
    func testSweepCellsMatchSeparateTrajectories() throws {
        let m = try Self.model("official-d2h3p3")
        let settings = SamplerSettings(kind: .ddpm, steps: 5, cfgScale: 2.5, labels: [2], seed: 11)
        let targets: [Ablation] = [.block(0), .head(block: 1, head: 2)], starts = [0, 2, 4]
        let sweep = try AblationSweep.run(model: m, settings: settings, targets: targets, startSteps: starts)
        let base = try Sampler(model: m, settings: settings, noise: NoiseSource(seed: 11)).run().copy()
        XCTAssertEqual(sweep.baseline.array, base.array)
        for (i, target) in targets.enumerated() {
            for (j, k) in starts.enumerated() {
                let s = try Sampler(model: m, settings: settings, noise: NoiseSource(seed: 11))
                for _ in 0..<k { try s.step() }
                var ablated = settings
                ablated.ablations.insert(target)
                try s.branch(at: k, settings: ablated)
                let x0 = try s.run()
                XCTAssertEqual(sweep.rows[i].deltaNorm[j], AblationSweep.distance(x0, base), accuracy: 1e-9, "\(target) from \(k)")
                XCTAssertGreaterThan(sweep.rows[i].deltaNorm[j], 0)
            }
            XCTAssertNil(sweep.rows[i].probability[0], "no judge")
        }
        XCTAssertTrue(sweep.allFinite)
        XCTAssertThrowsError(try AblationSweep.run(model: m, settings: settings, targets: [.block(2)], startSteps: [0]))
        XCTAssertThrowsError(try AblationSweep.run(model: m, settings: settings, targets: targets, startSteps: [5]))
    }
}
