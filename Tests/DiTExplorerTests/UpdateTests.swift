// update() driven headless with key sequences: no terminal, no thread.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class UpdateTests: XCTestCase {
    func request(_ effects: [Effect]) -> WorkerRequest? {
        effects.compactMap { if case .request(let r) = $0 { return r } else { return nil } }.last
    }

    func testStartAsksForTheFirstStep() {
        var s = Fake.state()
        XCTAssertEqual(request(Explorer.start(&s)), WorkerRequest(generation: 0, lineage: [Segment(start: 0, settings: s.settings)], target: 1))
        XCTAssertTrue(s.busy)
    }

    func testStepForwardAheadOfTheSamplerCatchesUp() {
        var s = Fake.state()
        _ = Explorer.start(&s)
        let effects = Fake.keys(&s, .right, .right, .right)
        XCTAssertEqual(s.k, 0, "nothing computed yet: k waits")
        XCTAssertEqual(s.goal, 3)
        XCTAssertEqual(request(effects)?.target, 4, "steps 0…3 requested")
        Fake.feed(&s, through: 2)
        XCTAssertEqual(s.k, 2, "k follows the steps as they arrive")
        Fake.feed(&s, through: 4)
        XCTAssertEqual(s.k, 3)
        XCTAssertNil(s.goal)
    }

    func testStepBackAndJumps() {
        var s = Fake.state()
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .end)
        XCTAssertEqual(s.k, 9)
        _ = Fake.keys(&s, .left, .char(","))
        XCTAssertEqual(s.k, 7)
        _ = Fake.keys(&s, .home, .left)
        XCTAssertEqual(s.k, 0)
        _ = Fake.keys(&s, .end, .right)
        XCTAssertEqual(s.k, 9)
        XCTAssertEqual(s.message, "last step: its x_{t−1} is the sample x_0")
    }

    func testEndFollowsTheSampler() {
        var s = Fake.state()
        Fake.feed(&s, through: 2)
        XCTAssertEqual(request(Fake.keys(&s, .end))?.target, 10)
        XCTAssertTrue(s.follow)
        var seen: [Int] = []
        for n in [4, 6, 10] { Fake.feed(&s, through: n); seen.append(s.k) }
        XCTAssertEqual(seen, [3, 5, 9], "k is always the newest step")
        XCTAssertFalse(s.follow)
    }

    func testChangingTheClassBranchesAtK() {
        var s = Fake.state()
        Fake.feed(&s, through: 6)
        _ = Fake.keys(&s, .right, .right, .right, .right)
        let r = request(Fake.keys(&s, .char("c")))
        XCTAssertEqual(s.label, 1)
        XCTAssertEqual(s.steps.count, 4, "steps 0..<k kept")
        XCTAssertEqual(s.other?.steps.count, 6, "the old branch stays for comparison")
        XCTAssertEqual(s.current.fork, 4)
        var first = s.settings
        first.labels = [0]
        XCTAssertEqual(r, WorkerRequest(generation: 1, lineage: [Segment(start: 0, settings: first), Segment(start: 4, settings: s.settings)],
                                        target: 5), "the worker is told which settings ran where")
        // A late step of the old branch is dropped; the new branch's is kept.
        _ = Explorer.update(&s, .worker(.stepped(generation: 0, Fake.step(4, schedule: s.schedule))))
        XCTAssertEqual(s.steps.count, 4)
        Fake.feed(&s, through: 5)
        XCTAssertEqual(s.steps.count, 5)
        XCTAssertEqual(s.message, "branched at step 4")
        // C goes back, wrapping through the null class.
        _ = Fake.keys(&s, .char("C"), .char("C"))   // 1 -> 0 -> 3
        XCTAssertEqual(s.label, 3)
        XCTAssertEqual(s.model.className(3), "∅ null class")
    }

    func testQuickKeyRunsKeepTheLastComputedBranchForComparison() {
        var s = Fake.state()
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .char("+"), .char("+"), .char("+"))
        XCTAssertEqual(s.settings.cfgScale, 5.5)
        XCTAssertEqual(s.other?.settings.cfgScale, 4, "branches with nothing past the fork do not replace it")
        XCTAssertEqual(s.generation, 3)
    }

    func testSeedAndStepsRestartFromXT() {
        var s = Fake.state()
        Fake.feed(&s, through: 5)
        _ = Fake.keys(&s, .right, .right)
        let oldXT = s.current.xT
        let r = request(Fake.keys(&s, .char("s")))
        XCTAssertEqual(s.settings.seed, 1)
        XCTAssertEqual(s.k, 0); XCTAssertEqual(s.steps.count, 0)
        XCTAssertNotEqual(s.current.xT, oldXT)
        XCTAssertEqual(s.current.xT, Planes(NoiseSource(seed: 1).initial(shape: [1, 1, 8, 8])), "the sampler's own x_T")
        XCTAssertEqual(r?.lineage, [Segment(start: 0, settings: s.settings)])
        _ = Fake.keys(&s, .char("n"))
        XCTAssertEqual(s.stepCount, 25)
        _ = Fake.keys(&s, .char("N"), .char("N"), .char("N"), .char("N"), .char("N"))
        XCTAssertEqual(s.stepCount, 3, "no fewer than the smallest choice")
    }

    func testGuidanceAndEtaLimits() {
        var s = Fake.state()
        for _ in 0..<10 { _ = Fake.keys(&s, .char("-")) }
        XCTAssertEqual(s.settings.cfgScale, 0)
        _ = Fake.keys(&s, .char("m"))
        XCTAssertEqual(s.settings.kind, .ddpm)
        XCTAssertTrue(Fake.keys(&s, .char("e")).isEmpty)
        XCTAssertEqual(s.message, "η is DDIM's: press m for DDIM")
        _ = Fake.keys(&s, .char("M"), .char("e"), .char("e"), .char("E"))
        XCTAssertEqual(s.settings.eta, 0.1, accuracy: 1e-6)

        var model = Fake.model
        model.hasNullClass = false
        var u = Fake.state(model: model)
        XCTAssertTrue(Fake.keys(&u, .char("+")).isEmpty)
        XCTAssertEqual(u.message, "this model has no null class: guidance unavailable (CFG 1)")
    }

    func testCompareAndSwapBranches() {
        var s = Fake.state()
        XCTAssertTrue(Fake.keys(&s, .char("b")).isEmpty)
        XCTAssertEqual(s.message, "no other branch yet: change a parameter first")
        Fake.feed(&s, through: 8)
        _ = Fake.keys(&s, .right, .right, .right, .char("c"))
        Fake.feed(&s, through: 6)
        _ = Fake.keys(&s, .char("2"), .char("b"))
        XCTAssertTrue(s.compare)
        XCTAssertEqual(s.pane, .denoising, "comparison lives in the Denoising pane")
        let r = request(Fake.keys(&s, .char("x")))
        XCTAssertEqual(s.label, 0)
        XCTAssertEqual(s.steps.count, 8, "the other branch's steps show at once")
        XCTAssertEqual(s.other?.label(), 1)
        XCTAssertEqual(r, WorkerRequest(generation: 2, lineage: [Segment(start: 0, settings: s.settings)], target: 8))
    }

    func testPatchCursorKeysAndMouse() {
        var s = Fake.state()
        XCTAssertEqual(s.token, 2 * 4 + 2)
        _ = Fake.keys(&s, .char("l"), .char("l"), .char("l"), .char("k"))
        XCTAssertEqual(s.cursorX, 7, "clamped to the image")
        XCTAssertEqual(s.token, 1 * 4 + 3)
        _ = Fake.keys(&s, .char("2"))
        let layout = Layout(width: 100, height: 35)
        let (cells, px) = Blit.placement(width: 8, height: 8, in: layout.mainImage)
        let scale = px.width / 8
        // The cell showing pixel (1, 5): patch (row 2, col 0).
        _ = Explorer.update(&s, .click(x: cells.x + 1 * scale, y: cells.y + 5 * scale / 2, width: 100, height: 35))
        XCTAssertEqual(s.cursorX, 1); XCTAssertEqual(s.cursorY, 5)
        XCTAssertEqual(s.token, 2 * 4 + 0)
        let tab = layout.tabs[2].1
        _ = Explorer.update(&s, .click(x: tab.x + 1, y: 0, width: 100, height: 35))
        XCTAssertEqual(s.pane, .attention)
    }

    func testClickingTheTimelineJumps() {
        var s = Fake.state()
        Fake.feed(&s, through: 4)
        let layout = Layout(width: 100, height: 35)
        let bars = layout.timeline.y + 1
        _ = Explorer.update(&s, .click(x: layout.timelineColumn(step: 2, of: 10), y: bars, width: 100, height: 35))
        XCTAssertEqual(s.k, 2)
        let effects = Explorer.update(&s, .click(x: layout.timelineColumn(step: 8, of: 10), y: bars, width: 100, height: 35))
        XCTAssertEqual(s.k, 4, "waits at the first uncomputed step")
        XCTAssertEqual(s.goal, 8)
        XCTAssertEqual(request(effects)?.target, 9)
    }

    func testBlocksHeadsModesAndOverlays() {
        var s = Fake.state()
        _ = Fake.keys(&s, .char("["))
        XCTAssertEqual(s.block, 1, "wraps")
        _ = Fake.keys(&s, .char("}"), .char("}"))
        XCTAssertEqual(s.head, 0, "2 heads: wraps")
        _ = Fake.keys(&s, .char("a"))
        XCTAssertEqual(s.attentionMode, .mean)
        _ = Fake.keys(&s, .char("}"))
        XCTAssertEqual(s.attentionMode, .head, "picking a head shows that head")
        _ = Fake.keys(&s, .char("p"))
        XCTAssertEqual(s.gridPatch, 4, "model p = 2, then 4, 8")
        _ = Fake.keys(&s, .char("p"), .char("p"))
        XCTAssertNil(s.overlayPatch)
        _ = Fake.keys(&s, .char("i"), .char("v"), .tab, .backTab, .backTab)
        XCTAssertEqual(s.source, .predX0)
        XCTAssertEqual(s.colorMode, .truecolor)
        XCTAssertEqual(s.pane, .compare, "back-tab from the first pane wraps to the last")
        s.truecolorAvailable = false
        _ = Fake.keys(&s, .char("v"), .char("v"), .char("v"))
        XCTAssertEqual(s.colorMode, .palette256, "truecolour → 256 → ASCII → 256: no 24-bit terminal, skipped")
    }

    func testPlayAdvancesOnTicksAndStops() {
        var s = Fake.state()
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .char(" "))
        XCTAssertTrue(s.playing)
        _ = Explorer.update(&s, .tick(now: 1.0))
        _ = Explorer.update(&s, .tick(now: 1.01))
        XCTAssertEqual(s.k, 1, "one step per play interval")
        for i in 2...20 { _ = Explorer.update(&s, .tick(now: 1.0 + Double(i) * 0.1)) }
        XCTAssertEqual(s.k, 9)
        XCTAssertFalse(s.playing)
        _ = Fake.keys(&s, .char(" "))
        XCTAssertEqual(s.k, 0, "play at the end starts over")
    }

    func testHelpEscapeAndQuit() {
        var s = Fake.state()
        _ = Fake.keys(&s, .char("?"))
        XCTAssertTrue(s.showHelp)
        XCTAssertTrue(Fake.keys(&s, .escape).isEmpty)
        XCTAssertFalse(s.showHelp); XCTAssertFalse(s.quit)
        XCTAssertEqual(Fake.keys(&s, .char("q")), [.quit])
        XCTAssertTrue(s.quit)
    }

    func testWorkerFailureStopsPlayAndShows() {
        var s = Fake.state()
        _ = Fake.keys(&s, .char(" "))
        _ = Explorer.update(&s, .worker(.failed(generation: 0, "boom")))
        XCTAssertEqual(s.failure, "boom"); XCTAssertFalse(s.playing); XCTAssertFalse(s.busy)
        XCTAssertNotNil(request(Fake.keys(&s, .right)), "a new request retries")
    }

    func testDroppedAttentionIsAskedForAgain() {
        var s = Fake.state()
        let full = Fake.step(0, schedule: s.schedule).attention!
        s.attentionBudget = 2 * full.reduce(0) { $0 + $1.count }
        Fake.feed(&s, through: 5)
        XCTAssertNil(s.steps[1].attention)
        XCTAssertNil(request(Fake.keys(&s, .right))?.probe, "the Denoising pane needs no attention")
        let r = request(Fake.keys(&s, .char("3")))
        XCTAssertEqual(r?.probe, 1)
        XCTAssertTrue(Fake.keys(&s, .char("]")).isEmpty, "asked once")
        _ = Explorer.update(&s, .worker(.probed(generation: 7, k: 1, attention: full)))
        XCTAssertNil(s.steps[1].attention, "a stale answer is dropped")
        _ = Explorer.update(&s, .worker(.probed(generation: 0, k: 1, attention: full)))
        XCTAssertEqual(s.steps[1].attention, full)
        XCTAssertNil(s.probe)
        XCTAssertEqual(s.steps.map { $0.attention != nil }.filter { $0 }.count, 2, "still within the budget")
    }

    /// Lesson 5 draws the Attention view: it asks for dropped attention as the pane does, and a
    /// lesson chapter drawing no attention asks for none, whatever pane is under it.
    func testLessonFiveAsksForDroppedAttention() {
        var s = Fake.state()
        let full = Fake.step(0, schedule: s.schedule).attention!
        s.attentionBudget = 2 * full.reduce(0) { $0 + $1.count }
        Fake.feed(&s, through: 5)
        s.k = 1
        s.pane = .attention
        s.lesson = LessonState(chapter: .sampling, open: true)
        XCTAssertEqual(s.onScreen, OnScreen(pane: .denoising, chapter: .sampling))
        XCTAssertNil(request(Explorer.update(&s, .resize(width: 100, height: 35)))?.probe, "chapter 7 shows no attention")
        s.pane = .denoising
        s.lesson = LessonState(chapter: .transformerBlock, open: true)
        XCTAssertTrue(s.onScreen.shows(.attention))
        XCTAssertEqual(request(Explorer.update(&s, .resize(width: 100, height: 35)))?.probe, 1)
    }

    func testAttentionBudgetDropsTheOldestFirst() {
        var s = Fake.state()
        let perStep = Fake.step(0, schedule: s.schedule).attention!.reduce(0) { $0 + $1.count }
        s.attentionBudget = 3 * perStep
        Fake.feed(&s, through: 5)
        XCTAssertEqual(s.steps.map { $0.attention != nil }, [true, false, false, true, true], "the viewed step (0) is kept")
    }
}

extension Branch {
    func label() -> Int { settings.labels.first ?? 0 }
}
