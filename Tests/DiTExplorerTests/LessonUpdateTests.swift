// The lesson driven headless by keys: opening, moving between chapters within bounds, scrolling,
// language, and try-it handing the keyboard to the explorer and back.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class LessonUpdateTests: XCTestCase {
    func testLOpensTheLessonAndEscLeavesIt() {
        var s = Fake.state()
        _ = Fake.keys(&s, .char("L"))
        XCTAssertTrue(s.lesson.open)
        XCTAssertEqual(s.lesson.chapter, .latentDiffusion)
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).line(0).contains("DiT lesson · 1/9 · Latent diffusion"))
        _ = Fake.keys(&s, .right)
        XCTAssertEqual(s.k, 0, "→ turns the page, not the sampler's step")
        _ = Fake.keys(&s, .escape)
        XCTAssertFalse(s.lesson.open)
        XCTAssertFalse(s.lesson.trying)
        _ = Fake.keys(&s, .char("L"))
        XCTAssertEqual(s.lesson.chapter, .patchify, "the lesson reopens where it was left")
        XCTAssertEqual(Fake.keys(&s, .char("q")), [.quit])
    }

    func testChaptersStayInBounds() {
        var s = Fake.state()
        s.lesson.open = true
        _ = Fake.keys(&s, .left)
        XCTAssertEqual(s.lesson.chapter, .latentDiffusion)
        XCTAssertEqual(s.message, "this is the first chapter")
        for _ in 0..<10 { _ = Fake.keys(&s, .char("n")) }
        XCTAssertEqual(s.lesson.chapter, .trainingObjective)
        XCTAssertEqual(s.message, "this is the last chapter")
        _ = Fake.keys(&s, .pageUp, .char("p"))
        XCTAssertEqual(s.lesson.chapter, .scaling.previous)
        _ = Fake.keys(&s, .char("3"))
        XCTAssertEqual(s.lesson.chapter, .positionEmbeddings)
        _ = Fake.keys(&s, .pageDown)
        XCTAssertEqual(s.lesson.chapter, .conditioning)
        XCTAssertNotNil(Keymap.lessonCommand(for: .char("9")), "the ninth chapter")
        XCTAssertNil(Keymap.lessonCommand(for: .char("0")), "no chapter 0")
    }

    func testScrollIsBoundedAndResetByANewChapter() {
        var s = Fake.state()
        s.lesson.open = true
        _ = Fake.keys(&s, .up)
        XCTAssertEqual(s.lesson.scroll, 0)
        for _ in 0..<500 { _ = Fake.keys(&s, .down) }
        let most = LessonBook.longestScroll(s)
        XCTAssertEqual(s.lesson.scroll, most)
        XCTAssertGreaterThan(most, 10)
        _ = Fake.keys(&s, .char("k"))
        XCTAssertEqual(s.lesson.scroll, most - 1)
        _ = Explorer.update(&s, .scroll(-1))
        XCTAssertEqual(s.lesson.scroll, most - 2, "the wheel scrolls the text")
        _ = Fake.keys(&s, .right)
        XCTAssertEqual(s.lesson.scroll, 0)
        // Scrolled text shows a later line at the top of the column.
        let top = Explorer.render(s, width: 60, height: 20).line(2)
        _ = Fake.keys(&s, .down, .down)
        XCTAssertNotEqual(Explorer.render(s, width: 60, height: 20).line(2), top)
        XCTAssertTrue(Explorer.render(s, width: 60, height: 20).line(2).hasSuffix("↑│"), "marked as scrolled")
    }

    func testTryItHandsOverAndLReturnsToTheSameChapter() {
        var s = Fake.state()
        Fake.feed(&s, through: 3)
        s.lesson.open = true
        _ = Fake.keys(&s, .char("5"), .char("t"))
        XCTAssertFalse(s.lesson.open)
        XCTAssertTrue(s.lesson.trying)
        XCTAssertEqual(s.pane, .attention, "the pane the chapter is about")
        let screen = Explorer.render(s, width: 100, height: 35)
        XCTAssertTrue(screen.line(34).hasSuffix("L: back to lesson chapter 5"), screen.line(34))
        XCTAssertTrue(screen.line(0).contains("3 Att"), "the explorer itself")
        _ = Fake.keys(&s, .char("]"), .right)
        XCTAssertEqual(s.block, 1, "explorer keys work while trying")
        XCTAssertEqual(s.k, 1)
        _ = Fake.keys(&s, .char("L"))
        XCTAssertTrue(s.lesson.open)
        XCTAssertFalse(s.lesson.trying)
        XCTAssertEqual(s.lesson.chapter, .transformerBlock)
        XCTAssertFalse(Explorer.render(s, width: 100, height: 35).text.contains("L: back to lesson"))
        // The decoder chapter shows ε̂ under the Patches grid.
        _ = Fake.keys(&s, .char("6"), .enter)
        XCTAssertEqual(s.pane, .patches)
        XCTAssertEqual(s.source, .eps)
    }

    func testLanguageSwitchesTheText() {
        var s = Fake.state()
        s.lesson.open = true
        _ = Fake.keys(&s, .char("2"), .char("g"))
        XCTAssertEqual(s.lesson.language, .ja)
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).line(0).contains("DiT レッスン · 2/9 · パッチ化"))
        _ = Fake.keys(&s, .char("t"))
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).line(34).hasSuffix("L：レッスン第2章に戻る"))
        _ = Fake.keys(&s, .char("L"), .char("g"))
        XCTAssertEqual(s.lesson.language, .en)
    }

    func testTheSamplingChapterRunsTheTrajectory() {
        var s = Fake.state()
        _ = Explorer.start(&s)
        s.lesson.open = true
        let effects = Fake.keys(&s, .char("7"))
        XCTAssertEqual(effects.compactMap { if case .request(let r) = $0 { return r.target } else { return nil } }.last, s.stepCount)
        XCTAssertTrue(s.follow)
        // Opened on that chapter (`dit lesson --chapter 7`), the first requests already ask for all.
        var u = Fake.state()
        u.lesson = LessonState(chapter: .sampling, open: true)
        XCTAssertEqual(Explorer.start(&u).compactMap { if case .request(let r) = $0 { return r.target } else { return nil } }.last, u.stepCount)
    }

    func testClicksDoNotReachTheHiddenExplorer() {
        var s = Fake.state()
        s.lesson.open = true
        let tab = Layout(width: 100, height: 35).tabs[2].1
        _ = Explorer.update(&s, .click(x: tab.x + 1, y: 0, width: 100, height: 35))
        XCTAssertEqual(s.pane, .denoising)
    }
}

extension Chapter {
    var previous: Chapter { Chapter(rawValue: rawValue - 1)! }
}
