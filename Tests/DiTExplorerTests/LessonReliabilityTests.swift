// Issue 16, defect 8: the lessons' exports, Japanese captions and help, and one number for
// DiT-XL/2's Gflops.
import DiT
import DiTRender
import Foundation
import XCTest
@testable import DiTExplorer

final class LessonReliabilityTests: XCTestCase {
    func lesson(_ chapter: Character, _ language: LessonLanguage = .en) -> ExplorerState {
        var s = Fake.state()
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .right, .right, .right, .char("L"), .char(chapter))
        if language == .ja { _ = Fake.keys(&s, .char("g")) }
        return s
    }

    func testChapterThreeExportsThePositionTable() throws {
        let s = lesson("3")
        XCTAssertEqual(s.lesson.chapter, .positionEmbeddings)
        let dir = NSTemporaryDirectory() + "dit-lesson-export-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = Exporter(directory: dir).write(.png, s, screen: (100, 35))
        XCTAssertEqual(report, "wrote \(dir)/dit-position-step3.png")
        let c = Fake.config, table = PosEmbed.sinCos2D(dim: c.hiddenSize, gridSize: c.gridSize).array
        let picture = ExportImages.pane(s)
        XCTAssertEqual(picture.height % c.tokenCount, 0)
        XCTAssertEqual(picture.width % c.hiddenSize, 0)
        let sx = picture.width / c.hiddenSize, sy = picture.height / c.tokenCount
        for (token, d) in [(0, 0), (5, 3), (15, 7)] {
            XCTAssertEqual(picture[d * sx, token * sy], ColorMap.coolwarm.color(Double(table[token * c.hiddenSize + d]), lo: -1, hi: 1))
        }
    }

    func testJapaneseCaptionsAndHelp() {
        var s = lesson("1", .ja)
        let text = Explorer.render(s, width: 100, height: 35).text
        XCTAssertTrue(text.contains("x_t・ステップ 3"), text)
        XCTAssertFalse(text.contains("ステップ k の"), "no literal k before the number")
        _ = Fake.keys(&s, .char("?"))
        let help = Explorer.render(s, width: 100, height: 35).text
        XCTAssertTrue(help.contains("次の章") && help.contains("レッスン"), help)
        XCTAssertFalse(help.contains("next chapter"), help)
        for (_, bindings) in Keymap.lessonGroups {
            for b in bindings { XCTAssertNotEqual(LessonBook.caption(b.help, .ja), b.help, "untranslated: \(b.help)") }
        }
    }

    func testTryItPromptIsWholeOnSmallScreens() {
        for language in LessonLanguage.allCases {
            for chapter in Chapter.allCases { for (w, h) in [(80, 24), (60, 20)] {
                let s = lesson(Character(String(chapter.rawValue + 1)), language)
                let page = LessonBook.text(chapter, language, s)
                // The lesson column: what lies between the box's two │ on each row, spaces dropped.
                let shown = Explorer.render(s, width: w, height: h).text.split(separator: "\n")
                    .filter { $0.hasPrefix("│") }.map { $0.dropFirst().prefix { $0 != "│" } }
                    .joined().replacingOccurrences(of: " ", with: "")
                XCTAssertTrue(shown.contains(page.tryIt.replacingOccurrences(of: " ", with: "")), "\(language) \(chapter) \(w)×\(h): \(page.tryIt)")
            } }
        }
    }

    /// Chapter 8 gives the paper's number; chapter 4 says its boxes are the cost model's, and how
    /// far that is from the paper's (issue 27: 118.7 had been given as the paper's).
    func testXL2GflopsIsThePapersInChapterEightAndTheBoxesAreExplained() {
        let scaling = LessonBook.text(.scaling, .en, lesson("8")).body
        let conditioning = LessonBook.text(.conditioning, .en, lesson("4")).body
        let box = ConditioningPane.cost(.adaLNZero)
        let ours = FLOPs(DiTPreset.xl2.config()).gflops, paper = FLOPs.paper[.xl2]!.gflops
        let number = String(format: "%.1f", ours)
        XCTAssertTrue(box.hasPrefix(number + " Gflops"), box)
        XCTAssertTrue(scaling.contains("DiT-XL/2 (\(String(format: "%.1f", paper)) Gflops in the paper's Table 4)"), scaling)
        XCTAssertTrue(conditioning.contains("\(number) for adaLN-Zero where Table 4 says \(paper)"), conditioning)
        XCTAssertTrue(conditioning.contains(String(format: "%.2f %% above the paper", 100 * (ours / paper - 1))), conditioning)
    }
}
