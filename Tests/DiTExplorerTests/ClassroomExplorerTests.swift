// Issue 27, "Classroom-ready", the explorer's side: status messages readable at every size,
// keys at the ends of their ranges saying so, keys that change nothing here saying so, the
// first screen saying how to play.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class ClassroomExplorerTests: XCTestCase {
    static let sizes = [(80, 24), (60, 20), (160, 48)]

    /// The two status rows at (w, h), joined.
    func status(_ s: ExplorerState, _ w: Int, _ h: Int) -> String {
        let c = Explorer.render(s, width: w, height: h)
        return c.line(h - 2) + "\n" + c.line(h - 1)
    }

    func stepped() -> ExplorerState {
        var s = Fake.state()
        Fake.feed(&s, through: 5)
        _ = Fake.keys(&s, .right, .right, .right, .left)
        return s
    }

    func testMessagesAreNeverCut() {
        var s = stepped()
        _ = Fake.keys(&s, .char("c"))
        for (w, h) in Self.sizes { XCTAssertTrue(status(s, w, h).contains("branched at step 2"), "\(w)×\(h):\n" + status(s, w, h)) }
        _ = Fake.keys(&s, .char("K"))
        for (w, h) in Self.sizes {
            XCTAssertTrue(status(s, w, h).contains("Karras σ are DPM++2M's, Euler's and Heun's: press m"), "\(w)×\(h):\n" + status(s, w, h))
        }
        let dir = "/a/long/export/directory/for/the/classroom/laptop/and/the/projector"
        s.message = "wrote " + ["xt", "x0", "eps"].map { "dit-trajectory-seed0-\($0).npy" }.joined(separator: ", ") + ", dit-attention-step3.npy in " + dir
        XCTAssertTrue(status(s, 160, 48).contains(dir), status(s, 160, 48))
        let small = status(s, 80, 24).replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(small.contains("dit-attention-step3.npy"), small)
        XCTAssertTrue(small.hasSuffix("…") || small.contains(dir), "a message longer than both rows is marked as cut: " + small)
        _ = Fake.keys(&s, .right)
        XCTAssertTrue(status(s, 80, 24).contains("ms/step"), "the fields come back with the next key")
        let narrow = status(s, 60, 20)
        XCTAssertTrue(narrow.contains("NFE \(s.steps.reduce(0) { $0 + $1.nfe }) │"), "at 60 columns whole fields drop, NFE stays whole: " + narrow)
    }

    func testTheFirstScreenSaysSpacePlays() {
        var s = Fake.state()
        _ = Explorer.start(&s)
        for (w, h) in Self.sizes { XCTAssertTrue(status(s, w, h).contains("space plays"), "\(w)×\(h):\n" + status(s, w, h)) }
        _ = Fake.keys(&s, .char(" "))
        XCTAssertFalse(status(s, 80, 24).contains("space plays"))
    }

    func testLimitsAreSaid() {
        var s = stepped()
        func said(_ key: Key, _ text: String, line: UInt = #line) {
            let generation = s.generation
            _ = Fake.keys(&s, key)
            XCTAssertEqual(s.generation, generation, "no branch", line: line)
            XCTAssertTrue(status(s, 80, 24).contains(text), status(s, 80, 24), line: line)
        }
        for _ in 0..<8 { _ = Fake.keys(&s, .char("-")) }
        XCTAssertEqual(s.settings.cfgScale, 0)
        said(.char("-"), "CFG 0 is the least")
        for _ in 0..<8 { _ = Fake.keys(&s, .char("n")) }
        XCTAssertEqual(s.settings.steps, 1000)
        said(.char("n"), "1000 steps is the most here")
        for _ in 0..<8 { _ = Fake.keys(&s, .char("N")) }
        XCTAssertEqual(s.settings.steps, 3, "the cycle reaches 3 and 5 steps (DPM++2M at 5 NFE)")
        said(.char("N"), "3 steps is the least here")
        _ = Fake.keys(&s, .char("n"))
        XCTAssertEqual(s.settings.steps, 5)
        XCTAssertEqual(s.settings.eta, 0)
        said(.char("E"), "η 0.0 is the least here")
    }

    func testGuidanceIntervalAndRampAtCFG1ChangeNothing() {
        var s = stepped()
        for _ in 0..<6 { _ = Fake.keys(&s, .char("-")) }
        XCTAssertEqual(s.settings.cfgScale, 1)
        for key in [Key.char("t"), .char("T"), .char("u")] {
            let before = s.settings, generation = s.generation
            XCTAssertEqual(Fake.keys(&s, key).filter { if case .request = $0 { return true }; return false }.count, 0)
            XCTAssertEqual(s.settings, before)
            XCTAssertEqual(s.generation, generation)
            XCTAssertTrue(status(s, 80, 24).contains("CFG 1 is no guidance"), status(s, 80, 24))
        }
    }

    func testPagingKeysOutsideThePagedPanesSaySo() {
        var s = stepped()
        _ = Fake.keys(&s, .char("3"))
        let page = s.panelPage
        _ = Fake.keys(&s, .char(">"))
        XCTAssertEqual(s.panelPage, page, "pane 1's page unchanged")
        XCTAssertTrue(status(s, 80, 24).contains("nothing to page here"), status(s, 80, 24))
    }

    /// The σ panel's legend keeps its numbers at every size: the labels go first (at 160×48 page
    /// 2 it ran off the screen); the last frame of the strip at the last step is the sample x_0.
    func testSigmaLegendAndTheSampleFrame() {
        var s = Fake.state()
        let sigma = Planes(channels: 1, height: 8, width: 8, values: (0..<64).map { 0.0097 + Float($0) / 21000 })
        for k in 0..<10 {
            var step = Fake.step(k, schedule: s.schedule)
            step.variance = LearnedVariance(fraction: sigma, sigma: sigma, bounds: 0.0099...0.01)
            _ = Explorer.update(&s, .worker(.stepped(generation: s.generation, step)))
        }
        _ = Fake.keys(&s, .end)
        for (w, h) in Self.sizes {
            var paged = s
            var text = ""
            for _ in 0..<4 where !text.contains("σ  learned") { _ = Fake.keys(&paged, .char(">")); text = Explorer.render(paged, width: w, height: h).text }
            guard let line = text.split(separator: "\n").first(where: { $0.contains("σ 0.0097…") }) else { continue }   // not shown at this size
            XCTAssertTrue(line.hasSuffix("in [√β̃ 0.0099, √β 0.0100]") || line.hasSuffix("in [0.0099, 0.0100]") || line.hasSuffix("σ 0.0097…0.0127"),
                          "\(w)×\(h): " + line)
        }
        XCTAssertEqual(s.k, 9)
        let big = Explorer.render(s, width: 160, height: 48).text
        let strip = big.split(separator: "\n").first { $0.contains("x_T ") } ?? ""
        XCTAssertTrue(strip.hasSuffix("x_0") || strip.hasSuffix("x_0 sample"), "the last frame is the sample: " + strip)
        XCTAssertFalse(strip.contains("k=9"))
    }
}
