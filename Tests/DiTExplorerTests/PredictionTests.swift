// Predict, then reveal: every chapter asks a question in English and Japanese, answered with
// a b c or skipped with s; the answer comes from the live model, the cost model or the running
// trajectory, the reveal only after answering, and the tally counts each chapter once.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class PredictionTests: XCTestCase {
    func lesson(_ chapter: Chapter, _ language: LessonLanguage = .en, steps: Int = 3) -> ExplorerState {
        var s = Fake.state()
        Fake.feed(&s, through: steps)
        s.lesson = LessonState(chapter: chapter, language: language, open: true)
        return s
    }

    func testEveryChapterAsksInBothLanguagesWithThreeChoices() {
        for ch in Chapter.allCases {
            for (language, predict) in [(LessonLanguage.en, "? Predict:"), (.ja, "? 予想：")] {
                let s = lesson(ch, language, steps: 10)
                let p = Predictions.of(ch, s)
                XCTAssertEqual(p.choices.count, 3, "\(ch)")
                XCTAssertEqual(Set(p.choices).count, 3, "\(ch): distinct choices")
                XCTAssertNotNil(p.answer, "\(ch): known once the trajectory is complete")
                XCTAssertFalse(p.question.contains("{") || p.reveal.contains("{"), "\(ch) \(language): every placeholder filled")
                let body = LessonBook.text(ch, language, s).body
                XCTAssertTrue(body.contains(predict + " " + p.question), "\(ch) \(language)")
                XCTAssertFalse(body.contains(p.reveal), "\(ch): no reveal before an answer")
            }
        }
    }

    /// p 2 → 1 on the fake model (I = 8): (8/1)² = 64 tokens, computed from the config.
    func testTheRightAnswerIsRevealedAndTallied() {
        var s = lesson(.patchify)
        let p = Predictions.of(.patchify, s)
        XCTAssertEqual(p.question, "p 2 → 1: how many tokens?")
        XCTAssertEqual(p.choices, ["16", "32", "64"])
        XCTAssertEqual(p.answer, 2)
        _ = Fake.keys(&s, .char("c"))
        XCTAssertEqual(s.lesson.predictions[.patchify], .chose(2, right: true))
        let body = LessonBook.text(.patchify, .en, s).body
        XCTAssertTrue(body.contains("✓ right (c) → c) 64"), body)
        XCTAssertTrue(body.contains("T = (I/p)² = (8/1)² = 64 (now 16)"), body)
        XCTAssertTrue(body.contains("tally 1· 2✓ 3· 4· 5· 6· 7· 8· 9·  1/9"), body)
        _ = Fake.keys(&s, .char("a"))   // the first answer counts
        XCTAssertEqual(s.lesson.predictions[.patchify], .chose(2, right: true))
        XCTAssertEqual(s.message, "answered already: the first answer counts")
        // A wrong answer and a skip, in Japanese.
        _ = Fake.keys(&s, .char("g"), .char("3"), .char("a"), .char("4"), .char("s"))
        XCTAssertEqual(s.lesson.predictions[.positionEmbeddings], .chose(0, right: false))
        XCTAssertEqual(s.lesson.predictions[.conditioning], .skipped)
        let ja = LessonBook.text(.conditioning, .ja, s).body
        XCTAssertTrue(ja.contains("– 飛ばした → "), ja)
        XCTAssertTrue(ja.contains("集計 1· 2✓ 3✗ 4– 5· 6· 7· 8· 9·  1/9"), ja)
    }

    /// The costliest design is the cost model's, on this model's shape.
    func testDesignCostAnswerIsTheCostModels() {
        let s = lesson(.conditioning)
        let p = Predictions.of(.conditioning, s)
        let costs = p.choices.map { name -> Double in
            var c = s.model.config
            c.conditioning = Conditioning(rawValue: name)!
            return FLOPs(c).gflops
        }
        XCTAssertEqual(p.answer, costs.indices.max { costs[$0] < costs[$1] })
        XCTAssertEqual(p.choices[p.answer!], "cross-attention")
    }

    /// "At which step will the class stop changing?" waits for the running trajectory's judge
    /// strip: no answer is taken while it runs, then the strip's step decides.
    func testTheClassQuestionIsAnsweredByTheJudgeStrip() {
        var s = lesson(.sampling, steps: 3)
        XCTAssertNil(Predictions.of(.sampling, s).answer)
        _ = Fake.keys(&s, .char("b"))
        XCTAssertNil(s.lesson.predictions[.sampling])
        XCTAssertEqual(s.message, "no answer yet: the trajectory is still running (see the judge strip)")
        Fake.feed(&s, through: 10)
        let decided = ClassDecision.firstDecided(s.steps, requested: 0)!
        let p = Predictions.of(.sampling, s)
        XCTAssertEqual(p.choices, ["steps 0–2", "steps 3–5", "steps 6–9"])
        XCTAssertEqual(p.answer, decided < 3 ? 0 : decided < 6 ? 1 : 2)
        _ = Fake.keys(&s, .char("b"))
        XCTAssertEqual(s.lesson.predictions[.sampling], .chose(1, right: p.answer == 1))
        XCTAssertTrue(LessonBook.text(.sampling, .en, s).body.contains("from step \(decided) on"))
    }

    /// At 80 × 24 the block scrolls into view whole: question, choices and tally, nothing cut.
    func testTheBlockFitsAt80x24() {
        var s = lesson(.scaling)
        for _ in 0..<80 { _ = Fake.keys(&s, .down) }
        let text = Explorer.render(s, width: 80, height: 24).text
        XCTAssertTrue(text.contains("a) DiT-S/2"), text)
        XCTAssertTrue(text.contains("c) about the same"), text)
        XCTAssertTrue(text.contains("1/9") == false && text.contains("0/9"), text)
    }
}
