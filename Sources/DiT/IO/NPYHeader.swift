// The header of a .npy file, parsed as what numpy writes and reads back: a Python dict literal
// with exactly the keys 'descr' (a string), 'fortran_order' (True or False) and 'shape' (a
// tuple of non-negative integers), and nothing else (numpy.lib.format refuses extra keys too).
// A hand-written reader of just that grammar, so nothing in the header is taken on trust.
import Foundation

struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    private enum Value { case string(String), bool(Bool), tuple([Int]) }

    /// Parses `text`; every failure names `file`, the field and what was expected.
    init(_ text: String, file: String) throws {
        var p = Parser(chars: Array(text.unicodeScalars), file: file)
        var fields: [String: Value] = [:]
        p.skipSpace()
        try p.expect("{")
        while true {
            p.skipSpace()
            if p.take("}") { break }
            guard p.atQuote else { throw DiTError(file: file, field: "header", "expected a quoted key or '}' at character \(p.i) of the Python dict literal \(Parser.shape)") }
            let key = try p.string(field: "header")
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw DiTError(file: file, field: "header", "unexpected key '\(key.prefix(40))'; expected only 'descr', 'fortran_order' and 'shape'")
            }
            guard fields[key] == nil else { throw DiTError(file: file, field: key, "given twice in the header") }
            p.skipSpace()
            try p.expect(":")
            p.skipSpace()
            fields[key] = try p.value(field: key)
            p.skipSpace()
            if p.take("}") { break }
            try p.expect(",")
        }
        p.skipSpace()
        guard p.atEnd else { throw DiTError(file: file, field: "header", "expected nothing after the dict's closing brace") }
        guard case .string(let d)? = fields["descr"] else { throw Self.missing("descr", "a quoted dtype such as '<f4'", fields["descr"] == nil, file) }
        guard case .bool(let f)? = fields["fortran_order"] else { throw Self.missing("fortran_order", "True or False", fields["fortran_order"] == nil, file) }
        guard case .tuple(let s)? = fields["shape"] else { throw Self.missing("shape", "a tuple of integers", fields["shape"] == nil, file) }
        (descr, fortranOrder, shape) = (d, f, s)
    }

    private static func missing(_ key: String, _ expected: String, _ absent: Bool, _ file: String) -> DiTError {
        DiTError(file: file, field: key, absent ? "missing from the .npy header" : "expected \(expected)")
    }

    private struct Parser {
        let chars: [Unicode.Scalar]
        let file: String
        var i = 0

        static let shape = "{'descr': …, 'fortran_order': …, 'shape': (…)}"
        var atEnd: Bool { i >= chars.count }
        var atQuote: Bool { i < chars.count && (chars[i] == "'" || chars[i] == "\"") }
        mutating func skipSpace() { while i < chars.count, chars[i].properties.isWhitespace { i += 1 } }
        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }
        mutating func expect(_ c: Unicode.Scalar) throws {
            guard take(c) else {
                throw DiTError(file: file, field: "header", "expected '\(c)' at character \(i) of the Python dict literal \(Parser.shape)")
            }
        }

        mutating func string(field: String) throws -> String {
            guard atQuote else { throw DiTError(file: file, field: field, "expected a quoted string at character \(i)") }
            let q = chars[i]
            i += 1
            var out = String.UnicodeScalarView()
            while i < chars.count, chars[i] != q, chars[i] != "\n", chars[i] != "\\" { out.append(chars[i]); i += 1 }
            guard take(q) else { throw DiTError(file: file, field: field, "expected a closing quote") }
            return String(out)
        }

        mutating func value(field: String) throws -> Value {
            if atQuote { return .string(try string(field: field)) }
            for (word, b) in [("True", true), ("False", false)] where chars[i...].starts(with: word.unicodeScalars) {
                i += word.unicodeScalars.count
                return .bool(b)
            }
            guard take("(") else { throw DiTError(file: file, field: field, "expected a string, True, False or a tuple of integers") }
            var dims: [Int] = []
            while true {
                skipSpace()
                if take(")") { break }
                var digits = ""
                while i < chars.count, ("0"..."9").contains(chars[i]), digits.count < 19 { digits.unicodeScalars.append(chars[i]); i += 1 }
                _ = take("L")   // Python 2's long suffix, as older numpy wrote it
                guard let n = Int(digits) else {
                    throw DiTError(file: file, field: field, "expected a tuple of non-negative integers, found a character \(i < chars.count ? "'\(chars[i])'" : "past the end") at \(i)")
                }
                dims.append(n)
                skipSpace()
                if take(")") { break }
                try expect(",")
            }
            return .tuple(dims)
        }
    }
}
