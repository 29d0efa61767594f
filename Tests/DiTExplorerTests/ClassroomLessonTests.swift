// Issue 27, "Classroom-ready", the lessons: their live panes' numbers whole at 80×24, 60×20 and
// 160×48 (labels go first), and f showing the text across the whole width.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class ClassroomLessonTests: XCTestCase {
    static let sizes = [(80, 24), (60, 20), (160, 48)]

    /// DiT-S/4 on 32×32×1, the classroom's model: T = 256, 64, 16 for p = 2, 4, 8.
    static let s4: ModelSummary = {
        let c = DiTPreset.s4.config(inputSize: 32, inChannels: 1, numClasses: 10)
        return ModelSummary(name: "dit-s4-fashion", config: c, parameters: FLOPs.parameters(c), hasNullClass: true)
    }()

    func lesson(_ chapter: Chapter, _ language: LessonLanguage = .en) -> ExplorerState {
        var s = Fake.state(model: Self.s4)
        Fake.feed(&s, through: 3)
        s.lesson = LessonState(chapter: chapter, language: language, open: true)
        return s
    }

    /// `number` appears after `label` and is not followed by another digit (not cut).
    func whole(_ text: String, _ needle: String) -> Bool {
        var rest = Substring(text)
        while let r = rest.range(of: needle) {
            if rest[r.upperBound...].first.map({ !$0.isNumber }) ?? true { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }

    func testPatchifyLabelsKeepTheirTokenCounts() {
        for (w, h) in Self.sizes where w >= LessonView.paneMinimumWidth {
            for language in [LessonLanguage.en, .ja] {
                let text = Explorer.render(lesson(.patchify, language), width: w, height: h).text
                for T in [256, 64, 16] {
                    XCTAssertTrue(whole(text, "T=\(T)") || whole(text, "T = \(T)"), "\(w)×\(h) \(language): T = \(T) whole\n\(text)")
                }
                XCTAssertTrue(text.contains("%"), "the halving line keeps its last number: \(w)×\(h)\n\(text)")
            }
        }
    }

    func testDecoderAndConditioningNumbersAreWhole() {
        for (w, h) in Self.sizes where w >= LessonView.paneMinimumWidth {
            let decoder = Explorer.render(lesson(.decoder), width: w, height: h).text
            XCTAssertTrue(decoder.contains("col n mod 8"), "\(w)×\(h)\n\(decoder)")
            XCTAssertTrue(decoder.contains("0 … 63") || decoder.contains("63"), "\(w)×\(h)\n\(decoder)")
            let conditioning = Explorer.render(lesson(.conditioning), width: w, height: h).text
            XCTAssertTrue(conditioning.contains("+16.0 %"), "\(w)×\(h)\n\(conditioning)")
            XCTAssertTrue(conditioning.contains("of 12") || conditioning.contains("blk 11"), "every gate, or how many are hidden: \(w)×\(h)\n\(conditioning)")
        }
    }

    func testFShowsTheTextAcrossTheWholeWidth() {
        var s = lesson(.sampling)
        let beside = Explorer.render(s, width: 80, height: 24)
        XCTAssertEqual(Fake.keys(&s, .char("f")), [])
        XCTAssertTrue(s.lesson.fullText)
        let full = Explorer.render(s, width: 80, height: 24)
        XCTAssertTrue(full.line(1).hasSuffix("┐"), "the text box spans the screen: " + full.line(1))
        XCTAssertEqual(full.line(1).count, 80)
        XCTAssertFalse(full.line(1).contains("┐ "), "no pane beside it: " + full.line(1))
        XCTAssertTrue(beside.line(1).contains("┐ "), "beside: the text box, then the pane: " + beside.line(1))
        _ = Fake.keys(&s, .char("f"))
        XCTAssertFalse(s.lesson.fullText, "f toggles back")
        XCTAssertEqual(Explorer.render(s, width: 80, height: 24).text, beside.text)
    }

    /// g in a lesson: the Denoising pane beside chapter 7 titles its panels in Japanese too.
    func testJapaneseReachesTheLivePanesTitles() {
        var s = lesson(.sampling, .ja)
        let text = Explorer.render(s, width: 160, height: 48).text
        XCTAssertTrue(text.contains("予測ノイズ"), text)
        _ = Fake.keys(&s, .char("g"))
        XCTAssertTrue(Explorer.render(s, width: 160, height: 48).text.contains("predicted noise"))
        s.lesson.open = false
        s.lesson.language = .ja
        XCTAssertTrue(Explorer.render(s, width: 160, height: 48).text.contains("predicted noise"), "the explorer itself stays in English")
    }
}
