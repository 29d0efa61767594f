import XCTest
@testable import DiTRender

final class CanvasTests: XCTestCase {
    func testPutClipsAndDropsOutOfBounds() {
        var c = Canvas(width: 6, height: 2)
        let end = c.put("hello world", x: 1, y: 0)
        XCTAssertEqual(end, 6)
        c.put("x", x: -1, y: 1); c.put("y", x: 9, y: 1); c.put("z", x: 0, y: 5)
        XCTAssertEqual(c.text, " hello\n")
    }

    func testWideGlyphsTakeTwoColumns() {
        var c = Canvas(width: 5, height: 2)
        XCTAssertEqual(c.put("日本", x: 0, y: 0), 4)
        XCTAssertTrue(c[1, 0].isWideTail)
        XCTAssertEqual(c.put("日本", x: 2, y: 1), 5, "a wide glyph straddling the edge becomes a space")
        XCTAssertEqual(c.text, "日本\n  日")
        XCTAssertEqual(TextWidth.of("a日é"), 4)   // é precomposed: 1 column
        XCTAssertEqual(TextWidth.of("e\u{301}"), 1, "combining accent takes no column")
    }

    func testTruncateAndPad() {
        XCTAssertEqual(TextWidth.truncate("Sneaker", to: 5), "Snea…")
        XCTAssertEqual(TextWidth.truncate("Bag", to: 5), "Bag")
        XCTAssertEqual(TextWidth.pad("日本語", to: 5), "日本…")
        XCTAssertEqual(TextWidth.pad("ab", to: 4), "ab  ")
    }

    func testRectSplits() {
        let r = Rect(x: 2, y: 3, width: 10, height: 4)
        let (top, rest) = r.splitTop(1)
        XCTAssertEqual(top, Rect(x: 2, y: 3, width: 10, height: 1))
        XCTAssertEqual(rest, Rect(x: 2, y: 4, width: 10, height: 3))
        XCTAssertEqual(r.splitLeft(20).1.width, 0)
        XCTAssertTrue(r.contains(11, 6)); XCTAssertFalse(r.contains(12, 6))
    }

    func testANSISerialisesStyleRunsPerMode() {
        var c = Canvas(width: 3, height: 1)
        c.put("ab", x: 0, y: 0, fg: RGB(255, 0, 0), attrs: .bold)
        c.put("c", x: 2, y: 0, bg: RGB(128, 128, 128))
        XCTAssertEqual(c.ansi(mode: .truecolor), "\u{1B}[0;1;38;2;255;0;0mab\u{1B}[0;48;2;128;128;128mc\u{1B}[0m\n")
        XCTAssertEqual(c.ansi(mode: .palette256), "\u{1B}[0;1;38;5;196mab\u{1B}[0;48;5;244mc\u{1B}[0m\n")
        XCTAssertEqual(c.ansi(mode: .ascii), "\u{1B}[0;1mab\u{1B}[0mc\u{1B}[0m\n")
    }
}
