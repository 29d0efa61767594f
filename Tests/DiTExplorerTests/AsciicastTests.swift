// asciicast v2: the header, output events with only the rows that changed, and a resize event
// when the screen changes size, so players resize instead of drawing off the edge.
import DiTRender
import Foundation
import XCTest
@testable import DiTExplorer

final class AsciicastTests: XCTestCase {
    func events(_ path: String) throws -> [[Any]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return try lines.dropFirst().map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [Any] }
    }

    func canvas(_ w: Int, _ h: Int, _ text: String) -> Canvas {
        var c = Canvas(width: w, height: h)
        c.put(text, x: 0, y: 0)
        return c
    }

    func testResizeIsAnnouncedAndOnlyChangedRowsAreWritten() throws {
        let path = NSTemporaryDirectory() + "dit-cast-\(ProcessInfo.processInfo.processIdentifier).cast"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cast = try AsciicastWriter(path: path, width: 20, height: 3, title: "t", env: [:])
        cast.frame(canvas(20, 3, "hello"), mode: .ascii, at: 0)
        cast.frame(canvas(20, 3, "hello"), mode: .ascii, at: 0.5)    // unchanged: nothing
        cast.frame(canvas(20, 3, "world"), mode: .ascii, at: 1)
        cast.frame(canvas(30, 4, "wider"), mode: .ascii, at: 2)
        cast.close(at: 3)
        let header = try JSONSerialization.jsonObject(with: Data(try String(contentsOfFile: path, encoding: .utf8)
            .split(separator: "\n")[0].utf8)) as! [String: Any]
        XCTAssertEqual(header["version"] as? Int, 2)
        XCTAssertEqual(header["width"] as? Int, 20)
        let e = try events(path)
        XCTAssertEqual(e.map { $0[1] as! String }, ["o", "o", "r", "o", "o"], "no event for an unchanged frame; r before the wider one")
        XCTAssertEqual(e[2][2] as? String, "30x4")
        XCTAssertEqual(e[2][0] as? Double, 2)
        XCTAssertTrue((e[1][2] as! String).contains("world") && !(e[1][2] as! String).contains("\u{1B}[2J"), "only the changed row, no clear")
        XCTAssertTrue((e[3][2] as! String).contains("\u{1B}[2J"), "a new size clears and redraws")
    }
}
