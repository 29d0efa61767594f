// Issue 16 in the explorer: no-ops change nothing and never strand the worker, Esc goes back
// and never quits, η and the seed stay in their bounds (escape sequences: DiTCLITests/TerminalInputTests).
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class ReliabilityTests: XCTestCase {
    func requests(_ effects: [Effect]) -> [WorkerRequest] {
        effects.compactMap { if case .request(let r) = $0 { return r } else { return nil } }
    }

    func testAKeyThatChangesNothingIsNoBranch() {
        var s = Fake.state()
        Fake.feed(&s, through: 3)
        _ = Fake.keys(&s, .right)
        let before = s
        XCTAssertEqual(s.settings.eta, 0)
        XCTAssertTrue(requests(Fake.keys(&s, .char("E"))).isEmpty, "η already 0")
        s.message = nil
        XCTAssertEqual(s, before)
        s.current.lineage[0].settings.cfgScale = 0
        let zero = s
        XCTAssertTrue(requests(Fake.keys(&s, .char("-"))).isEmpty, "CFG already 0")
        s.message = nil
        XCTAssertEqual(s, zero)
    }

    func testEtaStaysInDDIMsRange() {
        var s = Fake.state()
        Fake.feed(&s, through: 2)
        for _ in 0..<20 { _ = Fake.keys(&s, .char("e")) }
        XCTAssertEqual(s.settings.eta, SamplerSettings.etaRange.upperBound)
        for _ in 0..<20 { _ = Fake.keys(&s, .char("E")) }
        XCTAssertEqual(s.settings.eta, 0)
    }

    func testSeedDoesNotWrapBelowZero() {
        var s = Fake.state()
        XCTAssertEqual(s.settings.seed, 0)
        XCTAssertTrue(requests(Fake.keys(&s, .char("S"))).isEmpty)
        XCTAssertEqual(s.settings.seed, 0)
        _ = Fake.keys(&s, .char("s"))
        XCTAssertEqual(s.settings.seed, 1)
    }

    func testEscGoesBackAndOnlyQQuits() {
        var s = Fake.state()
        Fake.feed(&s, through: 3)
        XCTAssertTrue(Fake.keys(&s, .escape).isEmpty)
        XCTAssertFalse(s.quit, "Esc on the explorer does nothing")
        _ = Fake.keys(&s, .char("?"), .escape)
        XCTAssertFalse(s.showHelp); XCTAssertFalse(s.quit)
        _ = Fake.keys(&s, .char("e"))           // a branch, then compare
        Fake.feed(&s, through: 3)
        _ = Fake.keys(&s, .char("b"))
        XCTAssertTrue(s.compare)
        _ = Fake.keys(&s, .escape)
        XCTAssertFalse(s.compare); XCTAssertFalse(s.quit)
        // A lesson's try-it: Esc returns to the chapter; in the lesson, Esc leaves it.
        _ = Fake.keys(&s, .char("L"), .char("t"))
        XCTAssertTrue(s.lesson.trying); XCTAssertFalse(s.lesson.open)
        _ = Fake.keys(&s, .escape)
        XCTAssertTrue(s.lesson.open); XCTAssertFalse(s.quit)
        _ = Fake.keys(&s, .escape)
        XCTAssertFalse(s.lesson.open); XCTAssertFalse(s.quit)
        XCTAssertEqual(Fake.keys(&s, .char("q")), [.quit])
        XCTAssertTrue(s.quit)
    }

    func testEveryKeyInTheHelpDoesWhatItsRowSays() {
        // No key of the explorer's or the lesson's tables quits except q.
        for (_, bindings) in Keymap.groups + Keymap.lessonGroups {
            for b in bindings { for key in b.keys where key != .char("q") {
                XCTAssertNotEqual(Keymap.command(for: key), .quit, "\(key)")
                XCTAssertNotEqual(Keymap.lessonCommand(for: key), .quit, "\(key)")
            } }
        }
        XCTAssertEqual(Keymap.command(for: .escape), .back)
    }
}

