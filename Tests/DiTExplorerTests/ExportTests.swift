// Exports: the files open in standard decoders with the pictures the views draw, arrays
// round-trip through the NPY reader, the screen keeps its colours as SGR, failures are reported.
@testable import DiT
import DiTRender
import Foundation
import TestSupport
import XCTest
@testable import DiTExplorer

final class ExportTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "dit-export-\(ProcessInfo.processInfo.processIdentifier)-\(name.filter(\.isLetter))"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// The fake model at step 3 of 6, steps 0…4 computed.
    func state(_ pane: Pane = .denoising) -> ExplorerState {
        var s = Fake.state(steps: 6, mode: .truecolor)
        Fake.feed(&s, through: 5)
        _ = Fake.keys(&s, .right, .right, .right)
        s.pane = pane
        return s
    }

    func written(_ report: String) throws -> [String] {
        XCTAssertTrue(report.hasPrefix("wrote "), report)
        let parts = report.dropFirst(6).components(separatedBy: " in ")   // several files: their names, then the directory once
        let names = parts[0].components(separatedBy: ", ").flatMap { name -> [String] in   // "a-{x,y}.npy": a-x.npy, a-y.npy
            guard let open = name.firstIndex(of: "{"), let close = name.firstIndex(of: "}") else { return [name] }
            let head = name[..<open], tail = name[name.index(after: close)...]
            return name[name.index(after: open)..<close].split(separator: ",").map { String(head + $0 + tail) }
        }
        return parts.count == 2 ? names.map { parts[1] + "/" + $0 } : names
    }

    func testPanePNGsDecodeToTheViewsPictures() throws {
        for pane in Pane.allCases {
            let s = state(pane)
            let report = Exporter(directory: dir).write(.png, s, screen: (100, 35))
            if pane == .calculator || pane == .compare {   // numbers, or other models: no picture of its own (issue 27)
                XCTAssertTrue(report.hasPrefix("w: this pane shows no picture"), report)
                continue
            }
            let paths = try written(report)
            let named = pane == .forward ? Pane.denoising : pane   // no real image in the fake: the grid, named as such
            XCTAssertEqual(paths, [dir + "/dit-\(String(describing: named).lowercased())-step3.png"])
            let expected = ExportImages.pane(s)
            XCTAssertGreaterThanOrEqual(expected.width, 256, "enlarged to be legible")
            XCTAssertEqual(try Decoders.file(paths[0]), "PNG image data, \(expected.width) x \(expected.height), 8-bit/color RGB, non-interlaced")
            if let png = try Decoders.pillow(paths[0]) {
                XCTAssertEqual(png.rgb, expected.rgbBytes, "\(pane): Pillow decodes the exported pixels")
            }
        }
        // The denoising grid is x_t | ε̂ | x̂0 of step 3, each pixel a block of `scale` pixels.
        let s = state(), k = ExportImages.scale(s), grid = ExportImages.pane(s)
        XCTAssertEqual(grid.width, 3 * 8 * k + 4 * k)
        XCTAssertEqual(grid[k + 5 * k, k + 2 * k], RGB(grey: (Double(s.xt.at(0, 2, 5)) + 1) / 2))
        XCTAssertEqual(grid[k + 2 * (8 * k + k) + 5 * k + k - 1, k + 2 * k], RGB(grey: (Double(s.view!.predX0.at(0, 2, 5)) + 1) / 2))
    }

    func testTrajectoryGIFHasAFramePerStepAndLoops() throws {
        let s = state()
        let paths = try written(Exporter(directory: dir).write(.gif, s, screen: (100, 35)))
        XCTAssertEqual(paths, [dir + "/dit-trajectory-seed0.gif"])
        let frames = ExportImages.trajectoryFrames(s)
        XCTAssertEqual(frames.count, 6, "5 computed steps, then the sample")
        XCTAssertEqual(try Decoders.file(paths[0]), "GIF image data, version 89a, \(frames[0].width) x \(frames[0].height)")
        guard let gif = try Decoders.pillow(paths[0]) else { return }
        XCTAssertEqual(gif.frames, 6)
        XCTAssertEqual(gif.loop, 0, "loops forever")
        XCTAssertEqual(gif.durations, [100, 100, 100, 100, 100, 1500])
        XCTAssertEqual(gif.rgb, frames.flatMap(\.rgbBytes), "grey images: the palette is exact")
    }

    func testManyColoursGetAMedianCutPalette() throws {
        // 512 distinct colours: not exact any more, but close to the original.
        var rgb: [UInt8] = []
        for i in 0..<512 { rgb += [UInt8(i % 256), UInt8((i / 2) % 256), i < 256 ? 10 : 240] }
        let (palette, indexed) = GIF.index([rgb])
        XCTAssertEqual(palette.count, 3 * 256)
        var error = 0
        for p in 0..<512 {
            let i = Int(indexed[0][p])
            for n in 0..<3 { error = max(error, abs(Int(palette[3 * i + n]) - Int(rgb[3 * p + n]))) }
        }
        XCTAssertLessThanOrEqual(error, 8)
        let path = dir + "/many.gif"
        try GIF.write(rgbFrames: [rgb], width: 32, height: 16, delays: [5], to: path)
        XCTAssertEqual(try Decoders.file(path), "GIF image data, version 89a, 32 x 16")
        guard let gif = try Decoders.pillow(path) else { return }
        XCTAssertEqual(gif.rgb.count, rgb.count)
        XCTAssertLessThanOrEqual(zip(gif.rgb, rgb).map { abs(Int($0) - Int($1)) }.max() ?? 0, 8)
        XCTAssertNotEqual(gif.rgb, rgb)
    }

    /// Issue 16, defect 4: 256 greys on the panel colour (257 colours, as the explorer's
    /// trajectory frames have) stay grey, and the file is written 0644 (umask 022) as PNGs are.
    func testGreysOnThePanelStayGreyAndTheFileIsReadable() throws {
        var rgb: [UInt8] = []
        for i in 0..<256 { rgb += [UInt8(i), UInt8(i), UInt8(i)] }
        for _ in 0..<256 { rgb += [RGB.panel.r, RGB.panel.g, RGB.panel.b] }
        let (palette, frames) = GIF.index([rgb])
        for p in 0..<512 {
            let i = Int(frames[0][p]), c = Array(palette[3 * i..<3 * i + 3]), want = Array(rgb[3 * p..<3 * p + 3])
            if p < 256 {
                XCTAssertEqual(c[0], c[1], "grey \(p) stays grey: \(c)"); XCTAssertEqual(c[1], c[2])
                XCTAssertLessThanOrEqual(abs(Int(c[0]) - p), 1)
            } else { XCTAssertEqual(c, want, "the panel is exact") }
        }
        let old = umask(0o022)
        defer { umask(old) }
        let path = dir + "/greys.gif"
        try GIF.write(rgbFrames: [rgb], width: 32, height: 16, delays: [5], to: path)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o644)
    }

    func testNPYRoundTripsThroughTheReader() throws {
        let s = state()
        let report = Exporter(directory: dir).write(.npy, s, screen: (100, 35))
        XCTAssertEqual(report, "wrote dit-trajectory-seed0-{xt,x0,eps}.npy, dit-attention-step3.npy in \(dir)", "short enough to read (issue 27)")
        let paths = try written(report)
        XCTAssertEqual(paths.map { ($0 as NSString).lastPathComponent },
                       ["dit-trajectory-seed0-xt.npy", "dit-trajectory-seed0-x0.npy", "dit-trajectory-seed0-eps.npy", "dit-attention-step3.npy"])
        let xt = try NPY.read(paths[0]), x0 = try NPY.read(paths[1]), eps = try NPY.read(paths[2]), att = try NPY.read(paths[3])
        XCTAssertEqual(xt.shape, [6, 1, 8, 8])
        XCTAssertEqual(xt.array, ([s.current.xT] + s.steps.map(\.next)).flatMap(\.values))
        XCTAssertEqual(x0.shape, [5, 1, 8, 8])
        XCTAssertEqual(x0.array, s.steps.flatMap(\.predX0.values))
        XCTAssertEqual(eps.array, s.steps.flatMap(\.eps.values))
        let T = Fake.config.tokenCount
        XCTAssertEqual(att.shape, [Fake.config.depth, Fake.config.numHeads, T, T])
        XCTAssertEqual(att.array, s.view!.attention!.flatMap { $0 })
    }

    func testANSIScreenKeepsColoursAndText() throws {
        let s = state()
        let paths = try written(Exporter(directory: dir).write(.ansi, s, screen: (100, 35)))
        XCTAssertEqual(paths, [dir + "/dit-screen-step3.ans"])
        let text = try String(contentsOfFile: paths[0], encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 35)
        XCTAssertTrue(text.contains("\u{1B}[0;1;38;2;255;200;60mstep k = 3 of 6"), "bold accent SGR before the step line")
        XCTAssertTrue(text.contains("48;2;40;44;52m"), "the panel background")
        XCTAssertTrue(text.contains("▀"), "half-block pixels")
        let plain = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        XCTAssertEqual(plain, Explorer.render(s, width: 100, height: 35).text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0 + String(repeating: " ", count: 100 - TextWidth.of(String($0))) }.joined(separator: "\n") + "\n")
    }

    func testFailuresAreReportedNotThrown() throws {
        let s = state()
        let missing = dir + "/no/such/dir"
        let report = Exporter(directory: missing).write(.png, s, screen: (100, 35))
        XCTAssertTrue(report.hasPrefix("export failed: \(missing): "), report)
        let fresh = Fake.state(steps: 6)   // nothing computed
        XCTAssertTrue(Exporter(directory: dir).write(.gif, fresh, screen: (100, 35)).contains("no step computed yet"))
        XCTAssertTrue(Exporter(directory: dir).write(.npy, fresh, screen: (100, 35)).contains("no step computed yet"))
    }

    func testKeysAskForExportsAndTheReportIsShown() {
        var s = state()
        XCTAssertEqual(Fake.keys(&s, .char("w")), [.export(.png)])
        XCTAssertEqual(Fake.keys(&s, .char("g")), [.export(.gif)])
        XCTAssertEqual(Fake.keys(&s, .char("o")), [.export(.npy)])
        XCTAssertEqual(Fake.keys(&s, .char("A")), [.export(.ansi)])
        _ = Explorer.update(&s, .exported("wrote /tmp/x.png"))
        XCTAssertEqual(s.message, "wrote /tmp/x.png")
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).text.contains("wrote /tmp/x.png"))
        var help = s
        _ = Fake.keys(&help, .char("?"))
        XCTAssertTrue(Explorer.render(help, width: 100, height: 50).text.contains("export: pane PNG, trajectory GIF"))
    }

    /// Issue 27: exports are named by what they show: the Forward pane by its t, not the
    /// sampler's step; lesson 8 (the Calculator) has no picture and says so, writing nothing.
    func testExportsAreNamedByWhatTheyShow() throws {
        var s = state(.forward)
        s.forward = ForwardState(real: ForwardViewTests.real)
        s.forward.t = 300
        XCTAssertEqual(try written(Exporter(directory: dir).write(.png, s, screen: (80, 24))), [dir + "/dit-forward-t300.png"])
        var lesson = state()
        _ = Fake.keys(&lesson, .char("L"), .char("8"))
        XCTAssertEqual(lesson.lesson.chapter, .scaling)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir)
        XCTAssertTrue(Exporter(directory: dir).write(.png, lesson, screen: (80, 24)).contains("no picture"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), before, "nothing written")
    }

    func testExportsFromALessonTakeTheChaptersPane() throws {
        var s = state()
        _ = Fake.keys(&s, .char("L"), .char("5"))
        XCTAssertTrue(s.lesson.open)
        XCTAssertEqual(s.lesson.chapter, .transformerBlock)
        XCTAssertEqual(Fake.keys(&s, .char("w")), [.export(.png)])
        XCTAssertEqual(Fake.keys(&s, .char("G")), [.export(.gif)])
        XCTAssertEqual(Fake.keys(&s, .char("o")), [.export(.npy)])
        XCTAssertEqual(Fake.keys(&s, .char("A")), [.export(.ansi)])
        XCTAssertEqual(s.lesson.language, .en)
        _ = Fake.keys(&s, .char("g"))
        XCTAssertEqual(s.lesson.language, .ja, "g still switches the language in a lesson")
        let png = try written(Exporter(directory: dir).write(.png, s, screen: (100, 35)))
        XCTAssertEqual(png, [dir + "/dit-attention-step3.png"], "the chapter's pane, whatever the explorer showed")
        var attention = s
        attention.pane = .attention
        XCTAssertEqual(try Decoders.file(png[0]).hasPrefix("PNG image data, \(ExportImages.pane(attention).width) x"), true)
        let ansi = try written(Exporter(directory: dir).write(.ansi, s, screen: (100, 35)))
        let text = try String(contentsOfFile: ansi[0], encoding: .utf8)
        XCTAssertTrue(text.contains("5/9"), "the lesson's screen, as shown")
    }
}
