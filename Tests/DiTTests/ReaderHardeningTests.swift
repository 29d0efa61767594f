import Foundation
import XCTest
@testable import DiT

/// Crafted files (issue 16, defects 10, 12, 14): every size checked without overflow against
/// the real file, what the format says must hold, and each message names the file and field.
extension WeightsTests {
    /// The tiny model's header with `name`'s entry changed by `edit`.
    private func edited(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> Data {
        let b = try tinyBuilder()
        var h = b.header()
        var e = h[name] as! [String: Any]
        edit(&e)
        h[name] = e
        return b.data(header: h)
    }

    /// The tiny model's header as text, with `edit` applied to the JSON text.
    private func editedText(_ edit: (String) -> String) throws -> Data {
        let b = try tinyBuilder()
        let text = String(decoding: try JSONSerialization.data(withJSONObject: b.header(), options: [.sortedKeys]), as: UTF8.self)
        return b.data(headerText: edit(text))
    }

    func testShapesThatOverflowIntAreRefused() throws {
        expectError(try edited("pos_embed") { $0["shape"] = [4611686018427387904] }, field: "pos_embed.data_offsets", contains: "do not hold shape")
        expectError(try edited("pos_embed") { $0["shape"] = [1 << 32, 1 << 30] }, field: "pos_embed.data_offsets", contains: "do not hold shape")
        // An extra tensor the model does not use gets the same checks.
        var b = try tinyBuilder()
        b.add("extra", [1], shape: [1])
        var h = b.header()
        var e = h["extra"] as! [String: Any]; e["shape"] = [4611686018427387904]; h["extra"] = e
        expectError(b.data(header: h), field: "extra.data_offsets", contains: "more bytes than a file can hold")
    }

    func testNonIntegerShapesAndOffsetsAreRefused() throws {
        expectError(try editedText { $0.replacingOccurrences(of: "\"shape\":[1,16,64]", with: "\"shape\":[1.0,16,64]") },
                    field: "pos_embed.shape", contains: "non-negative integers")
        expectError(try editedText { $0.replacingOccurrences(of: "\"shape\":[1,16,64]", with: "\"shape\":[18446744073709551617,16,64]") },
                    field: "pos_embed.shape", contains: "non-negative integers")
        expectError(try edited("pos_embed") { $0["data_offsets"] = [0.5, 4096.5] }, field: "pos_embed.data_offsets", contains: "integers")
    }

    func testOverlappingAliasedAndUncoveredRangesAreRefused() throws {
        func file(_ header: String, bytes: Int) -> Data {
            var d = Data(withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init))
            d.append(Data(header.utf8))
            d.append(Data(count: bytes))
            return d
        }
        func refuse(_ header: String, bytes: Int, field: String, _ contains: String, line: UInt = #line) {
            XCTAssertThrowsError(try SafeTensorsFile(data: file(header, bytes: bytes), path: "m.safetensors"), line: line) { e in
                let e = e as? DiTError
                XCTAssertEqual(e?.file, "m.safetensors", line: line)
                XCTAssertEqual(e?.field, field, "\(String(describing: e))", line: line)
                XCTAssertTrue(e?.problem.contains(contains) ?? false, "\(String(describing: e))", line: line)
            }
        }
        let a = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"
        XCTAssertNoThrow(try SafeTensorsFile(data: file("{\(a)}", bytes: 4), path: "m.safetensors"))
        refuse("{\(a),\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", bytes: 4, field: "b.data_offsets", "overlap a's")
        refuse("{\(a),\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[2,6]}}", bytes: 6, field: "b.data_offsets", "overlap a's")
        refuse("{\(a),\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", bytes: 12, field: "b.data_offsets", "belong to no tensor")
        refuse("{\(a)}", bytes: 8, field: "data_offsets", "expected them to fill it")
        refuse("{\(a),\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", bytes: 4, field: "a", "duplicate key")
        refuse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", bytes: 4, field: "a.extra", "unknown field")
    }

