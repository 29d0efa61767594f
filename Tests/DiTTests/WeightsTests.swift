import Foundation
import XCTest
@testable import DiT

/// The safetensors reader: dtypes, shards, and every validation with a message naming the field.
final class WeightsTests: XCTestCase {
    func testF16AndBF16LoadCloseToF32() throws {
        let store = try SafeTensorsStore.open(Fixture.dir)
        let ref = try Fixture.model()
        let x = try Fixture.npy("x.npy")
        let out32 = try ref.forward(x: x, t: Fixture.timesteps, y: Fixture.labels).copy()
        for (dtype, tol) in [(DType.f16, Float(2e-3)), (DType.bf16, Float(2e-2))] {
            let dir = temporaryDirectory("\(dtype)")
            try FileManager.default.copyItem(atPath: Fixture.path("config.json"), toPath: "\(dir)/config.json")
            try SafeTensorsBuilder.convert(store, to: dtype).data().write(to: URL(fileURLWithPath: "\(dir)/model.safetensors"))
            let model = try DiTModel(directory: dir)
            XCTAssertEqual(model.dtypes, [dtype.rawValue])
            // Widening is exact: every loaded weight equals the F32 weight rounded to the dtype,
            // and the Linear weights stay in that dtype (their packed panels; the F32 ones in F32).
            let w32 = ref.weights.blocks[0].qkvW.panels!, w = model.weights.blocks[0].qkvW.panels!
            XCTAssertEqual(w32.storage, .f32)
            XCTAssertEqual(w.storage.bytes, 2, "16-bit panels (BF16 values F16 also holds exactly may be kept as F16)")
            XCTAssertFalse(model.weights.blocks[0].qkvW.holdsValues, "the F32 copy is let go")
            for r in 0..<w.out { for q in 0..<w.inputs {
                let v = w.value(row: r, col: q), v32 = w32.value(row: r, col: q)
                XCTAssertEqual(v, dtype == .f16 ? Float(Float16(v32)) : v)
                XCTAssertEqual(v, v32, accuracy: abs(v32) * (dtype == .f16 ? 1e-3 : 8e-3) + 1e-7)
            } }
            let out = try model.forward(x: x, t: Fixture.timesteps, y: Fixture.labels)
            assertClose(out, out32, relTol: tol, "\(dtype) forward vs F32")
            var differs = false
            for i in 0..<out.count where out[i] != out32[i] { differs = true }
            XCTAssertTrue(differs, "\(dtype) weights should not be bit-identical to F32")
        }
    }

    func testShardedIndexLoadsSameModel() throws {
        let model = try DiTModel(directory: try shardedTiny())
        XCTAssertEqual(model.shards.count, 2)
        let out = try model.forward(x: Fixture.npy("x.npy"), t: Fixture.timesteps, y: Fixture.labels)
        assertClose(out, try Fixture.npy("forward.npy"), relTol: 1e-4, "sharded forward")
    }

