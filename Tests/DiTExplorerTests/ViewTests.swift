// Views rendered to text and compared with goldens (ASCII mode: the ramp shows the values), plus
// exact strings for the lines that matter and one colour golden.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class ViewTests: XCTestCase {
    /// Ten steps computed, step 3 on screen, cursor moved from (4, 4) to pixel (2, 4): token 9 (row 2, col 1).
    func explored(_ pane: Pane) -> ExplorerState {
        var s = Fake.state()
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .right, .right, .right, .char("h"))
        s.pane = pane
        return s
    }

    func testDenoisingGolden() {
        let c = Explorer.render(explored(.denoising), width: 100, height: 35)
        Golden.check(c.text, "denoising-100x35")
        XCTAssertEqual(c.line(0), " DiT   1 Denoise   2 Patch   3 Attn   4 adaLN   5 Calc   6 Fwd   7 Cmp               ? help  q quit")
        XCTAssertTrue(c.line(1).hasPrefix(" step k = 3 of 10   t = 666   ᾱ_t = "), c.line(1))
        XCTAssertEqual(c.line(33), " fake · 12.3k params · 0.000 Gflops · T = 16 · I=8 p=2 D=8 depth 2"
                       + String(repeating: " ", count: 28) + "ASCII")
        XCTAssertEqual(c.line(34), " DDIM η=0.0 · 10 steps │ 0 T-shirt │ CFG 4.0 │ seed 0 │ NFE 10 │ 12 ms/step │")
    }

    func testPatchesGolden() {
        let c = Explorer.render(explored(.patches), width: 100, height: 35)
        Golden.check(c.text, "patches-100x35")
        XCTAssertTrue(c.text.contains("patch (row 2, col 1) → token 9"))
        XCTAssertTrue(c.text.contains("I=8, p=2: T = (I/p)² = 4² = 16 tokens"))
    }

    func testAttentionGolden() {
        var s = explored(.attention)
        Golden.check(Explorer.render(s, width: 100, height: 35).text, "attention-100x35")
        // Head 0 of block 0: token 9 pays 0.75 to token 10 and 0.25 to itself.
        let text = Explorer.render(s, width: 100, height: 35).text
        XCTAssertTrue(text.contains("→ 10 (2,2)  0.750"), text)
        XCTAssertTrue(text.contains("→ 9 (2,1)  0.250"))
        _ = Fake.keys(&s, .char("a"), .char("a"))
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).line(1).contains("block 0/2 · rollout · query token 9"))
    }

    func testAttentionDroppedByTheBudgetSaysSo() {
        var s = Fake.state()
        s.attentionBudget = 2 * Fake.step(0, schedule: s.schedule).attention!.reduce(0) { $0 + $1.count }
        _ = Fake.keys(&s, .end, .char("3"))
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .home)
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).text.contains("recomputing the attention of step 0…\n"))
        _ = Fake.keys(&s, .end)
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).text.contains("where token 10 looks"))
    }

    func testAdaLNGolden() {
        let c = Explorer.render(explored(.adaLN), width: 100, height: 35)
        Golden.check(c.text, "adaln-100x35")
        XCTAssertTrue(c.text.contains("gates over the trajectory"))
    }

    func testHelpOverlayListsEveryBinding() {
        var s = explored(.denoising)
        s.showHelp = true
        var text = Explorer.render(s, width: 100, height: 40).text
        Golden.check(text, "help-100x40")
        // A pane's own keys are listed in that pane (scrolled where the overlay does not fit):
        // every binding shows up in one of them. A long help may wrap onto the next line.
        var listed = Set<String>()
        for pane in [Pane.denoising, .calculator, .forward, .adaLN, .attention] {
            s.pane = pane; s.showHelp = true; s.helpScroll = 0
            text = Explorer.render(s, width: 100, height: 40).text
            for _ in 0..<8 { _ = Fake.keys(&s, .down); text += Explorer.render(s, width: 100, height: 40).text }
            let flat = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: " ")
            for (_, bindings) in Keymap.groups(in: pane) {
                for b in bindings {
                    let words = b.help.split(separator: " ")
                    XCTAssertTrue(flat.contains(words.prefix(3).joined(separator: " ")) && text.contains(String(words.last!)), "\(pane): \(b.help)")
                    listed.insert(b.help)
                }
            }
        }
        XCTAssertEqual(listed, Set(Keymap.groups.flatMap { $0.1.map(\.help) }))
    }

    func testCompareShowsBothBranches() {
        var s = explored(.denoising)
        _ = Fake.keys(&s, .char("c"))
        Fake.feed(&s, through: 5)
        _ = Fake.keys(&s, .char("b"))
        let text = Explorer.render(s, width: 100, height: 35).text
        Golden.check(text, "compare-100x35")
        XCTAssertTrue(text.contains("A: x_t  noisy input"))
        XCTAssertTrue(text.contains("B: x_t  noisy input"))
        XCTAssertTrue(text.contains("A: DDIM η=0.0 · y=1 · CFG 4.0 · seed 0   B: DDIM η=0.0 · y=0 · CFG 4.0 · seed 0   (fork at step 3)"),
                      "B is the branch left behind")
    }

    func testLargeScreenAndColourGolden() {
        let s = explored(.denoising)
        var t = s
        t.colorMode = .truecolor
        Golden.check(Explorer.render(t, width: 100, height: 35).ansi(mode: .truecolor), "denoising-100x35.ansi")
        for pane in Pane.allCases {
            var u = s
            u.pane = pane
            let c = Explorer.render(u, width: 200, height: 60)
            XCTAssertEqual(c.width, 200)
            XCTAssertTrue(c.line(0).hasSuffix("? help  q quit"), "tab bar spans the width")
        }
    }

    func testTooSmallTerminalSaysSo() {
        let c = Explorer.render(Fake.state(), width: 40, height: 10)
        XCTAssertEqual(c.text, "terminal too small: 40×10, need 60×20\nq quits" + String(repeating: "\n", count: 8))
    }

    func testProgressWhileComputing() {
        var s = Fake.state()
        _ = Explorer.start(&s)
        _ = Fake.keys(&s, .end)
        Fake.feed(&s, through: 4)
        let status = Explorer.render(s, width: 100, height: 35).line(34)
        XCTAssertTrue(status.contains("⋯ computing 4/10 ##---"), status)   // 5 cells left: 40 % filled
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).text.contains("computing step 4…") == false,
                      "follow shows the last computed step")
    }
}
