// What the session reader lets through, refused before a replay (`dit replay`): a key the format
// does not have (a typo such as "tick" for "t", or a field from another version) in the header,
// an entry or the footer, at any depth; a null where a field is simply left out when absent (the
// recorder never writes null); times that are negative, or that go back. The keys are the
// recording's own types' properties (their JSON names), read by reflection from the decoded
// lines, so this list cannot drift from the format.
import DiT
import DiTExplorer
import Foundation

enum SessionLint {
    /// Throws, naming the file, the line and the field, at the first problem of `recording`.
    static func check(_ recording: Recording) throws {
        let data = try FileRead.contents(recording.path, "the session recording")
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }.map { ($0.offset + 1, $0.element) }
        var decoded: [Int: Any] = [:]
        if let first = lines.first { decoded[first.0] = recording.header }
        for (line, entry) in recording.entries { decoded[line] = entry }
        if let footer = recording.footer, let last = lines.last { decoded[last.0] = footer }
        var previous = 0.0
        for (line, text) in lines {
            guard let value = decoded[line], let object = (try? JSON.parse(Array(text.utf8)))?.object else { continue }
            try keys(object, of: value, line: line, file: recording.path)
            guard let t = object["t"]?.double else { continue }
            guard t >= 0 else { throw DiTError(file: recording.path, field: "line \(line): t", "expected seconds ≥ 0 since the start, found \(t)") }
            guard t >= previous else {
                throw DiTError(file: recording.path, field: "line \(line): t", "expected times in order: \(t) s comes after \(previous) s")
            }
            previous = t
        }
    }

    /// Every key of `object` is a stored property of `value` (recursively), and none is null.
    private static func keys(_ object: [String: JSON], of value: Any, line: Int, prefix: String = "", file: String) throws {
        let children = Dictionary(Mirror(reflecting: value).children.compactMap { c in c.label.map { ($0, c.value) } }, uniquingKeysWith: { a, _ in a })
        for key in object.keys.sorted() {
            let field = "line \(line): " + prefix + key
            guard let child = children[key] else {
                throw DiTError(file: file, field: field, "unknown field; expected one of \(children.keys.sorted().joined(separator: ", "))")
            }
            if case .null = object[key]! { throw DiTError(file: file, field: field, "expected a value, found null (leave the field out instead)") }
            if let nested = object[key]!.object, let inner = unwrapped(child), Mirror(reflecting: inner).displayStyle == .struct {
                try keys(nested, of: inner, line: line, prefix: prefix + key + ".", file: file)
            }
        }
    }

    private static func unwrapped(_ value: Any) -> Any? {
        let m = Mirror(reflecting: value)
        guard m.displayStyle == .optional else { return value }
        return m.children.first?.value
    }
}
