// The Denoising pane at the screen sizes a classroom meets: images at whole-number zoom in
// cells, `z` showing one panel alone as large as fits, thumbnails and the timeline in place,
// and the image placements a pixel backend gets (never under text, inside the screen).
import DiT
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
            // The next whole-number zoom (image and the footer under it) would not fit above the thumbnails' labels.
            let k = big[0].cells.width / side, top = min(thumbs(all).map(\.y).min() ?? h, Layout(width: w, height: h).timeline.y)
            XCTAssertTrue((k + 1) * side > w || 3 + (k + 1) * side / 2 + 1 > top - 1, "\(w)×\(h): \(k)× leaves room")
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

/// The shipped models' shape (32×32, learned σ: five panels) at the four sizes: every panel at a
/// whole-number zoom whenever 1× fits, the largest that keeps x_t, ε̂, x̂0 together, paged with
/// > < when not all fit, inside its slot, under its caption, over nothing that is text.
final class ShippedLayoutTests: XCTestCase {
    static let config: DiTConfig = {
        var c = Fake.config
        c.inputSize = 32; c.patchSize = 8
        return c
    }()
    static let titles = ["x_t  noisy input", "ε̂  predicted noise", "x̂0  predicted clean image",
                         "v  log σ² from β̃ (0) to β (1)", "σ  learned std. deviation"]

    /// Steps 0…3 computed with v and σ, step k on screen.
    func state(k: Int = 3) -> ExplorerState {
        var s = Fake.state(mode: .truecolor, model: ModelSummary(name: "fake-32", config: Self.config, parameters: 1, hasNullClass: true))
        let ramp = (0..<1024).map { Float($0) / 1023 }
        for j in 0..<4 {
            var step = Fake.step(j, schedule: s.schedule, config: Self.config)
            step.variance = LearnedVariance(fraction: Planes(channels: 1, height: 32, width: 32, values: ramp),
                                            sigma: Planes(channels: 1, height: 32, width: 32, values: ramp.map { 0.1 + $0 / 10 }),
                                            bounds: 0.1...0.2)
            _ = Explorer.update(&s, .worker(.stepped(generation: s.generation, step)))
        }
        s.k = k
        return s
    }

    /// The panels' images (the row under the captions), left to right.
    func panels(_ c: Canvas) -> [ImagePlacement] { c.visibleImages.filter { $0.cells.y == 3 }.sorted { $0.cells.x < $1.cells.x } }

    /// Every placement is still as drawn (nothing wrote over it), holds only image cells, and
    /// overlaps no other; each panel's caption is in full on the row above its left edge.
    func checkNoOverlap(_ c: Canvas, titles: [String], _ tag: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(c.visibleImages.count, c.images.count, "\(tag): text over an image", file: file, line: line)
        for (i, p) in c.images.enumerated() {
            for y in p.cells.y..<p.cells.maxY { for x in p.cells.x..<p.cells.maxX where c[x, y].glyph != "▀" {
                XCTFail("\(tag): text inside image \(p.cells) at (\(x), \(y))", file: file, line: line); return
            } }
            for q in c.images[(i + 1)...] {
                let apart = p.cells.maxX <= q.cells.x || q.cells.maxX <= p.cells.x || p.cells.maxY <= q.cells.y || q.cells.maxY <= p.cells.y
                XCTAssertTrue(apart, "\(tag): \(p.cells) overlaps \(q.cells)", file: file, line: line)
            }
        }
        for (p, title) in zip(panels(c), titles) {
            XCTAssertTrue(String(c.line(2).dropFirst(p.cells.x)).hasPrefix(title), "\(tag): '\(title)' over \(p.cells): \(c.line(2))", file: file, line: line)
        }
    }

