// Display width and line breaking: the columns a terminal gives each character, and wrapping
// that never lets a line run past its width, in English, Japanese and both mixed.
import XCTest
@testable import DiTRender

final class TextWrapTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual(TextWidth.of("Patchify"), 8)
        XCTAssertEqual(TextWidth.of("パッチ化"), 8, "katakana and kanji are wide")
        XCTAssertEqual(TextWidth.of("、。「」（）"), 12, "full-width punctuation")
        XCTAssertEqual(TextWidth.of("ＡＢ"), 4, "full-width Latin")
        XCTAssertEqual(TextWidth.of("DiTは8×8"), 8)
        XCTAssertEqual(TextWidth.of("e\u{301}"), 1, "a combining accent adds nothing")
        XCTAssertEqual(TextWidth.of(Unicode.Scalar(0x3099)!), 0, "combining kana voicing mark")
        XCTAssertEqual(TextWidth.of(Unicode.Scalar(0x0951)!), 0, "Devanagari stress sign (a mark outside U+0300…036F)")
        XCTAssertEqual(TextWidth.of("ε̂"), 1)
    }

    func testEnglishBreaksAtSpaces() {
        let lines = TextWidth.wrap("halving p quadruples the number of tokens", width: 12)
        XCTAssertEqual(lines, ["halving p", "quadruples", "the number", "of tokens"])
        XCTAssertEqual(TextWidth.wrap("a\n\nb", width: 5), ["a", "", "b"], "blank lines are kept")
        XCTAssertEqual(TextWidth.wrap("abcdefgh", width: 3), ["abc", "def", "gh"], "a word longer than a line is cut")
        XCTAssertEqual(TextWidth.wrap("x", width: 0), [])
    }

    func testJapaneseBreaksBetweenCharactersWithKinsoku() {
        let text = "拡散モデルは、ノイズから画像を少しずつ取り出す。トークンの数はT＝(I/p)²です。"
        for width in 4...30 {
            let lines = TextWidth.wrap(text, width: width)
            XCTAssertEqual(lines.joined(), text, "nothing lost or added at width \(width)")
            for line in lines {
                XCTAssertLessThanOrEqual(TextWidth.of(line), width, "'\(line)' at width \(width)")
                if let first = line.first { XCTAssertFalse("、。）」ー".contains(first), "'\(line)' starts with \(first)") }
            }
        }
        // 10 columns hold five wide characters; the sixth (、) may not start a line, so it pulls
        // the ideograph before it down with it.
        XCTAssertEqual(TextWidth.wrap("拡散モデルは、ノイズ", width: 10), ["拡散モデル", "は、ノイズ"])
        XCTAssertEqual(TextWidth.wrap("「画像」を", width: 4), ["「画", "像」", "を"], "no line ends with 「")
    }

    func testMixedScripts() {
        let lines = TextWidth.wrap("DiT-S/8 のトークンは 16 個、Gflops は 0.36 です。", width: 14)
        for line in lines { XCTAssertLessThanOrEqual(TextWidth.of(line), 14, line) }
        XCTAssertTrue(lines.contains { $0.contains("DiT-S/8") }, "an English word is not split: \(lines)")
        XCTAssertTrue(lines.contains { $0.contains("0.36") }, "\(lines)")
        XCTAssertFalse(lines.contains { $0.hasPrefix(" ") }, "no line starts with the space of a break")
    }

    func testCanvasKeepsWideGlyphsWhole() {
        var c = Canvas(width: 8, height: 1)
        c.put("日本語", x: 0, y: 0)
        c.put("x", x: 1, y: 0)          // over the tail of 日: the head is blanked, not left dangling
        XCTAssertEqual(c.text, " x本語")
        XCTAssertFalse(c[1, 0].isWideTail)
        c.put("y", x: 2, y: 0)          // over the head of 本: its tail goes too
        XCTAssertEqual(c.text, " xy 語")
        XCTAssertFalse(c[3, 0].isWideTail)
        c.put("漢", x: 5, y: 0)          // a wide glyph over the tail of 語
        XCTAssertEqual(c.text, " xy  漢")
        XCTAssertTrue(c[6, 0].isWideTail)
    }
}
