import XCTest
@testable import DiT

/// DiT.forward against the official models.py on the tiny fixture.
final class ForwardParityTests: XCTestCase {
    func testForwardMatchesReference() throws {
        let model = try Fixture.model()
        let out = try model.forward(x: Fixture.npy("x.npy"), t: Fixture.timesteps, y: Fixture.labels)
        assertClose(out, try Fixture.npy("forward.npy"), relTol: 1e-4, "forward")
    }

    func testForwardNullClassMatchesReference() throws {
        let model = try Fixture.model()
        let null = model.config.numClasses
        let out = try model.forward(x: Fixture.npy("x.npy"), t: Fixture.timesteps, y: [null, null])
        assertClose(out, try Fixture.npy("forward_null.npy"), relTol: 1e-4, "forward_null")
    }

    func testAttentionProbabilitiesMatchReference() throws {
        let model = try Fixture.model()
        let last = model.config.depth - 1
        model.probeRequest = ProbeRequest(attentionBlocks: [0, last])
        _ = try model.forward(x: Fixture.npy("x.npy"), t: Fixture.timesteps, y: Fixture.labels)
        let probes = try XCTUnwrap(model.probes(batch: 2))
        assertClose(try XCTUnwrap(probes.attention[0]), try Fixture.npy("attention_first.npy"), relTol: 1e-4, "attention block 0")
        assertClose(try XCTUnwrap(probes.attention[last]), try Fixture.npy("attention_last.npy"), relTol: 1e-4, "attention last block")
    }

    func testProbesDoNotChangeTheOutput() throws {
        let model = try Fixture.model()
        let x = try Fixture.npy("x.npy")
        let plain = try model.forward(x: x, t: Fixture.timesteps, y: Fixture.labels).copy()
        model.probeRequest = .all(depth: model.config.depth)
        let probed = try model.forward(x: x, t: Fixture.timesteps, y: Fixture.labels)
        XCTAssertEqual(plain.array, probed.array)
        let p = try XCTUnwrap(model.probes(batch: 2))
        XCTAssertEqual(p.modulation.count, model.config.depth)
        XCTAssertEqual(p.modulation[0].shape, [2, 6 * model.config.hiddenSize])
        XCTAssertEqual(p.tokenNorms[1].shape, [2, model.config.tokenCount])
        XCTAssertGreaterThan(p.tokenNorms[1].maxAbs, 0)
        // Softmax rows sum to one.
        let a = try XCTUnwrap(p.attention[0]), T = model.config.tokenCount
        var sum: Float = 0
        for j in 0..<T { sum += a[j] }
        XCTAssertEqual(sum, 1, accuracy: 1e-5)
    }

    /// Batch 2 (32 rows) and batch 4 (64 rows) end in other row tiles of the GEMM kernel: same numbers.
    func testLargerBatchThroughOpenBLASMatches() throws {
        let model = try Fixture.model()
        let x = try Fixture.npy("x.npy")
        let x4 = Tensor([4] + x.shape.dropFirst())
        x4.data.update(from: x.data, count: x.count)
        (x4.data + x.count).update(from: x.data, count: x.count)
        let out4 = try model.forward(x: x4, t: Fixture.timesteps + Fixture.timesteps, y: Fixture.labels + Fixture.labels)
        let ref = try Fixture.npy("forward.npy")
        let second = Tensor(ref.shape)
        second.data.update(from: out4.data + ref.count, count: ref.count)
        assertClose(second, ref, relTol: 1e-4, "batch 4 forward")
    }

    func testComputedPosEmbedMatchesStoredBuffer() throws {
        let model = try Fixture.model()
        XCTAssertTrue(model.weights.posEmbedStored)
        let c = model.config
        let computed = PosEmbed.sinCos2D(dim: c.hiddenSize, gridSize: c.gridSize)
        assertClose(computed, model.weights.posEmbed, relTol: 1e-6, "pos_embed")
    }
}
