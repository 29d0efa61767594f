import XCTest
@testable import DiTRender

final class BlitTests: XCTestCase {
    func testResizeNearestUpAreaDown() {
        let r = Raster(width: 2, height: 1) { x, _ in x == 0 ? .black : .white }
        XCTAssertEqual(r.resized(width: 4, height: 2).pixels, [.black, .black, .white, .white, .black, .black, .white, .white])
        let big = Raster(width: 4, height: 2) { x, _ in x % 2 == 0 ? .black : .white }
        XCTAssertEqual(big.resized(width: 2, height: 1).pixels, [RGB(128, 128, 128), RGB(128, 128, 128)], "area average")
    }

    func testFitPrefersIntegerEnlargement() {
        XCTAssertEqual(Blit.fit(width: 32, height: 32, cols: 100, rows: 35).width, 64)   // 2×: 64 cols, 32 rows
        XCTAssertEqual(Blit.fit(width: 32, height: 32, cols: 32, rows: 16).width, 32)
        XCTAssertEqual(Blit.fit(width: 32, height: 32, cols: 31, rows: 40).width, 31, "shrinks when it must")
        XCTAssertEqual(Blit.fit(width: 32, height: 32, cols: 0, rows: 10).width, 0)
        let (cells, px) = Blit.placement(width: 8, height: 8, in: Rect(x: 10, y: 2, width: 20, height: 8))
        XCTAssertEqual(px.width, 16)
        XCTAssertEqual(cells, Rect(x: 12, y: 2, width: 16, height: 8), "centred horizontally, at the top")
    }

    func testHalfBlocksCarryTwoPixels() {
        let r = Raster(width: 2, height: 3) { x, y in RGB(UInt8(x * 100), UInt8(y * 50), 0) }
        var c = Canvas(width: 2, height: 2)
        Blit.draw(r, into: &c, x: 0, y: 0, mode: .truecolor)
        XCTAssertEqual(c[1, 0], Cell("▀", fg: RGB(100, 0, 0), bg: RGB(100, 50, 0)))
        XCTAssertEqual(c[0, 1], Cell("▀", fg: RGB(0, 100, 0), bg: nil), "odd height: the last row has no lower pixel")
    }

    func testASCIIRampFollowsLuminance() {
        let r = Raster(width: 10, height: 2) { x, _ in RGB(grey: Double(x) / 9) }
        var c = Canvas(width: 10, height: 1)
        Blit.draw(r, into: &c, x: 0, y: 0, mode: .ascii)
        XCTAssertEqual(c.text, " .:-=+*#%@")   // luminance i/9 -> ramp index ⌊10·i/9⌋
    }

    func testWidgets() {
        var c = Canvas(width: 12, height: 4)
        let inside = Widgets.box(&c, Rect(x: 0, y: 0, width: 12, height: 3), title: "keys")
        XCTAssertEqual(inside, Rect(x: 1, y: 1, width: 10, height: 1))
        Widgets.bar(&c, x: 0, y: 3, width: 4, fraction: 0.5625, ascii: false)   // 18 eighths: ██▎ + empty
        XCTAssertEqual(c.text, "┌ keys ────┐\n│          │\n└──────────┘\n██▎")
        var a = Canvas(width: 4, height: 1)
        Widgets.bar(&a, x: 0, y: 0, width: 4, fraction: 0.5, ascii: true)
        XCTAssertEqual(a.text, "##--")
        var l = Canvas(width: 12, height: 1)
        Widgets.legend(&l, x: 0, y: 0, width: 12, map: .viridis, lo: "0", hi: "1", ascii: true)
        XCTAssertEqual(l.text, "0  .:=+#%@ 1")   // 8 cells at t = i/7
    }
}
