// safetensors reader (huggingface/safetensors format): u64 little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the
// byte buffer. Everything is validated before use; F16 and BF16 are widened to F32.
import CKernels
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
    public var byteCount: Int { end - begin }
}

/// One safetensors file, memory-mapped, header validated.
public struct SafeTensorsFile {
    public let path: String
    public let tensors: [String: TensorInfo]
    public let metadata: [String: String]
    private let data: Data
    static let maxHeaderLength: UInt64 = 100_000_000   // as huggingface/safetensors enforces

    public init(path: String) throws {
        try self.init(data: FileRead.contents(path, "the weights file", mapped: true), path: path)
    }

    /// The file's bytes already in memory; `path` names it in messages.
    public init(data: Data, path: String) throws {
        self.path = path
        self.data = data.startIndex == 0 ? data : Data(data)   // offsets below count from 0
        guard data.count >= 8 else {
            throw DiTError(file: path, field: "header length", "expected at least 8 bytes, the file has \(data.count)")
        }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(data.count - 8) else {
            throw DiTError(file: path, field: "header length",
                           "header of \(n) bytes does not fit in a file of \(data.count) bytes")
        }
        guard n <= SafeTensorsFile.maxHeaderLength else {
            throw DiTError(file: path, field: "header length",
                           "header of \(n) bytes; expected at most \(SafeTensorsFile.maxHeaderLength) (the format's limit)")
        }
        let headerEnd = 8 + Int(n)
        let header = try JSON.object(data[8..<headerEnd], file: path, field: "header")
        let bufferSize = data.count - headerEnd
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        var ranges: [(begin: Int, end: Int, name: String)] = []
        for name in header.keys.sorted() {
            let value = header[name]!
            if name == "__metadata__" {
                guard let m = value.object else { throw DiTError(file: path, field: name, "expected an object of strings") }
                for (k, v) in m {
                    guard let s = v.string else { throw DiTError(file: path, field: "\(name).\(k)", "expected a string, found \(v.kind)") }
                    metadata[k] = s
                }
                continue
            }
            guard let entry = value.object else {
                throw DiTError(file: path, field: name, "expected an object with dtype, shape, data_offsets")
            }
            guard let dtypeName = entry["dtype"]?.string else {
                throw DiTError(file: path, field: "\(name).dtype", "expected a string such as \"F32\"")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw DiTError(file: path, field: "\(name).dtype",
                               "unsupported dtype \(dtypeName); expected F32, F16, BF16 or F64")
            }
            guard let dims = entry["shape"]?.array, let shape = dims.map(\.int) as? [Int], shape.allSatisfy({ $0 >= 0 }) else {
                throw DiTError(file: path, field: "\(name).shape", "expected a list of non-negative integers, found \(entry["shape"]?.kind ?? "nothing")")
            }
            guard let offs = entry["data_offsets"]?.array, offs.count == 2, let b = offs[0].int, let e = offs[1].int,
                  b >= 0, b <= e else {
                throw DiTError(file: path, field: "\(name).data_offsets", "expected [begin, end], integers with 0 ≤ begin ≤ end")
            }
            guard e <= bufferSize else {
                throw DiTError(file: path, field: "\(name).data_offsets",
                               "end \(e) lies beyond the data buffer of \(bufferSize) bytes")
            }
            guard let bytes = Tensor.checkedCount(shape + [dtype.size]), bytes == e - b else {
                throw DiTError(file: path, field: "\(name).data_offsets",
                               "\(e - b) bytes do not hold shape \(shape) of \(dtypeName) ("
                               + (Tensor.checkedCount(shape + [dtype.size]).map { "\($0) bytes expected" } ?? "more bytes than a file can hold") + ")")
            }
            if let extra = Set(entry.keys).subtracting(["dtype", "shape", "data_offsets"]).sorted().first {
                throw DiTError(file: path, field: "\(name).\(extra)", "unknown field; expected dtype, shape, data_offsets")
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, file: path,
                                       begin: headerEnd + b, end: headerEnd + e)
            ranges.append((b, e, name))
        }
        // As the format says: the tensors tile the data buffer, in some order, with no gap or overlap.
        var covered = 0, previous = ""
        for r in ranges.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if r.begin < covered {
                throw DiTError(file: path, field: "\(r.name).data_offsets",
                               "bytes \(r.begin)..<\(r.end) overlap \(previous)'s; expected each tensor its own bytes")
            }
            if r.begin > covered {
                throw DiTError(file: path, field: "\(r.name).data_offsets",
                               "bytes \(covered)..<\(r.begin) before it belong to no tensor; expected the tensors to fill the buffer")
            }
            covered = r.end; previous = r.name
        }
        guard covered == bufferSize else {
            throw DiTError(file: path, field: "data_offsets",
                           "the data buffer has \(bufferSize) bytes but the tensors end at \(covered); expected them to fill it")
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor widened to Float32, row-major (a checkpoint's F16 / BF16 in C, 16 at a time).
    public func floats(_ name: String) -> [Float] {
        guard let info = tensors[name], info.dtype == .f16 || info.dtype == .bf16 else { return values(name, as: Float.self) }
        let count = (info.end - info.begin) / 2
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                dit_widen_half(raw.baseAddress! + info.begin, buffer.baseAddress!, count, Int32(info.dtype == .f16 ? DIT_HALF_F16 : DIT_HALF_BF16))
            }
            initialized = count
        }
    }

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

    /// The weight file names of this project's model folders and of diffusers' (transformer/, vae/).
    public static let modelName = "model", diffusersName = "diffusion_pytorch_model"

