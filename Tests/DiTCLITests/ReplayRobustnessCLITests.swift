// Issue 16, defect 13: a recording that cannot replay fails at once, exit 2, naming the file,
// the line and the field; it never waits for a worker event that cannot come.
import Foundation
import XCTest

extension ReplayCLITests {
    /// A recorded session with its lines changed by `edit`.
    func tampered(_ name: String, _ edit: (inout [String]) -> Void) throws -> String {
        let path = tmp(name)
        try record(path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        edit(&lines)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func expectMalformed(_ path: String, mentions: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let start = Date()
        let r = try dit(["replay", path, "--headless"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr, file: file, line: line)
        for m in [path] + mentions { XCTAssertTrue(r.stderr.contains(m), "'\(m)' not in: \(r.stderr)", file: file, line: line) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "fails at once", file: file, line: line)
    }

    /// Issue 27: the End key's line removed, the step markers after it name steps the replay
    /// never asks its worker for: exit 2 at once, not a wait until killed.
    func testAMarkerPastTheRequestedStepsFailsAtOnce() throws {
        var number = 0
        let path = try tampered("no-end-key.jsonl") { lines in
            lines.removeAll { $0.contains("\"key\":\"end\"") }
            number = lines.firstIndex { $0.contains("\"worker\":\"stepped\"") && $0.contains("\"k\":1") }! + 1
        }
        try expectMalformed(path, mentions: ["line \(number)", "stepped k = 1 cannot arrive", "End"])
    }

    func testImpossibleWorkerMarkersFailAtOnce() throws {
        func marker(_ lines: [String]) -> Int { lines.firstIndex { $0.contains("\"worker\":\"stepped\"") }! }
        for (name, from, to) in [("k-huge", "\"k\":", "\"k\":1000000000000000"), ("k-negative", "\"k\":", "\"k\":-1")] {
            var number = 0
            let path = try tampered(name + ".jsonl") { lines in
                let i = marker(lines); number = i + 1
                lines[i] = lines[i].replacingOccurrences(of: #""k":\d+"#, with: to, options: .regularExpression)
                _ = from
            }
            try expectMalformed(path, mentions: ["line \(number)", "k"])
        }
        var number = 0
        let path = try tampered("generation-huge.jsonl") { lines in
            let i = marker(lines); number = i + 1
            lines[i] = lines[i].replacingOccurrences(of: #""generation":\d+"#, with: "\"generation\":1000000000000000", options: .regularExpression)
        }
        try expectMalformed(path, mentions: ["line \(number): worker", "cannot arrive"])
    }

    func testMissingFooterIsMalformed() throws {
        try expectMalformed(try tampered("no-footer.jsonl") { $0.removeLast() }, mentions: ["footer", "missing"])
    }

    func testHeaderSettingsNameTheFileNotFlags() throws {
        let zero = try tampered("steps0.jsonl") { $0[0] = $0[0].replacingOccurrences(of: "\"steps\":6", with: "\"steps\":0") }
        try expectMalformed(zero, mentions: ["line 1: settings.steps", "1…1000"])
        let eta = try tampered("eta.jsonl") { $0[0] = $0[0].replacingOccurrences(of: "\"eta\":0", with: "\"eta\":1.5") }
        try expectMalformed(eta, mentions: ["line 1: settings.eta"])
        let label = try tampered("label.jsonl") { $0[0] = $0[0].replacingOccurrences(of: "\"label\":2", with: "\"label\":9") }
        try expectMalformed(label, mentions: ["line 1: settings.label"])
        let fraction = try tampered("fraction.jsonl") { $0[0] = $0[0].replacingOccurrences(of: "\"steps\":6", with: "\"steps\":6.5") }
        try expectMalformed(fraction, mentions: ["line 1: settings.steps"])
        let twice = try tampered("twice.jsonl") { $0[1] = "{\"t\":1,\"t\":2,\"key\":\"q\"}" }
        try expectMalformed(twice, mentions: ["line 2: t", "duplicate key"])
        let wide = try tampered("wide.jsonl") { $0[1] = "{\"t\":1,\"resize\":[1000000000,1000000000]}" }
        try expectMalformed(wide, mentions: ["line 2: resize"])
        let offScreen = try tampered("click.jsonl") { $0[1] = "{\"t\":1,\"click\":[99999999999,2,90,30]}" }
        try expectMalformed(offScreen, mentions: ["line 2: click", "a cell on it"])
        let two = try tampered("two.jsonl") { $0[1] = "{\"t\":1,\"key\":\"q\",\"scroll\":1}" }
        try expectMalformed(two, mentions: ["line 2: key, scroll", "exactly one action"])
        let infinite = try tampered("inf.jsonl") { $0[1] = "{\"t\":1e400,\"key\":\"q\"}" }
        try expectMalformed(infinite, mentions: ["line 2: t", "finite"])
    }
}

extension ReplayCLITests {
    /// Issue 27 (outside fuzzer): what the reader let through is refused before the replay: a key the
    /// format lacks (at any depth), a null, a negative time, times out of order.
    func testUnknownKeysNullsAndTimesAreRefused() throws {
        func entry(_ lines: [String]) -> Int { lines.firstIndex { $0.contains("\"key\":\"left\"") }! }
        let cases: [(String, (inout [String]) -> Int, [String])] = [
            ("entry-key", { l in let i = entry(l); l[i] = l[i].replacingOccurrences(of: "{", with: "{\"bogus\":1,"); return i }, ["bogus", "unknown field"]),
            ("header-key", { l in l[0] = l[0].replacingOccurrences(of: "\"fingerprint\"", with: "\"bogus\":1,\"fingerprint\""); return 0 }, ["model.bogus"]),
            ("null", { l in l[0] = l[0].replacingOccurrences(of: "\"karras\":false", with: "\"karras\":null"); return 0 }, ["settings.karras", "null"]),
            ("negative-t", { l in let i = entry(l); l[i] = l[i].replacingOccurrences(of: #""t":[0-9.e-]+"#, with: "\"t\":-5", options: .regularExpression); return i }, ["t", "≥ 0"]),
            ("t-back", { l in let i = entry(l); l[i] = l[i].replacingOccurrences(of: #""t":[0-9.e-]+"#, with: "\"t\":0", options: .regularExpression); return i }, ["t", "in order"]),
        ]
        for (name, edit, mentions) in cases {
            var number = 0
            let path = try tampered("lint-\(name).jsonl") { number = edit(&$0) + 1 }
            try expectMalformed(path, mentions: ["line \(number)"] + mentions)
        }
    }
}
