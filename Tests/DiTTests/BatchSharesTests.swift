import XCTest
@testable import DiT

/// A batch runs as one forward per core-sized share of it (DiTModel.forward, RunState's shares):
/// every sample's output and probes must be the bits of that sample run alone.
final class BatchSharesTests: XCTestCase {
    func testShareCountRule() {
        XCTAssertEqual(DiTModel.shareCount(batch: 1, cores: 2), 1)
        XCTAssertEqual(DiTModel.shareCount(batch: 2, cores: 2), 2)
        XCTAssertEqual(DiTModel.shareCount(batch: 3, cores: 2), 1)   // 2 + 1 would idle a core a third of the time
        XCTAssertEqual(DiTModel.shareCount(batch: 7, cores: 2), 2)
        XCTAssertEqual(DiTModel.shareCount(batch: 4, cores: 1), 1)
        XCTAssertEqual(DiTModel.shareCount(batch: 6, cores: 4), 1)
        XCTAssertEqual(DiTModel.shareCount(batch: 12, cores: 4), 4)
    }

    func testSharedBatchGivesEachSampleItsOwnBits() throws {
        try XCTSkipIf(Parallel.cores < 2, "one core: no batch is split")
        if Parallel.cores == 2 { XCTAssertEqual(DiTModel.shareCount(batch: 7, cores: 2), 2) }  // CI's machine: the split is what runs
        var models = [try Fixture.model()]
        for design in Conditioning.allCases { models.append(try DiTModel(directory: ConditioningParityTests.dir(design))) }
        for model in models {
            let c = model.config, name = "\(c.conditioning)"
            model.probeRequest = .all(depth: c.depth)
            let n = 7  // shares of 3 and 4 on two cores
            let per = c.inChannels * c.inputSize * c.inputSize
            let x = Tensor([n, c.inChannels, c.inputSize, c.inputSize])
            var g = Xoshiro256StarStar(seed: 7)
            g.fillNormal(x.data, count: x.count)
            let t: [Float] = [999, 500, 3, 250, 0, 750, 1], y = (0..<n).map { $0 % c.numClasses }
            let whole = try model.forward(x: x, t: t, y: y).copy()
            let probes = try XCTUnwrap(model.probes(batch: n))
            for i in 0..<n {
                let one = Tensor([1, c.inChannels, c.inputSize, c.inputSize])
                one.data.update(from: x.data + i * per, count: per)
                let out = try model.forward(x: one, t: [t[i]], y: [y[i]])
                XCTAssertEqual(Array(UnsafeBufferPointer(start: whole.data + i * out.count, count: out.count)), out.array, "\(name): sample \(i)")
                let alone = try XCTUnwrap(model.probes(batch: 1))
                for (b, a) in alone.attention {
                    let all = try XCTUnwrap(probes.attention[b])
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: all.data + i * a.count, count: a.count)), a.array, "\(name): attention \(b), sample \(i)")
                }
                for (b, a) in alone.tokenNorms.enumerated() {
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: probes.tokenNorms[b].data + i * a.count, count: a.count)), a.array, "\(name): norms \(b)")
                }
                for (b, a) in alone.modulation.enumerated() {
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: probes.modulation[b].data + i * a.count, count: a.count)), a.array, "\(name): modulation \(b)")
                }
                for (b, a) in alone.crossAttention {
                    let all = try XCTUnwrap(probes.crossAttention[b])
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: all.data + i * a.count, count: a.count)), a.array, "\(name): cross-attention \(b)")
                }
            }
        }
    }
}
