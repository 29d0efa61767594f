import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

/// Lesson 4 runs the shipped Fig. 5 block designs live: a job while the chapter is read, a stop
/// when it is left, rows filled from the worker's events, and x̂0 drawn in each design's box.
final class LessonDesignsTests: XCTestCase {
    /// Three of the four shipped (adaLN missing), as `dit explore` finds them.
    static let entries = [Conditioning.adaLNZero, .crossAttention, .inContext].map {
        CompareEntry(name: "dit-s8-\($0.rawValue.lowercased())", preset: "DiT-S/8", gflops: 0.4, parameters: 30_000_000, conditioning: $0)
    }

    func state(_ chapter: Chapter = .conditioning) -> ExplorerState {
        var s = Fake.state()
        Fake.feed(&s, through: 3)
        s.designs = ComparisonState(entries: Self.entries)
        s.lesson = LessonState(chapter: chapter, language: .en, open: true)
        return s
    }

    func jobs(_ effects: [Effect]) -> [CompareJob] { effects.compactMap { if case .compare(let j) = $0 { return j }; return nil } }

    func testChapterFourRunsTheDesignsAndStopsWhenLeft() {
        var s = state(.positionEmbeddings)
        XCTAssertEqual(jobs(Fake.keys(&s, .char("j"))), [], "not on chapter 4: nothing runs")
        let first = jobs(Fake.keys(&s, .char("4")))
        XCTAssertEqual(first.count, 1)
        XCTAssertEqual(first.first?.target, .designs)
        XCTAssertEqual(first.first?.settings?.labels, [s.settings.labels[0]])
        XCTAssertEqual(s.designs.rows.count, 3)
        XCTAssertEqual(s.comparison.settings, nil, "the Compare pane's models stay idle")
        XCTAssertEqual(jobs(Fake.keys(&s, .char("j"))), [], "asked once")
        let left = jobs(Fake.keys(&s, .char("5")))
        XCTAssertEqual(left.map(\.settings), [nil])
        XCTAssertEqual(left.map(\.target), [.designs])
        XCTAssertEqual(jobs(Fake.keys(&s, .char("4"))).map(\.target), [.designs], "back on chapter 4 it runs again")
        XCTAssertEqual(jobs(Fake.keys(&s, .char("L"))).map(\.settings), [nil], "leaving the lesson stops it")
    }

    func testEventsFillTheirOwnRowsAndTheBoxesShowThem() {
        var s = state()
        _ = Fake.keys(&s, .char("j"))
        let id = s.designs.id
        for k in 0..<3 {
            for m in 0..<2 {
                _ = Explorer.update(&s, .worker(.compare(.stepped(id: id, model: m, k: k, predX0: Fake.step(k, schedule: s.schedule).predX0,
                                                                 target: .designs))))
            }
        }
        _ = Explorer.update(&s, .worker(.compare(.stepped(id: id, model: 0, k: 3, predX0: Fake.step(3, schedule: s.schedule).predX0))))
        XCTAssertEqual(s.designs.rows.map(\.count), [3, 3, 0], "a Compare pane event does not land in lesson 4's rows")
        _ = Explorer.update(&s, .worker(.compare(.failed(id: id, model: 2, "no weights", target: .designs))))
        XCTAssertFalse(Explorer.render(s, width: 100, height: 35).text.contains("x̂0 k="), "22-cell boxes: diagrams only")
        for (w, h) in [(160, 48), (200, 60)] {
            let text = Explorer.render(s, width: w, height: h).text
            XCTAssertTrue(text.contains("not shipped"), "adaLN has no model\n\(text)")
            XCTAssertTrue(text.contains("failed: no weights"), text)
            XCTAssertEqual(text.components(separatedBy: "x̂0 k=0").count - 1, 2, "adaLN-Zero and cross-attention at the step on screen\n\(text)")
        }
        s.k = 5
        XCTAssertEqual(Explorer.render(s, width: 160, height: 48).text.components(separatedBy: "x̂0 k=2").count - 1, 2, "past the rows: the last computed")
        let large = Explorer.render(state(), width: 160, height: 48)
        XCTAssertTrue(large.text.contains("…"), "running, nothing yet")
        Golden.check(Explorer.render(s, width: 160, height: 48).text, "lesson-conditioning-live-160x48")
    }

    func testWithoutShippedDesignsTheBoxesKeepTheirSize() {
        var s = state()
        let live = Explorer.render(s, width: 160, height: 48).text
        s.designs = ComparisonState()
        let plain = Explorer.render(s, width: 160, height: 48).text
        XCTAssertFalse(plain.contains("not shipped"))
        XCTAssertNotEqual(live, plain)
        Golden.check(Explorer.render(s, width: 80, height: 24).text, "lesson-conditioning-80x24")
    }
}