extension WorkerTests {
    /// A branch that keeps step k with the same settings: the worker holds more steps than the UI,
    /// and must send step k again rather than wait for a request that never comes.
    func testWorkerResendsStepsTheUIDropped() throws {
        let settings = SamplerSettings(kind: .ddim, steps: 4, cfgScale: 2, labels: [1], seed: 3)
        var (_, mailbox, worker, s) = try session(settings)
        defer { worker.stop() }
        s.current = s.current.branched(at: 1, s.settings)
        s.k = 1
        s.generation += 1
        s.target = 2
        worker.submit(WorkerRequest(generation: s.generation, lineage: s.current.lineage, target: 2))
        pump(&s, mailbox) { $0.steps.count == 2 }
    }
}

extension ReliabilityTests {
    /// At 80×24 the help overlay scrolls: every row of the key table can be reached.
    func testHelpOverlayScrollsToEveryKeyAt80x24() {
        var s = Fake.state()
        Fake.feed(&s, through: 2)
        _ = Fake.keys(&s, .char("?"))
        var seen = ""
        for _ in 0..<40 {
            seen += Explorer.render(s, width: 80, height: 24).text
            _ = Fake.keys(&s, .down)
            XCTAssertTrue(s.showHelp, "↓ scrolls the help, it does not close it")
        }
        for (_, bindings) in Keymap.groups(in: s.pane) { for b in bindings { XCTAssertTrue(seen.contains(b.help), b.help) } }
        _ = Fake.keys(&s, .char("?"))
        XCTAssertFalse(s.showHelp)
    }
}

extension ReliabilityTests {
    /// Defect 5: after `x` the message, the compare header and the timeline name the same fork.
    func testSwapKeepsOneForkEverywhere() {
        var s = Fake.state()
        Fake.feed(&s, through: 8)
        _ = Fake.keys(&s, .right, .right, .right, .char("c"))
        Fake.feed(&s, through: 6)
        XCTAssertEqual(s.fork, 3)
        _ = Fake.keys(&s, .char("x"))
        XCTAssertEqual(s.message, "swapped branches (fork at step 3)")
        XCTAssertEqual(s.fork, 3, "the branch swapped in starts at 0, but it parts from the other at 3")
        _ = Fake.keys(&s, .char("b"))
        let text = Explorer.render(s, width: 100, height: 35).text
        XCTAssertTrue(text.contains("(fork at step 3)"), text)
        XCTAssertTrue(text.contains("┆ fork 3"), text)
    }
}

/// Defect 6: everything reachable at 80×24, the help hint at 60×20.
extension ReliabilityTests {
    func testAdaLNAt80x24ShowsRowsUnderBothTitlesForEveryBlock() {
        let deep = DiTConfig(inputSize: 8, patchSize: 2, inChannels: 1, hiddenSize: 8, depth: 12, numHeads: 2, numClasses: 3)
        var s = Fake.state(model: ModelSummary(name: "deep", config: deep, parameters: 1, hasNullClass: true))
        while s.steps.count < 4 {
            var v = Fake.step(s.steps.count, schedule: s.schedule)
            v.modulation = (0..<12).map { b in (0..<48).map { Float($0 % 8 - 4) * Float(b + 1) / 8 } }
            _ = Explorer.update(&s, .worker(.stepped(generation: s.generation, v)))
        }
        s.pane = .adaLN
        for block in 0..<12 {
            let lines = Explorer.render(s, width: 80, height: 24).text.split(separator: "\n", omittingEmptySubsequences: false)
            let gates = lines.firstIndex { $0.contains("gates over the trajectory") }
            XCTAssertNotNil(gates, "block \(block)")
            guard let g = gates else { continue }
            XCTAssertTrue(lines[g + 1].contains("gate_msa"))
            XCTAssertEqual(lines.filter { $0.hasPrefix(" blk \(block) ") }.count, 2, "block \(block) in both tables")
            XCTAssertTrue(lines[g + 2].hasPrefix(" blk "), "rows under the title: \(lines[g + 2])")
            _ = Fake.keys(&s, .char("]"))
        }
    }

