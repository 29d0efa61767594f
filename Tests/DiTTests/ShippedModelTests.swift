import Foundation
import XCTest
@testable import DiT

/// The shipped checkpoint, loaded by the Swift engine, against the forward pass the PyTorch
/// export computed with the same (F16, widened to F32) weights: reference/{x.npy, inputs.json, out.npy}.
final class ShippedModelTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    struct Inputs: Decodable { var t: [Int]; var y: [Int] }

    static func shippedModels() -> [String] {
        let root = repo + "/assets/models"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasPrefix("dit-") }.sorted().map { root + "/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0 + "/config.json") }
    }

    func checkReference(_ dir: String) throws {
        let model = try DiTModel(directory: dir)
        XCTAssertTrue(model.weights.unusedKeys.isEmpty, "\(dir): unknown keys \(model.weights.unusedKeys)")
        XCTAssertTrue(model.hasNullClass, "\(dir): trained with class dropout, so the null class exists")
        XCTAssertEqual(model.config.classNames?.count, model.config.numClasses)
        XCTAssertEqual(model.weights.parameterCount, FLOPs.parameters(model.config), "\(dir): the loaded count and the cost model's, one definition")
        for shard in model.shards {
            let size = try FileManager.default.attributesOfItem(atPath: dir + "/" + shard)[.size] as! Int
            XCTAssertLessThanOrEqual(size, 16 << 20, "\(shard) is over 16 MiB")
        }
        let ref = dir + "/reference/"
        let inputs = try JSONDecoder().decode(Inputs.self, from: Data(contentsOf: URL(fileURLWithPath: ref + "inputs.json")))
        let out = try model.forward(x: NPY.read(ref + "x.npy"), t: inputs.t.map(Float.init), y: inputs.y)
        assertClose(out, try NPY.read(ref + "out.npy"), relTol: 1e-4, "\(dir) forward vs PyTorch export")
    }

    func testShippedModelsMatchTheirPyTorchReference() throws {
        let models = ProcessInfo.processInfo.environment["DIT_CHECK_MODEL"].map { [$0] } ?? Self.shippedModels()
        try XCTSkipIf(models.isEmpty, "no shipped model under assets/models")
        for dir in models { try checkReference(dir) }
    }
}
