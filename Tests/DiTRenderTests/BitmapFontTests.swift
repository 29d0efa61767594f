import XCTest
@testable import DiTRender

final class BitmapFontTests: XCTestCase {
    func testGlyphTableAndText() {
        XCTAssertEqual(BitmapFont.glyphs.count, 95 * 5, "printable ASCII, 5 columns each")
        XCTAssertEqual(BitmapFont.size("ab", scale: 2).width, 22)
        var r = Raster(width: 20, height: 9)
        r.draw(text: "|", x: 0, y: 0, color: .white)
        let lit = (0..<9).filter { r[2, $0] == .white }
        XCTAssertEqual(lit, Array(0..<7), "'|' is the middle column, 7 rows")
        XCTAssertEqual(r.pixels.filter { $0 == .white }.count, 7)
        var q = Raster(width: 20, height: 9)
        q.draw(text: "é", x: 0, y: 0, color: .white)
        var question = Raster(width: 20, height: 9)
        question.draw(text: "?", x: 0, y: 0, color: .white)
        XCTAssertEqual(q, question, "non-ASCII draws as '?'")
        r.draw(text: "clipped", x: 15, y: 5, color: .white, scale: 3)   // past the edges: clipped, no trap
        r.fill(x: 30, y: 30, width: 5, height: 5, .white)
        r.fill(x: -5, y: -5, width: 2, height: 2, .white)
    }

    func testLabelledGridLaysOutTilesAndLabels() {
        let tile = Raster(width: 10, height: 6, fill: RGB(9, 9, 9))
        let g = LabelledGrid.compose(tiles: [[tile, tile, tile], [tile, tile, tile]], rowLabels: ["a", "bb"],
                                     columnLabels: ["x", "y", "z"], title: nil, gap: 1)
        let left = BitmapFont.size("bb").width + 4, top = BitmapFont.lineHeight + 2
        XCTAssertEqual(g.width, left + 3 * 11 + 1)
        XCTAssertEqual(g.height, top + 2 * 7 + 1)
        XCTAssertEqual(g[left + 1, top + 1], RGB(9, 9, 9), "first tile")
        XCTAssertEqual(g[left + 1 + 2 * 11 + 9, top + 1 + 7 + 5], RGB(9, 9, 9), "last tile's last pixel")
        XCTAssertTrue((0..<top).contains { y in (left..<g.width).contains { g[$0, y] == .white } }, "column labels drawn")
        XCTAssertEqual(LabelledGrid.compose(tiles: [], rowLabels: [], columnLabels: []).width, 0)
    }
}
