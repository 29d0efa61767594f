// Every chapter rendered to text in both languages, at a normal and at the smallest size: the
// chapter's title, the numbers its pane computes, and wide characters laid out cell by cell.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class LessonViewTests: XCTestCase {
    static let sizes = [(100, 35), (60, 20)]

    /// A lesson on `chapter`, three steps computed (so the live panes have data).
    func lesson(_ chapter: Chapter, _ language: LessonLanguage, model: ModelSummary = Fake.model) -> ExplorerState {
        var s = Fake.state(model: model)
        Fake.feed(&s, through: 3)
        s.lesson = LessonState(chapter: chapter, language: language, open: true)
        return s
    }

    /// DiT-S/8 on 32×32×1, the shipped model's shape: numbers of a realistic size.
    static let s8: ModelSummary = {
        let c = DiTPreset.s8.config(inputSize: 32, inChannels: 1, numClasses: 10)
        return ModelSummary(name: "s8", config: c, parameters: FLOPs.parameters(c), hasNullClass: true)
    }()

    /// Wide glyphs are whole (head then tail, never one without the other), and the text box's
    /// right border is intact on every row: no line ran past its column.
    func assertLayout(_ c: Canvas, textColumn w: Int, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for y in 0..<c.height {
            for x in 0..<c.width {
                let cell = c[x, y]
                if cell.isWideTail {
                    XCTAssertEqual(TextWidth.of(c[x - 1, y].glyph), 2, "\(what): a tail without its head at (\(x), \(y))", file: file, line: line)
                } else if TextWidth.of(cell.glyph) == 2 {
                    XCTAssertTrue(c[x + 1, y].isWideTail, "\(what): '\(cell.glyph)' at (\(x), \(y)) lacks its second cell", file: file, line: line)
                }
            }
            XCTAssertLessThanOrEqual(TextWidth.of(c.line(y)), c.width, "\(what): row \(y) is wider than the screen", file: file, line: line)
        }
        for y in 2..<(c.height - 3) {
            XCTAssertEqual(c[w - 1, y].glyph, "│", "\(what): row \(y) overran the text column: \(c.line(y))", file: file, line: line)
        }
    }

    func testEveryChapterInBothLanguagesAtEachSize() {
        for language in LessonLanguage.allCases {
            for chapter in Chapter.allCases {
                for (w, h) in Self.sizes {
                    let s = lesson(chapter, language)
                    let c = Explorer.render(s, width: w, height: h), what = "\(language) \(chapter) \(w)×\(h)"
                    let page = LessonBook.text(chapter, language, s), number = "\(chapter.rawValue + 1)/9"
                    XCTAssertTrue(c.line(0).contains(" · \(number) · "), what)
                    if w == 100 { XCTAssertTrue(c.line(0).contains(page.title), "\(what): header \(c.line(0))") }
                    XCTAssertTrue(c.line(1).contains(number + " " + TextWidth.truncate(page.title, to: 4).dropLast()), "\(what): \(c.line(1))")
                    // The first line of the text, wrapped to the column, opens the page.
                    let first = LessonView.lines(page.body, width: LessonView.textColumn(w) - 4)[0]
                    XCTAssertTrue(c.line(2).contains(first), "\(what): \(c.line(2)) / \(first)")
                    XCTAssertTrue(c.text.contains("▶ " + LessonBook.strings(language).tryIt), what)
                    XCTAssertNil(page.body.range(of: "\\{[A-Za-z0-9]+\\}", options: .regularExpression), "\(what): a placeholder left unfilled")
                    assertLayout(c, textColumn: LessonView.textColumn(w), what)
                    if w < LessonView.paneMinimumWidth {
                        XCTAssertTrue(c.text.contains(TextWidth.wrap(LessonBook.strings(language).narrow, width: w - 4)[0]), what)
                    }
                }
            }
        }
    }

    func testJapaneseWrapsPerCharacterWithinTheColumn() {
        let s = lesson(.patchify, .ja)
        let c = Explorer.render(s, width: 100, height: 35), w = LessonView.textColumn(100)
        // "パッチ化" in the box title: each katakana is a head cell followed by its tail.
        let row = (0..<c.width).map { c[$0, 1] }
        let start = row.firstIndex { $0.glyph == "パ" }!
        XCTAssertTrue(row[start + 1].isWideTail)
        XCTAssertEqual(row[start + 2].glyph, "ッ")
        // Every text row fits its column and no row starts with 、 or 。.
        for y in 2..<30 {
            let inside = String(c.line(y).dropFirst().prefix { $0 != "│" })
            XCTAssertLessThanOrEqual(TextWidth.of(inside), w - 2, inside)
            XCTAssertFalse(inside.hasPrefix(" 、") || inside.hasPrefix(" 。"), inside)
        }
        XCTAssertTrue(c.text.contains("パッチサイズ p は計算量を決める主な"), "wrapped between characters, not at spaces")
    }

    func testPatchifyShowsTokensGflopsAndParametersFromFLOPs() {
        let s = lesson(.patchify, .en, model: Self.s8)
        let text = Explorer.render(s, width: 100, height: 35).text
        var costs: [Int: (T: Int, gflops: Double)] = [:]
        for p in [2, 4, 8] {
            var c = Self.s8.config
            c.patchSize = p
            let row = "\(p)".padding(toLength: 5, withPad: " ", startingAt: 0) + "\(c.tokenCount)".padding(toLength: 13, withPad: " ", startingAt: 0)
                + Format.f(FLOPs(c).gflops, 3).padding(toLength: 11, withPad: " ", startingAt: 0) + Format.params(FLOPs.parameters(c))
            XCTAssertTrue(text.contains(row), "p = \(p): \(row)\n\(text)")
            XCTAssertTrue(text.contains("p = \(p) · T = \(c.tokenCount)"))
            costs[p] = (c.tokenCount, FLOPs(c).gflops)
        }
        XCTAssertEqual(costs[2]!.T, 4 * costs[4]!.T)
        XCTAssertTrue(text.contains("T ×4, Gflops ×" + Format.f(costs[4]!.gflops / costs[8]!.gflops, 2)))
        XCTAssertTrue(text.contains("(32/8)² = 16."), "the text's numbers are this model's")
    }

    func testScalingTableIsComputed() {
        let s = lesson(.scaling, .en, model: Self.s8)
        let text = Explorer.render(s, width: 100, height: 35).text
        for preset in FLOPs.paperOrder {
            let c = preset.config(inputSize: 32, inChannels: 4, numClasses: 1000)
            XCTAssertTrue(text.contains(preset.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                                        + Format.params(FLOPs.parameters(c)).padding(toLength: 11, withPad: " ", startingAt: 0)
                                        + Format.f(FLOPs(c).gflops, 2)), preset.rawValue)
            XCTAssertTrue(text.contains(Format.f(FLOPs.paper[preset]!.gflops, 2)), "the paper's figure beside it")
        }
        XCTAssertTrue(text.contains("this model: DiT-S/8, 32×32×1"))
        XCTAssertTrue(LessonBook.text(.scaling, .en, s).body.contains("DiT-XL/2 (\(Format.f(FLOPs.paper[.xl2]!.gflops, 1)) Gflops in the paper's Table 4)"),
                      "the paper's number, as the table beside it")
    }

    func testLivePanesShowTheModelsNumbers() {
        func text(_ ch: Chapter, _ lang: LessonLanguage = .en) -> String { Explorer.render(lesson(ch, lang), width: 100, height: 35).text }
        XCTAssertTrue(text(.latentDiffusion).contains("(\(256 * 256 * 3) → \(32 * 32 * 4), ×1/48)"))
        XCTAssertTrue(text(.positionEmbeddings).contains("(T = 16, D = 8)"))
        // Chapter 3: the token nearest to the cursor's in embedding space is a grid neighbour.
        let s = lesson(.positionEmbeddings, .en), g = Fake.config.gridSize, q = s.token
        XCTAssertTrue(text(.positionEmbeddings).contains("similarity to token \(q) (\(q / g),\(q % g))"))
        let neighbour = text(.positionEmbeddings).split(separator: "\n").first { $0.contains("similarity") }
        XCTAssertNotNil(neighbour)
        // Chapter 4: the four designs, and block 0's gate RMS from the step's modulation.
        let conditioning = text(.conditioning)
        for (title, _, _) in ConditioningPane.designs { XCTAssertTrue(conditioning.contains("┌ \(title) "), title) }
        // …with the cost model's Gflops of DiT-XL/2 under each: cross-attention ≈ +15 % (the paper's figure).
        let xl2 = DiTPreset.xl2.config(), cross = FLOPs(xl2, conditioning: .crossAttention).gflops / FLOPs(xl2).gflops - 1
        XCTAssertTrue(conditioning.contains(String(format: "(%+.1f %%)", 100 * cross)), conditioning)
        XCTAssertTrue((0.14...0.17).contains(cross), "\(cross)")
        let D = Fake.config.hiddenSize, mod = s.view!.modulation![0]
        XCTAssertTrue(conditioning.contains("attn") && conditioning.contains(Format.f(AdaLNView.rms(mod[2 * D..<3 * D]), 3)), conditioning)
        XCTAssertTrue(text(.conditioning, .ja).contains("現在のゲート α"))
        XCTAssertTrue(text(.transformerBlock).contains("where token \(q) looks"), "the Attention pane, live")
        XCTAssertTrue(text(.decoder).contains("p·p·2C = 2·2·2 = \(Fake.config.finalDim)"))
        XCTAssertTrue(text(.sampling).contains("step k = 0 of 10"), "the Denoising pane, live")
    }

    func testHelpInALessonListsTheLessonKeys() {
        var s = lesson(.patchify, .en)
        s.showHelp = true
        let text = Explorer.render(s, width: 100, height: 35).text
        for (_, bindings) in Keymap.lessonGroups { for b in bindings { XCTAssertTrue(text.contains(b.help), b.help) } }
        XCTAssertTrue(text.contains("mouse wheel: scroll the text"))
    }

    func testGoldens() {
        for language in LessonLanguage.allCases {
            Golden.check(Explorer.render(lesson(.conditioning, language), width: 100, height: 35).text, "lesson-conditioning-\(language)-100x35")
        }
    }
}
