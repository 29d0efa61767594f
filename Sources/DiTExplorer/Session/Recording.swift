// Reading a session recording back, strictly: every problem names the file, the line and the
// field, and what was expected.
import DiT
import Foundation

public struct Recording: Sendable {
    public var path: String
    public var header: SessionHeader
    public var entries: [(line: Int, entry: SessionEntry)]
    public var footer: SessionFooter?

    public static func read(_ path: String) throws -> Recording {
        try parse(FileRead.contents(path, "the session recording"), path: path)
    }

    /// A recording's bytes; `path` names it in messages.
    public static func parse(_ data: Data, path: String) throws -> Recording {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = lines.first else { throw DiTError(file: path, field: "line 1", "empty: expected a dit-session header") }
        let header: SessionHeader = try decode(first.element, path: path, line: first.offset + 1)
        guard header.format == SessionHeader.formatName else {
            throw DiTError(file: path, field: "line 1: format", "expected \"\(SessionHeader.formatName)\", found \"\(header.format)\"")
        }
        guard header.version == SessionHeader.currentVersion else {
            throw DiTError(file: path, field: "line 1: version", "expected \(SessionHeader.currentVersion), found \(header.version)")
        }
        let st = header.settings
        guard SamplerKind(rawValue: st.sampler) != nil else {
            throw DiTError(file: path, field: "line 1: settings.sampler",
                           "expected one of \(SamplerKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(st.sampler)\"")
        }
        if let specs = st.ablations {
            do { _ = try AblationSet(specs: specs) } catch let e as DiTError {
                throw DiTError(file: path, field: "line 1: settings.ablations", "\(e.field): expected \(Ablation.grammar)")
            }
        }
        guard header.samplerSettings != nil else {
            throw DiTError(file: path, field: "line 1: settings.cfgSchedule / cfgInterval",
                           "expected a schedule of \(GuidanceSchedule.allCases.map(\.rawValue).joined(separator: ", ")) and an interval [LO, HI] with LO ≤ HI, "
                           + "found \(st.cfgSchedule ?? "constant") and \(st.cfgInterval.map { "\($0)" } ?? "none")")
        }
        do { try header.samplerSettings!.checkBounds() } catch let e as SettingError {
            throw DiTError(file: path, field: "line 1: settings.\(SessionHeader.Settings.field(e.setting))", "\(e.value): expected \(e.expected)")
        }
        for (name, v) in [("width", header.width), ("height", header.height)] where !SessionEntry.screenRange.contains(v) {
            throw DiTError(file: path, field: "line 1: \(name)", "expected a screen size in \(SessionEntry.screenRange), found \(v)")
        }
        var recording = Recording(path: path, header: header, entries: [], footer: nil)
        for (i, text) in lines.dropFirst() {
            let line = i + 1
            if recording.footer != nil { throw DiTError(file: path, field: "line \(line)", "expected nothing after the footer (\"end\": true)") }
            if (try? JSONValueDecoder().decode(FooterMark.self, from: Array(text.utf8)))?.end == true {
                recording.footer = try decode(text, path: path, line: line)
                continue
            }
            let entry: SessionEntry = try decode(text, path: path, line: line)
            _ = try entry.action(file: path, line: line)   // validates the fields now, not halfway through a replay
            recording.entries.append((line, entry))
        }
        return recording
    }

    /// One JSON line as T; a missing or mistyped field is named.
    static func decode<T: Decodable>(_ text: Substring, path: String, line: Int) throws -> T {
        do { return try JSONValueDecoder().decode(T.self, from: Array(text.utf8)) } catch let e as JSON.ParseError {
            throw DiTError(file: path, field: "line \(line)" + (e.field.isEmpty ? "" : ": \(e.field)"), "expected a JSON object: \(e)")
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw DiTError(file: path, field: "line \(line): \(fieldPath(ctx.codingPath + [key]))", "missing")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw DiTError(file: path, field: "line \(line): \(fieldPath(ctx.codingPath))", ctx.debugDescription)
        } catch {
            throw DiTError(file: path, field: "line \(line)", "expected a dit-session line (\(error))")
        }
    }

    /// The footer is the line with "end": true.
    struct FooterMark: Decodable { var end: Bool? }

    static func fieldPath(_ keys: [CodingKey]) -> String { keys.isEmpty ? "(the line)" : keys.map(\.stringValue).joined(separator: ".") }
}