    func testDuplicateKeysAndBadMetadataAreRefused() throws {
        expectError(try editedText { "{\"pos_embed\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}," + $0.dropFirst() },
                    field: "pos_embed", contains: "duplicate key")
        expectError(try editedText { "{\"__metadata__\":{\"format\":3}," + $0.dropFirst() }, field: "__metadata__.format", contains: "expected a string")
        expectError(try editedText { String(repeating: "[", count: 10_000) + $0 }, field: "header", contains: "nested deeper")
    }

    // MARK: the shard index

    private func expectIndexError(_ dir: String, field: String, contains: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try DiTModel(directory: dir), file: file, line: line) { error in
            guard let e = error as? DiTError else { return XCTFail("not a DiTError: \(error)", file: file, line: line) }
            XCTAssertTrue(e.file.hasSuffix("model.safetensors.index.json"), "\(e)", file: file, line: line)
            XCTAssertEqual(e.field, field, "\(e)", file: file, line: line)
            XCTAssertTrue(e.problem.contains(contains), "\(e)", file: file, line: line)
        }
    }

    func testShardIndexMustDescribeTheShards() throws {
        XCTAssertNoThrow(try DiTModel(directory: try shardedTiny()))
        func map(_ edit: @escaping (inout [String: String]) -> Void) -> (inout [String: Any]) -> Void {
            { index in var m = index["weight_map"] as! [String: String]; edit(&m); index["weight_map"] = m }
        }
        expectIndexError(try shardedTiny(map { $0["pos_embed"] = "model-00001-of-00002.safetensors" }),
                         field: "weight_map.pos_embed", contains: "names model-00001-of-00002.safetensors, but the tensor is in model-00002")
        expectIndexError(try shardedTiny(map { $0["pos_embed"] = nil }), field: "weight_map.pos_embed", contains: "missing")
        expectIndexError(try shardedTiny(map { m in for i in 0..<200 { m["ghost.\(i)"] = "model-00001-of-00002.safetensors" } }),
                         field: "weight_map.ghost.0", contains: "no shard holds this tensor")
        expectIndexError(try shardedTiny { $0["metadata"] = ["total_size": 12] }, field: "metadata.total_size", contains: "found 12")
        expectIndexError(try shardedTiny { $0["metadata"] = ["total_size": 12.5] }, field: "metadata.total_size", contains: "integer")
    }

    func testShardSymlinkOutOfTheModelDirectoryIsRefused() throws {
        let dir = try shardedTiny()
        let outside = temporaryDirectory("outside")
        let shard = "model-00001-of-00002.safetensors"
        try FileManager.default.moveItem(atPath: "\(dir)/\(shard)", toPath: "\(outside)/\(shard)")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/\(shard)", withDestinationPath: "\(outside)/\(shard)")
        expectIndexError(dir, field: "weight_map", contains: "outside the model directory")
    }

    // MARK: config.json

    /// The tiny config with `field` set to the JSON text `value` (nil: removed).
    func tinyConfig(_ field: String, _ value: String?) -> String {
        var fields = ["\"input_size\": 8", "\"patch_size\": 2", "\"in_channels\": 1", "\"hidden_size\": 64", "\"depth\": 2",
                      "\"num_heads\": 4", "\"mlp_ratio\": 4.0", "\"num_classes\": 3", "\"learn_sigma\": true"]
        fields.removeAll { $0.hasPrefix("\"\(field)\"") }
        if let value { fields.append("\"\(field)\": \(value)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    func testConfigSizesAreBoundedBeforeAnythingIsAllocated() {
        expectConfigError(tinyConfig("depth", "1000000000"), field: "depth")
        expectConfigError(tinyConfig("input_size", "4611686018427387904"), field: "input_size")
        expectConfigError(tinyConfig("mlp_ratio", "1e300"), field: "mlp_ratio")
        expectConfigError(tinyConfig("hidden_size", "4611686018427387904"), field: "hidden_size")
        expectConfigError(tinyConfig("num_classes", "9223372036854775807"), field: "num_classes")
    }

    func testConfigMustBeComplete_Integral_AndUnambiguous() {
        for field in ["input_size", "patch_size", "in_channels", "hidden_size", "depth", "num_heads", "mlp_ratio", "num_classes", "learn_sigma"] {
            expectConfigError(tinyConfig(field, nil), field: field)
        }
        expectConfigError(tinyConfig("hidden_size", "64.0"), field: "hidden_size")
        expectConfigError(tinyConfig("depth", "\"2\""), field: "depth")
        expectConfigError("{\"depth\": 2, " + tinyConfig("x", nil).dropFirst(), field: "depth")   // depth twice
    }
}

final class NPYHardeningTests: XCTestCase {
    private func npy(_ header: String, body: [UInt8] = []) -> Data {
        var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let n = header.utf8.count
        d.append(contentsOf: [UInt8(n & 0xff), UInt8(n >> 8)])
        d.append(contentsOf: Array(header.utf8))
        d.append(contentsOf: body)
        return d
    }

    private func refuse(_ d: Data, field: String, _ contains: String, line: UInt = #line) {
        XCTAssertThrowsError(try NPY.decode(d, file: "x.npy"), line: line) { e in
            let e = e as? DiTError
            XCTAssertEqual(e?.file, "x.npy", line: line)
            XCTAssertEqual(e?.field, field, "\(String(describing: e))", line: line)
            XCTAssertTrue(e?.problem.contains(contains) ?? false, "\(String(describing: e))", line: line)
            XCTAssertFalse(e?.problem.contains("\n") ?? true, "one line: \(String(describing: e))", line: line)
        }
    }

    func testHugeShapeIsRefusedWithoutOverflow() {
        refuse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2305843009213693952, 2, 16, 16), }\n", body: [0, 0, 0, 0]),
               field: "data", "do not hold shape")
        refuse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n", body: [0, 0, 0, 0]),
               field: "data", "more than any file holds")
    }

    func testHeaderMustBeAClosedDict() {
        refuse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), \n", body: [0, 0, 0, 0]), field: "header", "dict literal")
    }

    func testUnsupportedDescrNamesOnlyTheDescr() {
        refuse(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", body: Array(repeating: 0, count: 8)),
               field: "descr", "dtype '<c8' unsupported")
        // An unclosed quote runs into the next key: the dict is malformed there (NPYHeader), said in one line.
        refuse(npy("{'descr': '<f4, 'fortran_order': False, 'shape': (1,), }\n", body: [0, 0, 0, 0]), field: "header", "expected ','")
    }
}

