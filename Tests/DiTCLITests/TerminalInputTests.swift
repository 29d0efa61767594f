// The terminal's pure parts, in the executable that alone uses them: escape sequences after Esc,
// and the private cache directory the "-direct" terminfo is compiled into.
import DiTExplorer
import Foundation
import XCTest
@testable import dit

final class TerminalInputTests: XCTestCase {
    func testUnknownEscapeSequencesAreIgnored() {
        XCTAssertEqual(EscapeSequence.key(after: []), .escape)
        XCTAssertEqual(EscapeSequence.key(after: Array("[1~")), .home, "tmux's Home under xterm-256color")
        XCTAssertEqual(EscapeSequence.key(after: Array("[4~")), .end)
        XCTAssertEqual(EscapeSequence.key(after: Array("OA")), .up)
        for unknown in ["x", "[15~", "[1;5C", "[", "[200~"] {
            XCTAssertNil(EscapeSequence.key(after: Array(unknown)), unknown)
        }
        XCTAssertTrue(EscapeSequence.isComplete(Array("x")), "Alt-x")
        XCTAssertFalse(EscapeSequence.isComplete(Array("[1")))
        XCTAssertTrue(EscapeSequence.isComplete(Array("[1;5C")))
        XCTAssertFalse(EscapeSequence.isComplete(Array("O")))
    }

    func testUserCacheIsPrivate() throws {
        let base = NSTemporaryDirectory() + "dit-cache-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = try XCTUnwrap(UserCache.directory("terminfo/xterm", environment: ["XDG_CACHE_HOME": base]))
        XCTAssertEqual(dir, base + "/dit/terminfo/xterm")
        let mode = try FileManager.default.attributesOfItem(atPath: base + "/dit")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o700)
        XCTAssertTrue(UserCache.isPrivate(dir))
        chmod(dir, 0o777)   // planted or opened up by someone: not trusted
        XCTAssertNil(UserCache.directory("terminfo/xterm", environment: ["XDG_CACHE_HOME": base]))
        XCTAssertEqual(UserCache.directory("x", environment: ["HOME": base]), base + "/.cache/dit/x")
        XCTAssertNil(UserCache.directory("x", environment: [:]))
    }
}
