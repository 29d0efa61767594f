import Foundation
@testable import DiT

/// Builds .safetensors bytes by hand, so tests can make valid and deliberately broken files.
struct SafeTensorsBuilder {
    var entries: [(name: String, dtype: String, shape: [Int], bytes: [UInt8])] = []
    var metadata: [String: String]? = nil

    mutating func add(_ name: String, _ values: [Float], shape: [Int], dtype: DType = .f32) {
        var bytes: [UInt8] = []
        for v in values {
            switch dtype {
            case .f32: bytes += withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init)
            case .f16: bytes += withUnsafeBytes(of: Float16(v).bitPattern.littleEndian, Array.init)
            case .bf16:  // round to nearest even, as torch does
                let b = v.bitPattern
                let rounded = UInt16((b &+ 0x7FFF &+ ((b >> 16) & 1)) >> 16)
                bytes += withUnsafeBytes(of: rounded.littleEndian, Array.init)
            case .f64: bytes += withUnsafeBytes(of: Double(v).bitPattern.littleEndian, Array.init)
            }
        }
        entries.append((name, dtype.rawValue, shape, bytes))
    }

    /// The header as a JSON-ready dictionary, offsets computed.
    func header() -> [String: Any] {
        var h: [String: Any] = [:]
        var offset = 0
        for e in entries {
            h[e.name] = ["dtype": e.dtype, "shape": e.shape, "data_offsets": [offset, offset + e.bytes.count]]
            offset += e.bytes.count
        }
        if let metadata { h["__metadata__"] = metadata }
        return h
    }

    func data(header override: [String: Any]? = nil, headerText: String? = nil, declaredLength: UInt64? = nil) -> Data {
        let json = headerText.map { Data($0.utf8) } ?? (try! JSONSerialization.data(withJSONObject: override ?? header(), options: [.sortedKeys]))
        var d = Data()
        let n = declaredLength ?? UInt64(json.count)
        d.append(contentsOf: withUnsafeBytes(of: n.littleEndian, Array.init))
        d.append(json)
        for e in entries { d.append(contentsOf: e.bytes) }
        return d
    }

    /// Every tensor of a store, re-encoded in `dtype`.
    static func convert(_ store: SafeTensorsStore, to dtype: DType) -> SafeTensorsBuilder {
        var b = SafeTensorsBuilder()
        for name in store.tensors.keys.sorted() {
            b.add(name, store.floats(name), shape: store.tensors[name]!.shape, dtype: dtype)
        }
        return b
    }
}

/// A fresh temporary directory, removed at the end of the process.
func temporaryDirectory(_ name: String = #function) -> String {
    let dir = NSTemporaryDirectory() + "dit-tests-\(ProcessInfo.processInfo.processIdentifier)/\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A copy of the tiny fixture model in a new directory, ready to be broken.
func copyOfTinyModel(_ name: String = #function) -> String {
    let dir = temporaryDirectory(name)
    for f in ["config.json", "model.safetensors"] {
        try! FileManager.default.copyItem(atPath: Fixture.path(f), toPath: "\(dir)/\(f)")
    }
    return dir
}

/// The tiny model in two shards; `edit` changes the index before it is written.
func shardedTiny(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
    let store = try SafeTensorsStore.open(Fixture.dir)
    let names = store.tensors.keys.sorted()
    let dir = temporaryDirectory()
    try FileManager.default.copyItem(atPath: Fixture.path("config.json"), toPath: "\(dir)/config.json")
    var map: [String: String] = [:]
    for (s, part) in [names.filter { $0.hasPrefix("blocks") }, names.filter { !$0.hasPrefix("blocks") }].enumerated() {
        var b = SafeTensorsBuilder()
        for n in part { b.add(n, store.floats(n), shape: store.tensors[n]!.shape) }
        let file = "model-0000\(s + 1)-of-00002.safetensors"
        try b.data().write(to: URL(fileURLWithPath: "\(dir)/\(file)"))
        for n in part { map[n] = file }
    }
    var index: [String: Any] = ["metadata": ["total_size": store.tensors.values.reduce(0) { $0 + $1.byteCount }], "weight_map": map]
    edit(&index)
    try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: "\(dir)/model.safetensors.index.json"))
    return dir
}