    func testFiveShippedPanelsAtTheFourSizes() {
        // (width, height, zoom, panels on the first page); zoom 0: even one panel at 1× does not fit.
        let expected = [(80, 24, 0, 3), (100, 35, 1, 3), (160, 48, 1, 4), (240, 67, 2, 3)]
        for (w, h, k, n) in expected {
            var s = state()
            let tag = "\(w)×\(h)", layout = Layout(width: w, height: h)
            let c = Explorer.render(s, width: w, height: h)
            let shown = panels(c)
            XCTAssertEqual(shown.count, n, tag)
            for p in shown {
                if k > 0 {
                    XCTAssertEqual([p.cells.width, p.cells.height], [32 * k, 16 * k], "\(tag): whole-number zoom \(k)")
                    // A pixel backend shows them at k times its cell width (cells of 10 × 20 px: 10·k).
                    XCTAssertEqual(CellGeometry(width: 10, height: 20).zoom(width: 32, height: 32, cols: p.cells.width, rows: p.cells.height), 10 * k)
                } else {
                    XCTAssertLessThan(p.cells.height, 16, tag)
                    // 1× does not fit: caption, 16 rows and the legend between the info row and the timeline.
                    XCTAssertGreaterThan(1 + 16 + 1, layout.timeline.y - 2, tag)
                }
                XCTAssertLessThanOrEqual(p.cells.maxY, layout.timeline.y, "\(tag): over the timeline")
                XCTAssertLessThanOrEqual(p.cells.maxX, w, tag)
            }
            checkNoOverlap(c, titles: k > 0 ? Self.titles : [], tag)
            // The page note, and > to the last page (which ends with σ); the thumbnails and the timeline stay.
            XCTAssertTrue(c.line(1).hasSuffix("< 1–\(n) of 5 >"), "\(tag): \(c.line(1))")
            _ = Fake.keys(&s, .char(">"))
            let next = Explorer.render(s, width: w, height: h)
            XCTAssertTrue(next.line(1).hasSuffix("< \(6 - n)–5 of 5 >"), "\(tag): \(next.line(1))")
            checkNoOverlap(next, titles: k > 0 ? Array(Self.titles.suffix(n)) : [], tag + " page 2")
            XCTAssertEqual(panels(next).map(\.cells), shown.map(\.cells), "\(tag): the same slots")
            for y in layout.timeline.y..<h { XCTAssertEqual(next.line(y), c.line(y), "\(tag): row \(y)") }
            XCTAssertEqual(next.visibleImages.filter { $0.cells.y > 3 }.map(\.cells), c.visibleImages.filter { $0.cells.y > 3 }.map(\.cells),
                           "\(tag): thumbnails")
            _ = Fake.keys(&s, .char(">"))
            XCTAssertEqual(Explorer.render(s, width: w, height: h).text, c.text, "\(tag): two pages, > wraps")
            _ = Fake.keys(&s, .char("<"), .char("<"))
            XCTAssertEqual(Explorer.render(s, width: w, height: h).text, c.text, "\(tag): < goes back")
            // z: x̂0 alone, at least as large, in the same rows.
            _ = Fake.keys(&s, .char("z"))
            let z = Explorer.render(s, width: w, height: h)
            let big = panels(z)
            XCTAssertEqual(big.count, 1, tag)
            XCTAssertGreaterThanOrEqual(big[0].cells.width, shown[0].cells.width, tag)
            if k > 0 { XCTAssertEqual(big[0].cells.width % 32, 0, tag) }
            checkNoOverlap(z, titles: k > 0 ? [Self.titles[2]] : [], tag + " zoomed")
            for y in layout.timeline.y..<h { XCTAssertEqual(z.line(y), c.line(y), "\(tag): row \(y)") }
        }
    }

    func testThreePanelsAreTwiceAsLargeAt240x67() {
        // The guidance view (ε_cond, ε_uncond, the term) and a fixed-σ model: three panels, 2× at 240×67.
        var g = state(k: 2)
        _ = Fake.keys(&g, .char("G"))
        var fixed = Self.config
        fixed.learnSigma = false
        var f = Fake.state(mode: .truecolor, model: ModelSummary(name: "fixed-32", config: fixed, parameters: 1, hasNullClass: true))
        Fake.feed(&f, through: 3)
        for s in [g, f] {
            for (w, h, k) in [(100, 35, 1), (160, 48, 1), (240, 67, 2)] {
                let c = Explorer.render(s, width: w, height: h)
                XCTAssertEqual(panels(c).map(\.cells.width), [32 * k, 32 * k, 32 * k], "\(w)×\(h)")
                XCTAssertFalse(c.line(1).contains(" of 3 >"), "all three on one page")
                checkNoOverlap(c, titles: [], "\(w)×\(h)")
            }
        }
    }