    /// `path` is a .safetensors file, a NAME.safetensors.index.json, or a directory holding
    /// NAME.safetensors or its index, NAME being the first of `names` found there.
    public static func open(_ path: String, names: [String] = [modelName]) throws -> SafeTensorsStore {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let expected = names.map { "\($0).safetensors or \($0).safetensors.index.json" }.joined(separator: " or ")
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DiTError(file: path, "no such file or directory; expected \(expected)")
        }
        if isDir.boolValue {
            for name in names {
                let index = (path as NSString).appendingPathComponent("\(name).safetensors.index.json")
                let single = (path as NSString).appendingPathComponent("\(name).safetensors")
                if fm.fileExists(atPath: index) { return try open(index) }
                if fm.fileExists(atPath: single) { return try SafeTensorsStore(files: [SafeTensorsFile(path: single)]) }
            }
            throw DiTError(file: path, "expected \(expected) in the model directory")
        }
        guard path.hasSuffix(".json") else { return try SafeTensorsStore(files: [SafeTensorsFile(path: path)]) }
        let index = try ShardIndex(data: FileRead.contents(path, "the shard index"), path: path)
        let dir = (path as NSString).deletingLastPathComponent
        let store = try SafeTensorsStore(files: index.shards.map { try SafeTensorsFile(path: index.resolve($0, in: dir)) })
        try index.check(store)
        return store
    }

    public func floats(_ name: String) -> [Float] {
        guard let i = owner[name] else { return [] }
        return files[i].floats(name)
    }

    public var dtypes: Set<DType> { Set(tensors.values.map(\.dtype)) }
}

/// model.safetensors.index.json, as transformers writes it: {"metadata": {"total_size": bytes},
/// "weight_map": {tensor name: shard file}}. What it says must hold: every tensor of every shard
/// is listed under its own shard, nothing else is listed, and total_size is the tensors' bytes.
public struct ShardIndex {
    public let path: String
    public let weightMap: [String: String]
    public let totalSize: Int?
    /// The shard file names, sorted.
    public var shards: [String] { Set(weightMap.values).sorted() }

    public init(data: Data, path: String) throws {
        self.path = path
        let root = try JSON.object(data, file: path)
        guard let map = root["weight_map"]?.object, !map.isEmpty else {
            throw DiTError(file: path, field: "weight_map", "expected a non-empty object {tensor name: shard file}")
        }
        var weightMap: [String: String] = [:]
        for key in map.keys.sorted() {
            guard let name = map[key]!.string, !name.isEmpty, name != ".", name != "..",
                  !name.contains("/"), !name.contains("\0") else {
                throw DiTError(file: path, field: "weight_map.\(key)", "expected a shard file name beside the index, found \(map[key]!.kind)")
            }
            weightMap[key] = name
        }
        self.weightMap = weightMap
        if let meta = root["metadata"], !(meta.object?.isEmpty ?? false) {
            guard let m = meta.object else { throw DiTError(file: path, field: "metadata", "expected an object") }
            if let t = m["total_size"] {
                guard let n = t.int, n >= 0 else {
                    throw DiTError(file: path, field: "metadata.total_size", "expected a non-negative integer (bytes), found \(t.kind)")
                }
                totalSize = n
            } else { totalSize = nil }
        } else { totalSize = nil }
    }

    /// The shard's path beside the index: it must exist and, symlinks resolved, stay in `dir`, or,
    /// in a Hugging Face cache (ROOT/snapshots/REVISION/…/dir), lie in that cache's ROOT/blobs/,
    /// where the hub's snapshot links point.
    func resolve(_ name: String, in dir: String) throws -> String {
        let p = (dir as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: p) else {
            throw DiTError(file: path, field: "weight_map", "shard \(name) is missing from \(dir)")
        }
        func inside(_ path: String, _ folder: String) -> Bool { path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") }
        let real = URL(fileURLWithPath: p).resolvingSymlinksInPath().path
        let home = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
        if inside(real, home) { return p }
        if let blobs = ShardIndex.cacheBlobs(of: dir), inside(real, blobs) { return p }
        throw DiTError(file: path, field: "weight_map", "shard \(name) leads to \(real), outside the model directory \(home)")
    }

    /// ROOT/blobs (symlinks resolved) when `dir` lies in ROOT/snapshots/REVISION/ of a Hugging Face cache.
    static func cacheBlobs(of dir: String) -> String? {
        var parts = URL(fileURLWithPath: dir).resolvingSymlinksInPath().pathComponents
        guard let i = parts.lastIndex(of: "snapshots"), i + 1 < parts.count, i >= 1 else { return nil }
        parts = Array(parts[..<i]) + ["blobs"]
        let blobs = NSString.path(withComponents: parts)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: blobs, isDirectory: &isDir), isDir.boolValue else { return nil }
        return URL(fileURLWithPath: blobs).resolvingSymlinksInPath().path
    }

    /// The index against what the shards hold.
    func check(_ store: SafeTensorsStore) throws {
        for (name, info) in store.tensors.sorted(by: { $0.key < $1.key }) {
            let shard = (info.file as NSString).lastPathComponent
            guard let listed = weightMap[name] else {
                throw DiTError(file: path, field: "weight_map.\(name)", "missing; \(shard) holds this tensor")
            }
            guard listed == shard else {
                throw DiTError(file: path, field: "weight_map.\(name)", "names \(listed), but the tensor is in \(shard)")
            }
        }
        if let ghost = weightMap.keys.filter({ store.tensors[$0] == nil }).sorted().first {
            throw DiTError(file: path, field: "weight_map.\(ghost)", "no shard holds this tensor (\(weightMap[ghost]!) does not)")
        }
        if let totalSize {
            let bytes = store.tensors.values.reduce(0) { $0 + $1.byteCount }
            guard bytes == totalSize else {
                throw DiTError(file: path, field: "metadata.total_size", "expected \(bytes) (the tensors' bytes), found \(totalSize)")
            }
        }
    }
}