    func testCalculatorScrollsToItsLastRowAt80x24() {
        var s = Fake.state()
        Fake.feed(&s, through: 2)
        _ = Fake.keys(&s, .char("5"))
        XCTAssertFalse(Explorer.render(s, width: 80, height: 24).text.contains("Gflops of S/B/L/XL"))
        _ = Fake.keys(&s, .pageDown, .pageDown, .pageDown, .pageDown)
        let text = Explorer.render(s, width: 80, height: 24).text
        XCTAssertTrue(text.contains("Gflops of S/B/L/XL") && text.contains("XL "), text)
        _ = Fake.keys(&s, .pageUp, .pageUp, .pageUp, .pageUp)
        XCTAssertTrue(Explorer.render(s, width: 80, height: 24).text.contains("Cost calculator"))
    }

    func testHelpHintAt60x20() {
        var s = Fake.state()
        Fake.feed(&s, through: 2)
        for pane in Pane.allCases {
            s.pane = pane
            XCTAssertTrue(Explorer.render(s, width: 60, height: 20).line(0).contains("? help"), "\(pane)")
        }
    }
}

extension ReliabilityTests {
    /// The key tables are the one source of truth: every key of every row means that row's
    /// command for it (no other row, no switch, overrides it), and no key is listed twice.
    func testEveryKeyDoesWhatItsRowSays() {
        let own = [Keymap.calculatorGroup, Keymap.forwardGroup, Keymap.adaLNGroup, Keymap.attentionGroup]
        let general = Keymap.groups.filter { !own.contains($0.0) }
        for (scope, rows, lookup) in [("explorer", general.flatMap(\.1), { Keymap.command(for: $0) }),
                                      ("calculator", Keymap.calculator, { Keymap.command(for: $0, in: .calculator) }),
                                      ("forward", Keymap.forward, { Keymap.command(for: $0, in: .forward) }),
                                      ("adaLN", Keymap.adaLN, { Keymap.command(for: $0, in: .adaLN) }),
                                      ("attention", Keymap.attention, { Keymap.command(for: $0, in: .attention) }),
                                      ("lesson", Keymap.lessonGroups.flatMap(\.1), { Keymap.lessonCommand(for: $0) })]
            as [(String, [Binding], (Key) -> Command?)] {
            let keys = rows.flatMap(\.keys)
            XCTAssertEqual(keys.count, Set(keys).count, "\(scope): a key in two rows")
            for b in rows { for (key, command) in zip(b.keys, b.commands) {
                XCTAssertEqual(lookup(key), command, "\(scope): \(key) in row \(b.label)")
            } }
        }
        // Outside the Calculator's own rows, its pane keeps the explorer's keys.
        XCTAssertEqual(Keymap.command(for: .char("c"), in: .calculator), .classNext)
        XCTAssertEqual(Keymap.command(for: .char("C")), .classPrevious)
        XCTAssertEqual(Keymap.lessonCommand(for: .char("4")), .lesson(.chapter(3)))
        XCTAssertNil(Keymap.command(for: .char("Z")), "unknown keys mean nothing")
    }
}

extension ReliabilityTests {
    /// The library's typed setting errors reach the explorer named by its keys, not CLI flags.
    func testSettingErrorsAreNamedByTheirKeys() {
        let e = SettingError(.eta, "1.5", expected: "0…1")
        XCTAssertEqual(e.explorerMessage, "keys e E: η 1.5: expected 0…1")
        XCTAssertTrue(SettingError(.steps, "0", expected: "1…1000").explorerMessage.hasPrefix("keys n N: "))
        XCTAssertFalse(SettingError(.labels, "9", expected: "0…2").explorerMessage.contains("--"))
    }
}