    func testForwardPanelsAtTheFourSizes() {
        var s = state()
        let img = { (n: Int) in Planes(channels: 1, height: 32, width: 32, values: (0..<1024).map { Float(($0 % 32 + $0 / 32 + n) % 32) / 16 - 1 }) }
        s.forward = ForwardState(real: RealImages(images: [img(0), img(1)], labels: [0, 1], source: "fake-32"))
        _ = Fake.keys(&s, .char("6"))
        let eps = try! XCTUnwrap(s.forward.eps)
        let half = Planes(channels: 1, height: 32, width: 32, values: eps.values.map { -$0 / 2 })
        _ = Explorer.update(&s, .worker(.forward(.predicted(id: s.forward.ids.predict,
            ForwardPrediction(t: s.forward.t, epsCond: half, epsNull: half, mseCond: 1, mseNull: 1)))))
        let titles = ["x_0 real", "ε noise", "x_t  t=\(s.forward.t)", "ε̂ y=0", "ε̂ ∅ null", "(ε̂−ε)²"]
        // The six images get up to 2/5 of the pane's rows: 1× fits there from 160×48 on.
        for (w, h, k, n) in [(80, 24, 0, 6), (100, 35, 0, 6), (160, 48, 1, 4), (240, 67, 1, 6)] {
            var f = s
            let tag = "Forward \(w)×\(h)"
            let c = Explorer.render(f, width: w, height: h)
            let shown = panels(c)
            XCTAssertEqual(shown.count, n, tag)
            for p in shown where k > 0 { XCTAssertEqual([p.cells.width, p.cells.height], [32 * k, 16 * k], tag) }
            checkNoOverlap(c, titles: titles, tag)
            guard n < 6 else { XCTAssertFalse(c.line(1).contains(" of 6 >"), tag); continue }
            XCTAssertTrue(c.line(1).hasSuffix("< 1–\(n) of 6 >"), "\(tag): \(c.line(1))")
            let t = f.forward.t
            _ = Fake.keys(&f, .char(">"))
            XCTAssertEqual(f.forward.t, t, "> pages, it does not move t")
            let next = Explorer.render(f, width: w, height: h)
            XCTAssertTrue(next.line(1).hasSuffix("< \(7 - n)–6 of 6 >"), "\(tag): \(next.line(1))")
            checkNoOverlap(next, titles: Array(titles.suffix(n)), tag + " page 2")
        }
    }

    func testCompareRowsAtTheFourSizes() {
        var s = state()
        s.comparison = ComparisonState(entries: ["S/8", "S/4", "S/2"].map {
            CompareEntry(name: "dit-\($0)", preset: "DiT-\($0)", gflops: 1, parameters: 1)
        })
        _ = Fake.keys(&s, .char("7"))
        for k in 0..<s.stepCount { for m in 0..<3 {
            _ = Explorer.update(&s, .worker(.compare(.stepped(id: s.comparison.id, model: m, k: k,
                                                             predX0: Fake.step(k, schedule: s.schedule, config: Self.config).predX0))))
        } }
        // Three models' rows: 1× needs 17 rows each, which only 240×67 has; six steps across there.
        for (w, h, whole, cols) in [(80, 24, false, 5), (100, 35, false, 4), (160, 48, false, 7), (240, 67, true, 6)] {
            let tag = "Compare \(w)×\(h)"
            let c = Explorer.render(s, width: w, height: h)
            let rows = Dictionary(grouping: c.visibleImages, by: \.cells.y)
            XCTAssertEqual(rows.count, 3, tag)
            XCTAssertEqual(Set(rows.values.map(\.count)), [cols], tag)
            for p in c.visibleImages {
                if whole { XCTAssertEqual([p.cells.width, p.cells.height], [32, 16], tag) }
                else { XCTAssertLessThan(p.cells.height, 16, tag); XCTAssertGreaterThan(17 * 3, h - 3 - 2, tag) }
                XCTAssertTrue(c.line(p.cells.y - 1).dropFirst(p.cells.x).hasPrefix("k=") || c.line(p.cells.y - 1).dropFirst(p.cells.x).hasPrefix("x0"),
                              "\(tag): the step over \(p.cells)")
            }
            checkNoOverlap(c, titles: [], tag)
        }
    }

    /// In every pane, at every size: an image larger than its pixels is a whole-number zoom of
    /// them (nearest neighbour), never stretched by a fraction; none overlaps another or text.
    func testEveryPaneEnlargesByWholeNumbersOnly() {
        var s = state()
        for pane in Pane.allCases {
            s.pane = pane
            for (w, h) in ZoomLayoutTests.sizes {
                let c = Explorer.render(s, width: w, height: h), tag = "\(pane) \(w)×\(h)"
                for p in c.images where p.cells.width >= p.raster.width {
                    let k = p.cells.width / p.raster.width
                    XCTAssertEqual(p.cells.width, k * p.raster.width, "\(tag): \(p.cells) for \(p.raster.width) px")
                    XCTAssertEqual(p.cells.height, (k * p.raster.height + 1) / 2, "\(tag): \(p.cells) for \(p.raster.height) px")
                }
                checkNoOverlap(c, titles: [], tag)
            }
        }
    }
}
