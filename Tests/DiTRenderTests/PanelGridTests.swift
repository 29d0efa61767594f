import XCTest
@testable import DiTRender

final class PanelGridTests: XCTestCase {
    /// Whether m images of w×h at zoom k fit the area in some number of rows (the grid's rule,
    /// written out again by brute force).
    func fits(_ m: Int, _ w: Int, _ h: Int, zoom k: Int, _ area: Rect, caption: Int = 1, footer: Int = 1, gap: Int = 2) -> Bool {
        let cols = w * k, rows = (h * k + 1) / 2
        return (1...m).contains { r in
            let c = (m + r - 1) / r
            return c * cols + (c - 1) * gap <= area.width && r * (caption + rows + footer) <= area.height
        }
    }

    func testTheShippedModelsPanelsAtTheFourScreenSizes() {
        // The Denoising pane's five 32×32 panels in the rows it has at 160×48: four at 1×, paged.
        let g160 = PanelGrid(image: 32, 32, count: 5, in: Rect(x: 0, y: 2, width: 160, height: 30))
        XCTAssertEqual([g160.zoom, g160.perPage, g160.columns, g160.rows, g160.pages], [1, 4, 4, 1, 2])
        XCTAssertTrue(g160.paged)
        XCTAssertEqual(g160.image(1), Rect(x: 40, y: 3, width: 32, height: 16), "slots share the width: 38 columns and a gap of 2")
        XCTAssertEqual([0, 1, 2, -1].map(g160.first(page:)), [0, 1, 0, 1], "the last page ends with the last panel; pages wrap")
        // 240×67: all five at 1×; with x_t, ε̂, x̂0 kept together, those three at 2× (64×32 cells
        // each) and v, σ on the next page; three alone (the guidance view) at 2×.
        let g240 = PanelGrid(image: 32, 32, count: 5, in: Rect(x: 0, y: 2, width: 240, height: 49))
        XCTAssertEqual([g240.zoom, g240.perPage, g240.rows], [1, 5, 1])
        let three240 = PanelGrid(image: 32, 32, count: 5, in: Rect(x: 0, y: 2, width: 240, height: 49), together: 3)
        XCTAssertEqual([three240.zoom, three240.perPage, three240.rows, three240.pages], [2, 3, 1, 2])
        XCTAssertEqual([0, 1].map(three240.first(page:)), [0, 2])
        // Together 3 changes nothing where three do not fit at 2× (160×48: four at 1×).
        let three160 = PanelGrid(image: 32, 32, count: 5, in: Rect(x: 0, y: 2, width: 160, height: 30), together: 3)
        XCTAssertEqual([three160.zoom, three160.perPage], [1, 4])
        let three = PanelGrid(image: 32, 32, count: 3, in: Rect(x: 0, y: 2, width: 240, height: 49))
        XCTAssertEqual([three.zoom, three.perPage], [2, 3])
        XCTAssertEqual(three.image(1).width, 64)
        XCTAssertEqual(three.image(1).height, 32)
        XCTAssertEqual(three.height, 34)
        // 100×35: three of five at 1×, exactly the width.
        let g100 = PanelGrid(image: 32, 32, count: 5, in: Rect(x: 0, y: 2, width: 100, height: 26))
        XCTAssertEqual([g100.zoom, g100.perPage, g100.columns], [1, 3, 3])
        XCTAssertEqual(g100.image(2).maxX, 100)
        // 80×24: not even one at 1× (15 rows for caption, 16 image rows and a footer): all five shrunk.
        let g80 = PanelGrid(image: 32, 32, count: 5, in: Rect(x: 0, y: 2, width: 80, height: 15))
        XCTAssertEqual([g80.zoom, g80.perPage, g80.columns, g80.pages], [0, 5, 5, 1])
        XCTAssertEqual(g80.pixels.width, 14)
        XCTAssertFalse(g80.paged)
        let three80 = PanelGrid(image: 32, 32, count: 5, in: Rect(x: 0, y: 2, width: 80, height: 15), together: 3)
        XCTAssertEqual([three80.zoom, three80.perPage, three80.pixels.width], [0, 3, 25], "three a page, shrunk to 25 px")
    }

