// The Calculator pane: its keys (field selection, values, bounds, reset) and its text, checked
// against FLOPs and Parameters computed here.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class CalculatorTests: XCTestCase {
    func calculatorState(_ model: ModelSummary = Fake.model) -> ExplorerState {
        var s = Fake.state(model: model)
        _ = Fake.keys(&s, .char("5"))
        XCTAssertEqual(s.pane, .calculator)
        return s
    }

    /// The paper's DiT-XL/2 as the loaded model: the calculator starts on its shape.
    let xl2 = ModelSummary(name: "xl2", config: DiTPreset.xl2.config(), parameters: 0, hasNullClass: true)

    func render(_ s: ExplorerState, _ w: Int = 100, _ h: Int = 35) -> String { Explorer.render(s, width: w, height: h).text }

    // MARK: update

    func testStartsOnTheLoadedModelsShape() {
        let s = calculatorState()
        let c = try! XCTUnwrap(s.calculator.config())
        XCTAssertEqual([c.inputSize, c.patchSize, c.inChannels, c.hiddenSize, c.depth, c.numHeads, c.numClasses],
                       [8, 2, 1, 8, 2, 2, 3])
        XCTAssertEqual(c.learnSigma, Fake.config.learnSigma)
        XCTAssertEqual(s.calculator.conditioning, .adaLNZero)
        XCTAssertEqual(s.calculator.size.name, "this model", "the fake shape is none of S/B/L/XL")
        XCTAssertEqual(calculatorState(xl2).calculator.size.name, "DiT-XL")
        XCTAssertEqual(calculatorState(xl2).calculator.sizes.count, 4, "a paper shape adds no extra choice")
    }

    /// Issue 27: at the last conditioning (adaLN-Zero) the field shows only ‹, and → says so in
    /// full at 80×24 and 60×20.
    func testArrowsShowOnlyTheWaysThereAreAndTheEndIsSaid() {
        var s = calculatorState()
        _ = Fake.keys(&s, .down, .down, .down, .down, .down, .down)
        XCTAssertEqual(s.calculator.field, .conditioning)
        XCTAssertTrue(render(s).contains("‹ adaLN-Zero "), render(s))
        XCTAssertFalse(render(s).contains("adaLN-Zero ›"))
        _ = Fake.keys(&s, .right)
        XCTAssertEqual(s.calculator.conditioning, .adaLNZero)
        for (w, h) in [(80, 24), (60, 20)] { XCTAssertTrue(render(s, w, h).contains("conditioning: already the last choice"), render(s, w, h)) }
        _ = Fake.keys(&s, .left)
        XCTAssertTrue(render(s).contains("‹ adaLN ›"), render(s))
    }

    func testTabReachesTheCalculatorAndLeavesIt() {
        var s = Fake.state()
        _ = Fake.keys(&s, .tab, .tab, .tab, .tab)
        XCTAssertEqual(s.pane, .calculator)
        _ = Fake.keys(&s, .tab)
        XCTAssertEqual(s.pane, .forward)
        _ = Fake.keys(&s, .backTab)
        XCTAssertEqual(s.pane, .calculator)
    }

    func testFieldSelectionStopsAtTheEnds() {
        var s = calculatorState()
        _ = Fake.keys(&s, .up)
        XCTAssertEqual(s.calculator.field, .model)
        _ = Fake.keys(&s, .down)
        XCTAssertEqual(s.calculator.field, .patchSize)
        for _ in 0..<10 { _ = Fake.keys(&s, .down) }
        XCTAssertEqual(s.calculator.field, .conditioning)
        XCTAssertEqual(s.cursorY, Fake.config.inputSize / 2, "↑/↓ leave the patch cursor alone here")
    }

    func testValuesChangeWithinTheirChoices() {
        var s = calculatorState()
        _ = Fake.keys(&s, .down)                                    // patch size, 2 of [2, 4, 8]
        _ = Fake.keys(&s, .right)
        XCTAssertEqual(s.calculator.value(.patchSize), 4)
        _ = Fake.keys(&s, .char("+"))
        XCTAssertEqual(s.calculator.value(.patchSize), 8)
        _ = Fake.keys(&s, .char("+"))
        XCTAssertEqual(s.calculator.value(.patchSize), 8, "stops at the last choice")
        XCTAssertEqual(s.message, "patch size p: already the last choice")
        _ = Fake.keys(&s, .char("-"), .left)
        XCTAssertEqual(s.calculator.value(.patchSize), 2)
        _ = Fake.keys(&s, .left)
        XCTAssertEqual(s.message, "patch size p: already the first choice")
        // The trajectory and the sampler settings are untouched by these keys here.
        XCTAssertEqual(s.k, 0)
        XCTAssertEqual(s.settings.cfgScale, 4)
        XCTAssertEqual(s.generation, 0)
        // Conditioning: adaLN-Zero is the last of the paper's order; ← reaches the others.
        for _ in 0..<6 { _ = Fake.keys(&s, .down) }
        _ = Fake.keys(&s, .right)
        XCTAssertEqual(s.calculator.conditioning, .adaLNZero)
        _ = Fake.keys(&s, .left, .left, .left)
        XCTAssertEqual(s.calculator.conditioning, .inContext)
        XCTAssertEqual(s.calculator.estimate?.flops, FLOPs(Fake.config, conditioning: .inContext))
    }

    func testResetOnlyInTheCalculator() {
        var s = calculatorState()
        _ = Fake.keys(&s, .right)                                   // model: this model -> (last) stays; go back one
        _ = Fake.keys(&s, .left)
        XCTAssertEqual(s.calculator.size.name, "DiT-XL")
        _ = Fake.keys(&s, .char("1"), .char("r"), .char("5"))
        XCTAssertEqual(s.calculator.size.name, "DiT-XL", "r means nothing outside the Calculator")
        _ = Fake.keys(&s, .char("r"))
        XCTAssertEqual(s.calculator.size.name, "this model")
        XCTAssertEqual(s.calculator.field, .model)
    }

    func testHelpListsTheCalculatorKeys() {
        var s = calculatorState()
        _ = Fake.keys(&s, .char("?"))
        let text = render(s, 100, 40)
        XCTAssertTrue(text.contains("Calculator (pane 5)"), text)
        XCTAssertTrue(text.contains("next / previous value of the field"), text)
    }

    // MARK: view

    func testPaperShapeShowsTable4AndDelta() {
        let text = render(calculatorState(xl2))
        let f = FLOPs(DiTPreset.xl2.config()), n = FLOPs.parameters(DiTPreset.xl2.config())
        XCTAssertTrue(text.contains("I = 32   T = (I/p)² = 16² = 256 tokens"), text)
        XCTAssertTrue(text.contains(String(format: "Gflops %.3f   params %.1fM", f.gflops, Double(n) / 1e6)), text)
        XCTAssertTrue(text.contains("paper (Table 4): 118.64 Gflops, 675M params"), text)
        XCTAssertTrue(text.contains(String(format: "Δ %+.2f %% Gflops, %+.2f %% params", 100 * (f.gflops / 118.64 - 1),
                                           100 * (Double(n) / 675e6 - 1))), text)
        // Each part's Gflops on its row, the MLP's share beside its bar.
        let mlp = try! XCTUnwrap(text.split(separator: "\n").first { $0.contains(" MLP  ") && !$0.contains("timestep") })
        XCTAssertTrue(mlp.contains(String(format: "%.3f", Double(f.mlp) / 1e9)), String(mlp))
        XCTAssertTrue(mlp.contains(String(format: "%.1f%%", 100 * Double(f.mlp) / Double(f.total))), String(mlp))
        XCTAssertFalse(text.contains("cross-attention"), "no such part in adaLN-Zero")
        // The S/B/L/XL × p table at this shape: DiT-B/4 in the B row, p=4 column.
        let b = try! XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix(" DiT-B ") })
        XCTAssertTrue(b.contains(String(format: "%.3f", FLOPs(DiTPreset.b4.config()).gflops)), String(b))
    }

    func testCrossAttentionAtXL2ShowsFigure5() {
        var s = calculatorState(xl2)
        for _ in 0..<6 { _ = Fake.keys(&s, .down) }
        _ = Fake.keys(&s, .left, .left)
        XCTAssertEqual(s.calculator.conditioning, .crossAttention)
        let text = render(s), f = FLOPs(DiTPreset.xl2.config(), conditioning: .crossAttention)
        XCTAssertTrue(text.contains(String(format: "Gflops %.3f", f.gflops)), text)
        XCTAssertTrue(text.contains("paper (Fig. 5): 137.60 Gflops\n") || text.contains("paper (Fig. 5): 137.60 Gflops "), text)
        let row = try! XCTUnwrap(text.split(separator: "\n").first { $0.contains("cross-attention  ") })
        XCTAssertTrue(row.contains(String(format: "%.3f", Double(f.crossAttention) / 1e9)), String(row))
        XCTAssertFalse(text.contains("adaLN modulation"), "no modulation in the cross-attention blocks")
    }

    func testOtherShapesAreComputedNotLooked() {
        var s = calculatorState(xl2)
        _ = Fake.keys(&s, .down, .down, .right)                     // image 32 -> 64 px (pixels: I = 64)
        let text = render(s)
        let c = DiTPreset.xl2.config(inputSize: 64)
        XCTAssertTrue(text.contains("T = (I/p)² = 32² = 1024 tokens"), text)
        XCTAssertTrue(text.contains(String(format: "Gflops %.3f", FLOPs(c).gflops)), text)
        XCTAssertTrue(text.contains("paper: no entry for this shape"), text)
        // In-context: two more tokens through every block.
        for _ in 0..<4 { _ = Fake.keys(&s, .down) }
        _ = Fake.keys(&s, .left, .left, .left)
        XCTAssertTrue(render(s).contains("+ 2 condition tokens: 1026 through each block"))
        XCTAssertTrue(render(s).contains(String(format: "Gflops %.3f", FLOPs(c, conditioning: .inContext).gflops)))
    }

    func testImpossibleShapeSaysWhy() {
        var s = calculatorState()
        _ = Fake.keys(&s, .down, .down, .down, .right)              // 8 px through a VAE of 8: I = 1
        XCTAssertNil(s.calculator.estimate)
        XCTAssertTrue(render(s).contains("latent side I = 1 is not a multiple of p = 2"), render(s))
    }

    func testSmallScreenShowsTheTotals() {
        let s = calculatorState(xl2)
        let c = Explorer.render(s, width: 60, height: 20)
        let f = FLOPs(DiTPreset.xl2.config())
        XCTAssertTrue(c.text.contains(String(format: "Gflops %.3f   params 675.1M", f.gflops)), c.text)
        XCTAssertTrue(c.text.contains("▶ model         ‹ DiT-XL"), c.text)
        XCTAssertFalse(c.text.contains("DiT-XL ›"), "the last size: no ›")
        XCTAssertEqual(c.line(0), " DiT   1   2   3   4   5   6   7                     ? help", "numbered tabs: the help hint fits")
        XCTAssertTrue(c.line(18).hasPrefix(" xl2 (DiT-XL/2)"), "the status rows are not overwritten: \(c.line(18))")
    }

    func testHelpIsReachableAt100x35() {
        var s = calculatorState()
        _ = Fake.keys(&s, .char("?"))
        var text = render(s)
        for _ in 0..<20 { _ = Fake.keys(&s, .down); text += render(s) }
        for want in ["Trajectory", "Esc", "mouse: click", "back to the loaded model"] { XCTAssertTrue(text.contains(want), want) }
    }

    func testGolden() {
        Golden.check(render(calculatorState()), "calculator-100x35")
    }
}
