// A strict JSON reader (RFC 8259) for the files dit reads: safetensors headers, the shard index,
// config.json, session lines. Foundation's readers let the last of two equal keys win and
// turn 96.5 into 96 and 2⁶⁴ + 5 into 5; here a duplicate key is an error and a number keeps its
// text, so "an integer" means digits only. Nesting is bounded (no stack overflow on [[[[…).
import Foundation

public indirect enum JSON: Sendable {
    case null, bool(Bool), number(String), string(String), array([JSON]), object([String: JSON])

    /// A parse failure: where (byte offset, and the key path when inside an object) and what.
    /// `field` is the key path of a duplicate key (the field at fault), else empty.
    public struct ParseError: Error, CustomStringConvertible {
        public var offset: Int
        public var path: String
        public var problem: String
        public var field: String { problem.hasPrefix("duplicate key") ? path : "" }
        public var description: String {
            "\(problem) at byte \(offset)" + (path.isEmpty || !field.isEmpty ? "" : " (in \(path.prefix(80)))")
        }
    }

    public static let maxDepth = 64

    public static func parse<C: Collection>(_ bytes: C) throws -> JSON where C.Element == UInt8 {
        var p = Parser(bytes: Array(bytes))
        p.skipSpace()
        let value = try p.value(depth: 0, path: "")
        p.skipSpace()
        guard p.i == p.bytes.count else { throw p.fail("expected the end of the document") }
        return value
    }

    /// The document as a JSON object; otherwise a DiTError naming `file` and `field` (or the
    /// duplicate key's path).
    public static func object<C: Collection>(_ bytes: C, file: String, field: String = "") throws -> [String: JSON] where C.Element == UInt8 {
        do {
            guard let o = try parse(bytes).object else { throw DiTError(file: file, field: field, "expected a JSON object") }
            return o
        } catch let e as ParseError {
            throw DiTError(file: file, field: e.field.isEmpty ? field : e.field, "expected a well-formed JSON object: \(e)")
        }
    }

    // MARK: typed access

    /// An integer written as one (no fraction, no exponent) that fits Int.
    public var int: Int? {
        guard case .number(let text) = self, !text.contains(where: { ".eE".contains($0) }) else { return nil }
        return Int(text)
    }
    /// Any number, when finite as a Double.
    public var double: Double? {
        guard case .number(let text) = self, let d = Double(text), d.isFinite else { return nil }
        return d
    }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var object: [String: JSON]? { if case .object(let o) = self { return o }; return nil }

    /// What the value is, for messages ("found a string").
    public var kind: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .number(let n): return n
        case .string(let s): return "the string \"\(s.prefix(40))\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        func fail(_ problem: String, path: String = "") -> ParseError {
            ParseError(offset: i, path: path, problem: problem)
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String, _ v: JSON) throws -> JSON {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("expected a JSON value") }
            i += w.count
            return v
        }

        mutating func value(depth: Int, path: String) throws -> JSON {
            guard depth < JSON.maxDepth else { throw fail("nested deeper than \(JSON.maxDepth) levels", path: path) }
            guard i < bytes.count else { throw fail("unexpected end, expected a value", path: path) }
            switch bytes[i] {
            case UInt8(ascii: "{"): return try object(depth: depth, path: path)
            case UInt8(ascii: "["): return try array(depth: depth, path: path)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return .number(try number())
            }
        }

        mutating func object(depth: Int, path: String) throws -> JSON {
            i += 1
            var out: [String: JSON] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes", path: path) }
                let key = try string()
                let keyPath = path.isEmpty ? key : path + "." + key
                guard out[key] == nil else { throw fail("duplicate key \"\(key)\"", path: keyPath) }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key", path: keyPath) }
                i += 1
                skipSpace()
                out[key] = try value(depth: depth + 1, path: keyPath)
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end, expected ',' or '}'", path: path) }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
                throw fail("expected ',' or '}'", path: path)
            }
        }

        mutating func array(depth: Int, path: String) throws -> JSON {
            i += 1
            var out: [JSON] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
            while true {
                skipSpace()
                out.append(try value(depth: depth + 1, path: "\(path)[\(out.count)]"))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end, expected ',' or ']'", path: path) }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
                throw fail("expected ',' or ']'", path: path)
            }
        }

        /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, kept as text.
        mutating func number() throws -> String {
            let start = i
            func digits() -> Int {
                let s = i
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
                return i - s
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, (0x30...0x39).contains(bytes[i]) else { throw fail("expected a JSON value") }
            if bytes[i] == 0x30 { i += 1 } else { _ = digits() }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw fail("expected digits after '.'") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw fail("expected digits in the exponent") }
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                throw fail("expected four hex digits after \\u")
            }
            i += 4
            return v
        }

        mutating func string() throws -> String {
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let b = bytes[i]
                i += 1
                switch b {
                case UInt8(ascii: "\""):
                    guard let s = String(bytes: out, encoding: .utf8) else { throw fail("expected UTF-8 text in a string") }
                    return s
                case UInt8(ascii: "\\"):
                    guard i < bytes.count else { throw fail("unterminated string") }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                                throw fail("expected a low surrogate after a high one")
                            }
                            i += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw fail("expected a low surrogate after a high one") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let u = Unicode.Scalar(scalar) else { throw fail("lone surrogate in a string") }
                        out.append(contentsOf: Array(String(Character(u)).utf8))
                    default: throw fail("unknown escape in a string")
                    }
                default:
                    guard b >= 0x20 else { throw fail("control character in a string") }
                    out.append(b)
                }
            }
        }
    }
}
