// The Denoising pane at the screen sizes a classroom meets: images at whole-number zoom in
// cells, `z` showing one panel alone as large as fits, thumbnails and the timeline in place,
// and the image placements a pixel backend gets (never under text, inside the screen).
import DiTRender
import XCTest
@testable import DiTExplorer

final class ZoomLayoutTests: XCTestCase {
    static let sizes = [(80, 24), (100, 35), (160, 48), (240, 67)]

    func testZoomKeepsThumbnailsAndTimelineInPlace() {
        var s = Fake.state(mode: .truecolor)
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .right, .right, .right)
        let side = s.model.config.inputSize
        let thumbs = { (c: Canvas) in c.visibleImages.filter { $0.cells.y > 3 }.map(\.cells) }
        for (w, h) in Self.sizes {
            s.zoom = nil
            let all = Explorer.render(s, width: w, height: h)
            let panels = all.visibleImages.filter { $0.cells.y == 3 }   // the row under the captions
            XCTAssertGreaterThanOrEqual(panels.count, 3, "\(w)×\(h): x_t, ε̂, x̂0 (v, σ where computed)")
            _ = Fake.keys(&s, .char("z"))
            XCTAssertEqual(s.zoom, 2)
            let zoomed = Explorer.render(s, width: w, height: h)
            XCTAssertTrue(zoomed.text.contains("x̂0  predicted clean image"))
            XCTAssertFalse(zoomed.text.contains("x_t  noisy input"))
            let big = zoomed.visibleImages.filter { $0.cells.y == 3 }
            XCTAssertEqual(big.count, 1, "\(w)×\(h)")
            // Whole-number zoom in cells (side·k columns, side·k/2 rows), larger than unzoomed.
            XCTAssertEqual(big[0].cells.width % side, 0, "\(w)×\(h): \(big[0].cells)")
            XCTAssertEqual(big[0].cells.height * 2, big[0].cells.width)
            XCTAssertGreaterThanOrEqual(big[0].cells.width, panels[2].cells.width, "\(w)×\(h)")
            // The next whole-number zoom would not fit above the thumbnails.
            let k = big[0].cells.width / side, top = min(thumbs(all).map(\.y).min() ?? h, Layout(width: w, height: h).timeline.y)
            XCTAssertTrue((k + 1) * side > w - 2 || 3 + (k + 1) * side / 2 > top - 1, "\(w)×\(h): \(k)× leaves room")
            let lastRows = (zoomed.height - 16)..<zoomed.height
            for y in lastRows where y >= Layout(width: w, height: h).timeline.y {
                XCTAssertEqual(zoomed.line(y), all.line(y), "\(w)×\(h): row \(y) (timeline, class strip, status) moved")
            }
            XCTAssertEqual(thumbs(zoomed), thumbs(all), "\(w)×\(h): thumbnails")
            for p in zoomed.visibleImages + all.visibleImages {
                XCTAssertTrue(p.cells.maxX <= w && p.cells.maxY <= h - 2, "\(w)×\(h): \(p.cells) inside the body")
            }
            _ = Fake.keys(&s, .char("z"), .char("z"), .char("z"))
            XCTAssertNil(s.zoom, "z cycles x̂0, x_t, ε̂, all")
        }
    }

    func testHelpOverlayLeavesNoImageUnderIt() {
        var s = Fake.state(mode: .truecolor)
        Fake.feed(&s, through: 10)
        for (w, h) in Self.sizes {
            s.showHelp = true
            let c = Explorer.render(s, width: w, height: h)
            let box = c.images.filter { !c.visibleImages.contains($0) }
            XCTAssertFalse(box.isEmpty, "\(w)×\(h): the overlay covers some image")
            for p in c.visibleImages {   // what is still shown is outside the box's cells
                XCTAssertFalse((p.cells.y..<p.cells.maxY).contains { y in (p.cells.x..<p.cells.maxX).contains { c[$0, y].bg == RGB.panel } })
            }
            s.showHelp = false
        }
    }
}
