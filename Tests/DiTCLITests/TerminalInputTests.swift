// The terminal's pure parts, in the executable that alone uses them: key codes, escape sequences
// after Esc, the colour table, and the private cache directory the "-direct" terminfo goes into.
import DiTExplorer
import CNcurses
import DiTRender
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

    func testCursesKeyCodes() {
        XCTAssertEqual(CursesKeys.key(character: 9), .tab)
        XCTAssertEqual(CursesKeys.key(character: 13), .enter)
        XCTAssertEqual(CursesKeys.key(character: 127), .backspace)
        XCTAssertEqual(CursesKeys.key(character: 0x3042), .char("あ"))
        XCTAssertEqual(CursesKeys.key(function: KEY_NPAGE), .pageDown)
        XCTAssertEqual(CursesKeys.key(function: KEY_BTAB), .backTab)
        XCTAssertNil(CursesKeys.key(function: KEY_F0 + 1))
    }

    func testPaletteColours() {
        var p = TerminalPalette()
        XCTAssertEqual(p.color(nil, .truecolor, pixel: nil), -1, "the terminal's default")
        XCTAssertEqual(p.color(RGB(1, 2, 3), .ascii, pixel: nil), -1)
        XCTAssertEqual(p.color(RGB(0, 0, 0), .truecolor, pixel: nil), 8, "black is not an ANSI colour in a direct terminfo")
        XCTAssertEqual(p.color(RGB(0x12, 0x34, 0x56), .truecolor, pixel: nil), 0x123456)
        XCTAssertEqual(p.color(RGB(255, 0, 0), .palette256, pixel: nil), Int32(XTerm256.index(RGB(255, 0, 0))))
        XCTAssertEqual(p.color(RGB(100, 100, 100), .palette256, pixel: (1, 2)), Int32(XTerm256.index(RGB(100, 100, 100), ditherX: 1, y: 2)))
        XCTAssertEqual(p.glyph("▀"), [wchar_t(0x2580), 0])
    }
}
