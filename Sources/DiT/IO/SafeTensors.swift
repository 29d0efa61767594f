// safetensors reader (huggingface/safetensors format): u64 little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the
// byte buffer. Everything is validated before use; F16 and BF16 are widened to F32.
import Foundation

public enum DType: String, Sendable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"
    var size: Int { switch self { case .f32: 4; case .f16, .bf16: 2; case .f64: 8 } }
}

public struct TensorInfo: Sendable {
    public var dtype: DType
    public var shape: [Int]
    public var file: String
    fileprivate var begin: Int    // absolute byte offset in the file
    fileprivate var end: Int
}

/// One safetensors file, memory-mapped, header validated.
public struct SafeTensorsFile {
    public let path: String
    public let tensors: [String: TensorInfo]
    public let metadata: [String: String]
    private let data: Data

    public init(path: String) throws {
        self.path = path
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) } catch {
            throw DiTError(file: path, "cannot read the weights file (\(error.localizedDescription))")
        }
        guard data.count >= 8 else {
            throw DiTError(file: path, field: "header length", "expected at least 8 bytes, the file has \(data.count)")
        }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(data.count - 8) else {
            throw DiTError(file: path, field: "header length",
                           "header of \(n) bytes does not fit in a file of \(data.count) bytes")
        }
        let headerEnd = 8 + Int(n)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) } catch {
            throw DiTError(file: path, field: "header", "expected a well-formed JSON object")
        }
        guard let header = json as? [String: Any] else {
            throw DiTError(file: path, field: "header", "expected a JSON object")
        }
        let bufferSize = data.count - headerEnd
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = (value as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
                continue
            }
            guard let entry = value as? [String: Any] else {
                throw DiTError(file: path, field: name, "expected an object with dtype, shape, data_offsets")
            }
            guard let dtypeName = entry["dtype"] as? String else {
                throw DiTError(file: path, field: "\(name).dtype", "missing")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw DiTError(file: path, field: "\(name).dtype",
                               "unsupported dtype \(dtypeName); expected F32, F16, BF16 or F64")
            }
            guard let shapeAny = entry["shape"] as? [Any],
                  let shape = shapeAny.map({ ($0 as? NSNumber)?.intValue }) as? [Int], shape.allSatisfy({ $0 >= 0 }) else {
                throw DiTError(file: path, field: "\(name).shape", "expected a list of non-negative integers")
            }
            guard let offs = entry["data_offsets"] as? [Any], offs.count == 2,
                  let b = (offs[0] as? NSNumber)?.intValue, let e = (offs[1] as? NSNumber)?.intValue,
                  b >= 0, b <= e else {
                throw DiTError(file: path, field: "\(name).data_offsets", "expected [begin, end] with 0 ≤ begin ≤ end")
            }
            guard e <= bufferSize else {
                throw DiTError(file: path, field: "\(name).data_offsets",
                               "end \(e) lies beyond the data buffer of \(bufferSize) bytes")
            }
            let (elements, overflow) = shape.reduce((1, false)) { acc, d in
                let (m, o) = acc.0.multipliedReportingOverflow(by: d); return (m, acc.1 || o)
            }
            guard !overflow, elements * dtype.size == e - b else {
                throw DiTError(file: path, field: "\(name).data_offsets",
                               "\(e - b) bytes do not hold shape \(shape) of \(dtypeName) (\(elements * dtype.size) bytes expected)")
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, file: path,
                                       begin: headerEnd + b, end: headerEnd + e)
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor widened to Float32, row-major.
    public func floats(_ name: String) -> [Float] { values(name, as: Float.self) }

    /// The tensor as Float64 (statistics such as the judge's feature covariances are stored in F64).
    public func doubles(_ name: String) -> [Double] { values(name, as: Double.self) }

    private func values<T: BinaryFloatingPoint>(_ name: String, as: T.Type) -> [T] {
        guard let info = tensors[name] else { return [] }
        let count = (info.end - info.begin) / info.dtype.size
        var out = [T](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + info.begin
            out.withUnsafeMutableBufferPointer { o in
                switch info.dtype {
                case .f32:
                    for i in 0..<count { o[i] = T(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))) }
                case .f64:
                    for i in 0..<count { o[i] = T(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
                case .f16:
                    for i in 0..<count { o[i] = T(Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))) }
                case .bf16:
                    for i in 0..<count { o[i] = T(Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)) }
                }
            }
        }
        return out
    }
}

/// A checkpoint: one safetensors file or shards listed by model.safetensors.index.json.
public struct SafeTensorsStore {
    public let files: [SafeTensorsFile]
    public let tensors: [String: TensorInfo]
    private let owner: [String: Int]

    public init(files: [SafeTensorsFile]) throws {
        var tensors: [String: TensorInfo] = [:], owner: [String: Int] = [:]
        for (i, f) in files.enumerated() {
            for (k, v) in f.tensors {
                if let prev = tensors[k] {
                    throw DiTError(file: f.path, field: k, "also stored in \(prev.file); expected each tensor once")
                }
                tensors[k] = v; owner[k] = i
            }
        }
        self.files = files; self.tensors = tensors; self.owner = owner
    }

    /// `path` is a .safetensors file, a model.safetensors.index.json, or a directory holding one.
    public static func open(_ path: String) throws -> SafeTensorsStore {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DiTError(file: path, "no such file or directory; expected model.safetensors or model.safetensors.index.json")
        }
        if isDir.boolValue {
            let index = (path as NSString).appendingPathComponent("model.safetensors.index.json")
            let single = (path as NSString).appendingPathComponent("model.safetensors")
            if fm.fileExists(atPath: index) { return try open(index) }
            if fm.fileExists(atPath: single) { return try SafeTensorsStore(files: [SafeTensorsFile(path: single)]) }
            throw DiTError(file: path, "expected model.safetensors or model.safetensors.index.json in the model directory")
        }
        guard path.hasSuffix(".json") else { return try SafeTensorsStore(files: [SafeTensorsFile(path: path)]) }
        return try SafeTensorsStore(files: shards(index: path).map { try SafeTensorsFile(path: $0) })
    }

    /// The shard paths named by an index file, checked to exist.
    static func shards(index path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiTError(file: path, "cannot read the shard index")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DiTError(file: path, "expected a well-formed JSON object")
        }
        guard let map = json["weight_map"] as? [String: Any] else {
            throw DiTError(file: path, field: "weight_map", "expected an object {tensor name: shard file}")
        }
        let dir = (path as NSString).deletingLastPathComponent
        var names: [String] = []
        for (key, value) in map {
            guard let name = value as? String, !name.hasPrefix("/"), !name.contains("..") else {
                throw DiTError(file: path, field: "weight_map.\(key)", "expected a shard file name beside the index")
            }
            if !names.contains(name) { names.append(name) }
        }
        return try names.sorted().map { name in
            let p = (dir as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: p) else {
                throw DiTError(file: path, field: "weight_map", "shard \(name) is missing from \(dir)")
            }
            return p
        }
    }

    public func floats(_ name: String) -> [Float] {
        guard let i = owner[name] else { return [] }
        return files[i].floats(name)
    }

    public var dtypes: Set<DType> { Set(tensors.values.map(\.dtype)) }
}
