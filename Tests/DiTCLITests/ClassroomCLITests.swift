import DiT
import Foundation
import XCTest

/// Issue 27 ("classroom-ready") through the binary: one parameter count everywhere, and the
/// small commands saying what they did.
extension CLITests {
    /// `dit info`, `dit compare` and the cost model (the explorer's Compare pane, `dit flops`)
    /// give the same count for each shipped model: models.py's model.parameters(), pos_embed in.
    func testOneParameterCountEverywhere() throws {
        let dirs = ["dit-s8-fashion", "dit-s4-fashion", "dit-s2-fashion"].map { Self.repo + "/assets/models/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0 + "/config.json") }
        try XCTSkipIf(dirs.isEmpty, "no shipped models")
        let compare = try dit(["compare", "--steps", "1", "--columns", "1", "--json"] + dirs.flatMap { ["--model", $0] })
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let rows = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])?["models"] as? [[String: Any]])
        for (dir, row) in zip(dirs, rows) {
            let expected = FLOPs.parameters(try DiTConfig.load(URL(fileURLWithPath: dir + "/config.json")))
            XCTAssertEqual(row["parameters"] as? Int, expected, dir)
            let info = try dit(["info", "--model", dir])
            XCTAssertTrue(info.stdout.contains("parameters   \(grouped(expected)) (models.py's model.parameters(): weights, biases, the label table, pos_embed)"), info.stdout)
        }
    }

    func grouped(_ n: Int) -> String {
        let s = String(n)
        return s.enumerated().map { i, ch in i > 0 && (s.count - i) % 3 == 0 ? ",\(ch)" : "\(ch)" }.joined()
    }
}
