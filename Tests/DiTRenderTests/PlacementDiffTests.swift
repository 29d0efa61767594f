// The pixel backends' bookkeeping without a terminal: which images a new frame deletes, which
// rows it repaints, which images it draws and which stay.
import DiTRender
import XCTest

final class PlacementDiffTests: XCTestCase {
    /// A canvas with an image of `size` pixels placed in each rect, and its visible placements.
    func placements(_ rects: [Rect], size: Int = 8) -> [ImagePlacement] {
        var c = Canvas(width: 40, height: 20)
        for (i, r) in rects.enumerated() {
            let raster = Raster(width: size, height: size, fill: RGB(UInt8(10 * i + 10), 0, 0))
            c.place(raster, cells: r)
        }
        return c.visibleImages
    }

    func testAnUnchangedFrameDrawsNothing() {
        let p = placements([Rect(x: 0, y: 0, width: 8, height: 4)])
        let shown = [ShownImage(id: 1, placement: p[0])]
        for layered in [true, false] {
            let d = PlacementDiff(shown: shown, wanted: p, layered: layered)
            XCTAssertEqual(d.kept, shown); XCTAssertTrue(d.drawn.isEmpty)
            XCTAssertTrue(d.deleted.isEmpty); XCTAssertTrue(d.repaintedRows.isEmpty)
        }
    }

    func testKittyDeletesWhatIsGoneByID() {
        let old = placements([Rect(x: 0, y: 0, width: 8, height: 4), Rect(x: 10, y: 0, width: 8, height: 4)])
        let new = placements([Rect(x: 0, y: 0, width: 8, height: 4), Rect(x: 10, y: 6, width: 8, height: 4)])
        let d = PlacementDiff(shown: [ShownImage(id: 1, placement: old[0]), ShownImage(id: 2, placement: old[1])], wanted: new, layered: true)
        XCTAssertEqual(d.deleted, [2])
        XCTAssertEqual(d.drawn, [new[1]])
        XCTAssertEqual(d.kept.map(\.id), [1])
        XCTAssertTrue(d.repaintedRows.isEmpty, "kitty's images are a layer of their own")
    }

    func testSixelRepaintsTheRowsOfAGoneImageAndRedrawsWhatSharedThem() {
        let old = placements([Rect(x: 0, y: 0, width: 8, height: 4), Rect(x: 10, y: 2, width: 8, height: 4), Rect(x: 20, y: 10, width: 8, height: 4)])
        let new = [old[1], old[2]]   // the first goes; the second shares rows 2–3 with it
        let shown = old.enumerated().map { ShownImage(id: UInt32($0.offset + 1), placement: $0.element) }
        let d = PlacementDiff(shown: shown, wanted: new, layered: false)
        XCTAssertEqual(d.repaintedRows, [0..<4])
        XCTAssertEqual(d.drawn, [old[1]], "painted over by the repaint: drawn again")
        XCTAssertEqual(d.kept.map(\.id), [3])
        XCTAssertTrue(d.deleted.isEmpty)
    }

    func testSixelSkipsTheRepaintWhenANewImageCoversTheSameCells() {
        let old = placements([Rect(x: 0, y: 0, width: 8, height: 4)])
        var c = Canvas(width: 40, height: 20)
        c.place(Raster(width: 8, height: 8, fill: RGB(200, 0, 0)), cells: Rect(x: 0, y: 0, width: 8, height: 4))
        let new = c.visibleImages
        XCTAssertNotEqual(new, old)
        let d = PlacementDiff(shown: [ShownImage(id: 1, placement: old[0])], wanted: new, layered: false)
        XCTAssertTrue(d.repaintedRows.isEmpty, "the new image covers every old pixel")
        XCTAssertEqual(d.drawn, new)
        XCTAssertTrue(d.kept.isEmpty)
    }
}
