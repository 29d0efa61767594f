// Typed, strict access to the fields of a config.json (DiTConfig's, and diffusers'
// AutoencoderKL and DiTTransformer2DModel): the project's one way of reading one. A field may be absent (the library's default then applies, as
// diffusers' from_config does), but a present one must have its JSON type, an integer written
// as one, and null only where diffusers' own signature is Optional (`nullable`: from_config
// would pass None on, and e.g. get_activation(None) fails). Every failure names the file, the
// field and what was expected.
import Foundation

public struct ConfigFields {
    public let root: [String: JSON]
    public let file: String

    public init(json data: Data, file: String) throws {
        root = try JSON.object(data, file: file)
        self.file = file
    }

    public static func load(_ path: String, _ what: String) throws -> ConfigFields {
        try ConfigFields(json: FileRead.contents(path, what), file: path)
    }

    /// The value of `key`; nil when absent, or null where `nullable`; a null elsewhere is refused.
    private func present(_ key: String, _ expected: String, nullable: Bool = false) throws -> JSON? {
        guard let v = root[key] else { return nil }
        if case .null = v {
            if nullable { return nil }
            throw fail(key, "expected \(expected), found null")
        }
        return v
    }

    /// Throws unless `key` is written (shapes that no default should guess).
    public func require(_ key: String, _ expected: String) throws {
        if root[key] == nil { throw fail(key, "missing; expected \(expected)") }
    }

    func fail(_ key: String, _ what: String) -> DiTError { DiTError(file: file, field: key, what) }

    /// Whether `key` is given (not absent, not null).
    public func has(_ key: String) -> Bool {
        if let v = root[key], case .null = v { return false }
        return root[key] != nil
    }

    public func int(_ key: String, default d: Int, nullable: Bool = false) throws -> Int {
        guard let v = try present(key, "an integer", nullable: nullable) else { return d }
        guard let n = v.int else { throw fail(key, "expected an integer, found \(v.kind)") }
        return n
    }

    /// A required integer (no default makes sense).
    public func int(_ key: String) throws -> Int {
        try require(key, "an integer")
        return try int(key, default: 0)
    }

    public func double(_ key: String, default d: Double?, nullable: Bool = false) throws -> Double? {
        guard let v = try present(key, "a finite number", nullable: nullable) else { return d }
        guard let x = v.double else { throw fail(key, "expected a finite number, found \(v.kind)") }
        return x
    }

    public func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let v = try present(key, "true or false") else { return d }
        guard let b = v.bool else { throw fail(key, "expected true or false, found \(v.kind)") }
        return b
    }

    public func string(_ key: String, default d: String?) throws -> String? {
        guard let v = try present(key, "a string") else { return d }
        guard let s = v.string else { throw fail(key, "expected a string, found \(v.kind)") }
        return s
    }

    public func ints(_ key: String, default d: [Int]) throws -> [Int] {
        guard let v = try present(key, "a list of integers") else { return d }
        guard let list = v.array, let ns = list.map(\.int) as? [Int] else { throw fail(key, "expected a list of integers, found \(v.kind)") }
        return ns
    }

    /// A list of `count` finite numbers, or nil (absent, or null where `nullable`).
    public func doubles(_ key: String, count: Int, nullable: Bool = false) throws -> [Double]? {
        let expected = "a list of \(count) finite numbers"
        guard let v = try present(key, expected, nullable: nullable) else { return nil }
        guard let list = v.array, let xs = list.map(\.double) as? [Double], xs.count == count else {
            throw fail(key, "expected \(expected), found \(v.array.map { "\($0.count) entries" } ?? v.kind)")
        }
        return xs
    }

    public func strings(_ key: String, default d: [String]) throws -> [String] {
        guard let v = try present(key, "a list of strings") else { return d }
        guard let list = v.array, let ss = list.map(\.string) as? [String] else { throw fail(key, "expected a list of strings, found \(v.kind)") }
        return ss
    }

    /// PATH/NAME when PATH is a diffusers pipeline folder (model_index.json, or no config.json of
    /// its own beside a NAME/config.json), else PATH: where a pipeline keeps its "transformer", "vae".
    public static func pipelineComponent(_ path: String, _ name: String) -> String {
        let fm = FileManager.default, sub = (path as NSString).appendingPathComponent(name)
        guard fm.fileExists(atPath: (sub as NSString).appendingPathComponent("config.json")) else { return path }
        let pipeline = fm.fileExists(atPath: (path as NSString).appendingPathComponent("model_index.json"))
            || !fm.fileExists(atPath: (path as NSString).appendingPathComponent("config.json"))
        return pipeline ? sub : path
    }

    /// `_class_name`, when written, must be `expected`.
    public func requireClass(_ expected: String) throws {
        if let name = try string("_class_name", default: nil), name != expected {
            throw fail("_class_name", "expected \(expected), found \(name)")
        }
    }
}