final class JSONTests: XCTestCase {
    func testStrictNumbersKeysAndNesting() throws {
        let v = try JSON.parse(Array("{\"a\": [1, -0, 2.5, 1e3, \"s\\u00e9\\ud83d\\ude00\"], \"b\": null, \"c\": true}".utf8))
        let a = v.object!["a"]!.array!
        XCTAssertEqual(a.map(\.int), [1, 0, nil, nil, nil])
        XCTAssertEqual(a[2].double, 2.5)
        XCTAssertEqual(a[4].string, "sé😀")
        XCTAssertEqual(v.object!["c"]!.bool, true)
        XCTAssertNil(JSON.number("18446744073709551621").int, "2⁶⁴ + 5 is not an Int (Foundation reads 5)")
        for bad in ["{\"a\": 1, \"a\": 2}", "[01]", "[1.]", "{\"a\" 1}", "[1,]", "\"\u{1}\"", "[1] x", "", String(repeating: "[", count: 100)] {
            XCTAssertThrowsError(try JSON.parse(Array(bad.utf8)), bad)
        }
        XCTAssertThrowsError(try JSON.parse(Array("{\"x\": {\"k\": 1, \"k\": 2}}".utf8))) { e in
            XCTAssertEqual((e as? JSON.ParseError)?.path, "x.k")
        }
    }
}