    func testRowsWhenTheyGiveALargerZoom() {
        // Tall and narrow: three 32-px images in two rows at 1× rather than shrunk in one.
        let g = PanelGrid(image: 32, 32, count: 3, in: Rect(x: 0, y: 0, width: 80, height: 40))
        XCTAssertEqual([g.zoom, g.perPage, g.columns, g.rows], [1, 3, 2, 2])
        XCTAssertEqual(g.slot(2).y, 18)
        XCTAssertEqual(g.height, 36)
    }

    func testZoomIsTheLargestThatFitsAndNothingOverlaps() {
        for n in 1...6 { for together in Set([n, 3, 1]) {
            for (w, h) in [(8, 8), (32, 32), (16, 8)] {
                for width in stride(from: 10, through: 250, by: 17) {
                    for height in stride(from: 3, through: 70, by: 7) {
                        let area = Rect(x: 1, y: 2, width: width, height: height)
                        let g = PanelGrid(image: w, h, count: n, in: area, together: together)
                        let tag = "\(n)×\(w)×\(h) in \(width)×\(height), \(together) together"
                        let least = min(n, together)
                        if g.zoom >= 1 {
                            XCTAssertEqual(g.pixels.width, w * g.zoom, tag)
                            XCTAssertEqual(g.pixels.height, h * g.zoom, tag)
                            XCTAssertTrue(fits(g.perPage, w, h, zoom: g.zoom, area), tag)
                            XCTAssertFalse(fits(min(least, g.perPage), w, h, zoom: g.zoom + 1, area), tag + ": a larger zoom fits")
                            if g.paged { XCTAssertFalse(fits(g.perPage + 1, w, h, zoom: g.zoom, area), tag + ": a larger page fits") }
                            if g.perPage < least { XCTAssertFalse(fits(least, w, h, zoom: 1, area), tag) }
                            XCTAssertLessThanOrEqual(g.height, area.height, tag)
                        } else {
                            XCTAssertFalse(fits(1, w, h, zoom: 1, area), tag + ": 1× fits but the grid shrinks")
                            XCTAssertEqual(g.perPage, least, tag)
                        }
                        let images = (0..<g.perPage).map(g.image)
                        for (i, r) in images.enumerated() where !r.isEmpty {
                            XCTAssertTrue(r.x >= area.x && r.maxX <= area.maxX && r.y >= area.y && r.maxY <= area.maxY, "\(tag): \(r)")
                            XCTAssertTrue(g.slot(i).contains(r.x, r.y - 1), "\(tag): caption row over the image")
                            for s in images[(i + 1)...] {
                                XCTAssertTrue(r.maxX <= s.x || s.maxX <= r.x || r.maxY <= s.y || s.maxY <= r.y, "\(tag): \(r) and \(s)")
                            }
                        }
                    }
                }
            }
        } }
    }

    func testPixelBackendsKeepTheWholeNumberRatio() {
        // The cells of a 32×32 image at zoom k hold it at k times the cell width in pixels
        // (cells of 10×20 px: 10·k), the ratio the pixel protocols then draw.
        for k in 1...3 {
            let g = PanelGrid(image: 32, 32, count: 1, in: Rect(x: 0, y: 0, width: 32 * k, height: 16 * k + 2))
            XCTAssertEqual(g.zoom, k)
            let cells = g.image(0)
            XCTAssertEqual(CellGeometry(width: 10, height: 20).zoom(width: 32, height: 32, cols: cells.width, rows: cells.height), 10 * k)
            XCTAssertEqual(CellGeometry(width: 9, height: 18).zoom(width: 32, height: 32, cols: cells.width, rows: cells.height), 9 * k)
        }
    }

    func testDrawRecordsTheSourceImage() {
        let r = Raster(width: 4, height: 4) { x, y in RGB(UInt8(x * 60), UInt8(y * 60), 0) }
        let g = PanelGrid(image: 4, 4, count: 2, in: Rect(x: 0, y: 0, width: 20, height: 6), caption: 1, footer: 0)
        XCTAssertEqual(g.zoom, 2)
        var c = Canvas(width: 20, height: 6)
        g.draw(r, at: 1, into: &c, mode: .truecolor)
        XCTAssertEqual(c.images.map(\.cells), [g.image(1)])
        XCTAssertEqual(c.images.first?.raster, r, "the backend gets the image at its own size")
        XCTAssertEqual(c[g.image(1).x + 2, 1], Cell("▀", fg: r[1, 0], bg: r[1, 0]), "nearest neighbour: pixel (1, 0) in a 2×2 block")
    }
}
