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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiTError(file: path, "cannot read the session recording")
        }
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
        guard header.samplerSettings != nil else {
            throw DiTError(file: path, field: "line 1: settings.cfgSchedule / cfgInterval",
                           "expected a schedule of \(GuidanceSchedule.allCases.map(\.rawValue).joined(separator: ", ")) and an interval [LO, HI] with LO ≤ HI, "
                           + "found \(st.cfgSchedule ?? "constant") and \(st.cfgInterval.map { "\($0)" } ?? "none")")
        }
        var recording = Recording(path: path, header: header, entries: [], footer: nil)
        for (i, text) in lines.dropFirst() {
            let line = i + 1
            if recording.footer != nil { throw DiTError(file: path, field: "line \(line)", "expected nothing after the footer (\"end\": true)") }
            if (try? JSONDecoder().decode(FooterMark.self, from: Data(text.utf8)))?.end == true {
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
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch let DecodingError.keyNotFound(key, ctx) {
            throw DiTError(file: path, field: "line \(line): \(fieldPath(ctx.codingPath + [key]))", "missing")
        } catch let DecodingError.typeMismatch(type, ctx) {
            throw DiTError(file: path, field: "line \(line): \(fieldPath(ctx.codingPath))", "expected a value of type \(type)")
        } catch let DecodingError.valueNotFound(type, ctx) {
            throw DiTError(file: path, field: "line \(line): \(fieldPath(ctx.codingPath))", "expected a value of type \(type), found null")
        } catch {
            throw DiTError(file: path, field: "line \(line)", "expected a JSON object (\(error.localizedDescription))")
        }
    }

    /// The footer is the line with "end": true.
    struct FooterMark: Decodable { var end: Bool? }

    static func fieldPath(_ keys: [CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
}