    func testMissingPosEmbedIsComputed() throws {
        let store = try SafeTensorsStore.open(Fixture.dir)
        var b = SafeTensorsBuilder()
        for n in store.tensors.keys.sorted() where n != "pos_embed" { b.add(n, store.floats(n), shape: store.tensors[n]!.shape) }
        let dir = temporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixture.path("config.json"), toPath: "\(dir)/config.json")
        try b.data().write(to: URL(fileURLWithPath: "\(dir)/model.safetensors"))
        let model = try DiTModel(directory: dir)
        XCTAssertFalse(model.weights.posEmbedStored)
        let out = try model.forward(x: Fixture.npy("x.npy"), t: Fixture.timesteps, y: Fixture.labels)
        assertClose(out, try Fixture.npy("forward.npy"), relTol: 1e-4, "forward with computed pos_embed")
    }

    // MARK: validation — each case must name the file and the field

    func expectError(_ data: Data, field: String, contains: String, file: StaticString = #filePath, line: UInt = #line) {
        let dir = copyOfTinyModel()
        let path = "\(dir)/model.safetensors"
        try! data.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try DiTModel(directory: dir), file: file, line: line) { error in
            guard let e = error as? DiTError else { return XCTFail("not a DiTError: \(error)", file: file, line: line) }
            XCTAssertTrue(e.file.hasSuffix("model.safetensors") || e.file == dir, "file: \(e.file)", file: file, line: line)
            XCTAssertEqual(e.field, field, "\(e)", file: file, line: line)
            XCTAssertTrue(e.problem.contains(contains), "\(e)", file: file, line: line)
        }
    }

    func tinyBuilder() throws -> SafeTensorsBuilder {
        SafeTensorsBuilder.convert(try SafeTensorsStore.open(Fixture.dir), to: .f32)
    }

    func testHeaderLengthBeyondFile() throws {
        expectError(try tinyBuilder().data(declaredLength: 1 << 40), field: "header length", contains: "does not fit")
        expectError(Data([1, 2, 3]), field: "header length", contains: "at least 8 bytes")
    }

    func testMalformedHeaderJSON() throws {
        expectError(try tinyBuilder().data(headerText: "{\"pos_embed\": [1, 2"), field: "header", contains: "JSON")
    }

    func testUnknownDType() throws {
        let b = try tinyBuilder()
        var h = b.header()
        var e = h["pos_embed"] as! [String: Any]; e["dtype"] = "I8"; h["pos_embed"] = e
        expectError(b.data(header: h), field: "pos_embed.dtype", contains: "unsupported dtype I8")
    }

    func testOffsetsOutsideFile() throws {
        let b = try tinyBuilder()
        var h = b.header()
        var e = h["pos_embed"] as! [String: Any]
        let offs = e["data_offsets"] as! [Int]
        e["data_offsets"] = [offs[0], offs[1] + 10_000_000]; h["pos_embed"] = e
        expectError(b.data(header: h), field: "pos_embed.data_offsets", contains: "beyond the data buffer")
    }

    func testOffsetsInconsistentWithShape() throws {
        let b = try tinyBuilder()
        var h = b.header()
        var e = h["pos_embed"] as! [String: Any]; e["shape"] = [1, 16, 65]; h["pos_embed"] = e
        expectError(b.data(header: h), field: "pos_embed.data_offsets", contains: "do not hold shape [1, 16, 65]")
    }

    func testMissingKey() throws {
        let store = try SafeTensorsStore.open(Fixture.dir)
        var b = SafeTensorsBuilder()
        for n in store.tensors.keys.sorted() where n != "blocks.1.mlp.fc2.bias" { b.add(n, store.floats(n), shape: store.tensors[n]!.shape) }
        expectError(b.data(), field: "blocks.1.mlp.fc2.bias", contains: "missing; expected a tensor of shape [64]")
    }

    func testWrongShape() throws {
        let store = try SafeTensorsStore.open(Fixture.dir)
        var b = SafeTensorsBuilder()
        for n in store.tensors.keys.sorted() {
            let s = store.tensors[n]!.shape
            if n == "final_layer.linear.weight" { b.add(n, store.floats(n), shape: [s[1], s[0]]) } else { b.add(n, store.floats(n), shape: s) }
        }
        expectError(b.data(), field: "final_layer.linear.weight", contains: "expected shape [8, 64], found [64, 8]")
    }

    func testNonFiniteWeight() throws {
        let store = try SafeTensorsStore.open(Fixture.dir)
        var b = SafeTensorsBuilder()
        for n in store.tensors.keys.sorted() {
            var v = store.floats(n)
            if n == "t_embedder.mlp.0.bias" { v[3] = .nan }
            b.add(n, v, shape: store.tensors[n]!.shape)
        }
        expectError(b.data(), field: "t_embedder.mlp.0.bias", contains: "expected finite values")
    }

    func testUnknownKeysAreReported() throws {
        var b = try tinyBuilder()
        b.add("extra.head.weight", [1, 2], shape: [2])
        let dir = copyOfTinyModel()
        try b.data().write(to: URL(fileURLWithPath: "\(dir)/model.safetensors"))
        XCTAssertEqual(try DiTModel(directory: dir).weights.unusedKeys, ["extra.head.weight"])
    }

    func testShardMissingFromIndex() throws {
        let dir = temporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixture.path("config.json"), toPath: "\(dir)/config.json")
        let index = try JSONSerialization.data(withJSONObject: ["weight_map": ["pos_embed": "model-00001-of-00002.safetensors"]])
        try index.write(to: URL(fileURLWithPath: "\(dir)/model.safetensors.index.json"))
        XCTAssertThrowsError(try DiTModel(directory: dir)) { e in
            XCTAssertTrue("\(e)".contains("shard model-00001-of-00002.safetensors is missing"), "\(e)")
        }
    }

    // MARK: config.json

    func expectConfigError(_ json: String, field: String, file: StaticString = #filePath, line: UInt = #line) {
        let dir = copyOfTinyModel()
        try! json.write(toFile: "\(dir)/config.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try DiTModel(directory: dir), file: file, line: line) { error in
            let e = error as? DiTError
            XCTAssertEqual(e?.field, field, "\(error)", file: file, line: line)
            XCTAssertTrue(e?.file.hasSuffix("config.json") ?? false, "\(error)", file: file, line: line)
        }
    }

    func testConfigErrors() {
        expectConfigError("{\"input_size\": 8, ", field: "")
        expectConfigError("{\"input_size\": 8, \"patch_size\": \"2\"}", field: "patch_size")
        expectConfigError("{\"input_size\": 8, \"patch_size\": 3, \"in_channels\": 1, \"hidden_size\": 64, \"depth\": 2, \"num_heads\": 4, \"num_classes\": 3, \"mlp_ratio\": 4, \"learn_sigma\": true}", field: "patch_size")
        expectConfigError("{\"input_size\": 8, \"patch_size\": 2, \"in_channels\": 1, \"hidden_size\": 64, \"depth\": 2, \"num_heads\": 5, \"num_classes\": 3, \"mlp_ratio\": 4, \"learn_sigma\": true}", field: "num_heads")
        expectConfigError("{\"input_size\": 8, \"patch_size\": 2, \"in_channels\": 1, \"hidden_size\": 64, \"depth\": 2, \"num_heads\": 4, \"num_classes\": 3, \"mlp_ratio\": 4, \"learn_sigma\": true, \"class_names\": [\"a\"]}", field: "class_names")
    }

    func testMissingModelDirectory() {
        XCTAssertThrowsError(try DiTModel(directory: "/nonexistent/model")) { e in
            XCTAssertTrue("\(e)".hasPrefix("/nonexistent/model: expected a model directory"), "\(e)")
        }
    }
}
