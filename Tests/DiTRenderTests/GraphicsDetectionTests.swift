import XCTest
@testable import DiTRender

final class GraphicsDetectionTests: XCTestCase {
    let cell = "\u{1B}[6;20;10t"

    func testRepliesParseInAnyOrder() {
        let bytes = Array(("\u{1B}P>|XTerm(379)\u{1B}\\" + "\u{1B}[?1;0;256S" + cell + "\u{1B}[?63;1;2;4;6;9;15;22c").utf8)
        let r = TerminalReplies.parse(bytes)
        XCTAssertEqual(r.primaryAttributes, [63, 1, 2, 4, 6, 9, 15, 22])
        XCTAssertEqual(r.version, "XTerm(379)")
        XCTAssertEqual(r.colorRegisters, 256)
        XCTAssertEqual(r.cellSize, CellGeometry(width: 10, height: 20))
        XCTAssertNil(r.kitty)
        let k = TerminalReplies.parse(Array("x\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;c".utf8))
        XCTAssertEqual(k.kitty, "OK"); XCTAssertEqual(k.primaryAttributes, [62])
        XCTAssertNil(TerminalReplies.parse(Array("\u{1B}[?62;4".utf8)).primaryAttributes, "a reply cut short is no reply")
    }

    func decide(_ replies: String?, env: [String: String] = ["TERM": "xterm-256color"], tty: Bool = true,
                _ request: GraphicsRequest = .auto) -> GraphicsDecision {
        GraphicsDetection.decide(request, env: env, tty: tty, replies: replies.map { TerminalReplies.parse(Array($0.utf8)) })
    }

    func testAutoPicksWhatTheTerminalAnswers() {
        XCTAssertEqual(decide("\u{1B}_Gi=31;OK\u{1B}\\" + cell + "\u{1B}[?62;4c").pixels, .kitty, "kitty first, even where sixel is listed")
        let six = decide("\u{1B}[?1;0;16S" + cell + "\u{1B}[?63;4c")
        XCTAssertEqual(six.pixels, .sixel); XCTAssertEqual(six.maxColors, 16)
        XCTAssertEqual(decide(cell + "\u{1B}[?62;22c", env: ["TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"]).pixels, .iterm)
        XCTAssertNil(decide(cell + "\u{1B}[?62;22c").pixels, "nothing known: cells")
        XCTAssertEqual(decide(cell + "\u{1B}[?62;22c").reasons.last, "no kitty reply, no sixel in DA1, no iTerm2-image terminal known: cells")
    }

    func testAnythingUnclearFallsBackToCells() {
        XCTAssertNil(decide(nil).pixels, "no answer in time")
        XCTAssertTrue(decide(nil).reasons.last!.contains("did not answer"))
        XCTAssertNil(decide("\u{1B}[?63;4c", tty: false).pixels, "not a terminal")
        XCTAssertNil(decide("\u{1B}[?63;4c").pixels, "sixel, but no cell size in pixels")
        XCTAssertEqual(GraphicsDetection.decide(.auto, env: ["TERM": "xterm"], tty: true, replies: TerminalReplies.parse(Array("\u{1B}[?63;4c".utf8)),
                                                windowCell: CellGeometry(width: 9, height: 18)).cellSize, CellGeometry(width: 9, height: 18))
        XCTAssertNil(decide(cell + "\u{1B}[?63;4c", env: ["TERM": "linux"]).pixels)
        XCTAssertNil(decide(cell + "\u{1B}[?63;4c", .cells).pixels)
    }

    func testTmuxNeedsPassthrough() {
        let env = ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "KITTY_WINDOW_ID": "1"]
        let off = decide(cell + "\u{1B}[?62;22c", env: env)   // passthrough off: the kitty query never got out
        XCTAssertNil(off.pixels)
        XCTAssertTrue(off.reasons.last!.contains("allow-passthrough on"), off.reasons.last!)
        let on = decide("\u{1B}_Gi=31;OK\u{1B}\\" + cell + "\u{1B}[?62;22c", env: env)
        XCTAssertEqual(on.pixels, .kitty); XCTAssertTrue(on.passthrough)
        XCTAssertEqual(decide(nil, env: env, tty: false, .kitty).passthrough, true, "asked for: wrapped for tmux")
        XCTAssertFalse(decide(nil, env: env, tty: false, .sixel).passthrough, "tmux ≥ 3.4 draws sixel itself")
        XCTAssertTrue(TerminalReplies.queries(tmux: true).starts(with: Array("\u{1B}[>0q\u{1B}Ptmux;\u{1B}\u{1B}_G".utf8)))
        XCTAssertTrue(TerminalReplies.queries(tmux: false).suffix(3).elementsEqual(Array("\u{1B}[c".utf8)), "DA1 last")
    }

    func testPlacementsGoStaleUnderText() {
        var c = Canvas(width: 20, height: 10)
        let r = Raster(width: 8, height: 8) { x, y in RGB(grey: Double(x + y) / 14) }
        Blit.fitted(r, into: &c, rect: Rect(x: 0, y: 0, width: 20, height: 10), mode: .truecolor)
        XCTAssertEqual(c.visibleImages.count, 1)
        XCTAssertEqual(c.visibleImages[0].raster, r, "the source image, not the cells' enlargement")
        XCTAssertEqual(c.visibleImages[0].cells, Rect(x: 2, y: 0, width: 16, height: 8))
        var over = c
        over.put("help", x: 5, y: 3)
        XCTAssertTrue(over.visibleImages.isEmpty, "text over the image: no pixels")
        over = c
        over.put("caption", x: 0, y: 9)
        XCTAssertEqual(over.visibleImages.count, 1, "text beside it changes nothing")
        let g = CellGeometry(width: 10, height: 20)
        XCTAssertEqual(g.zoom(width: 8, height: 8, cols: 16, rows: 8), 20)
        XCTAssertEqual(g.zoom(width: 32, height: 32, cols: 30, rows: 15), 9)
        XCTAssertEqual(g.cells(width: 288, height: 288).cols, 29); XCTAssertEqual(g.cells(width: 288, height: 288).rows, 15)
        XCTAssertEqual(r.scaled(by: 3)[5, 7], r[1, 2])
    }
}
