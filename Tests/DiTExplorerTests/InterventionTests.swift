// Interventions in the explorer: X switches blocks, branches and heads off and on (a branch at
// the step on screen), the status line names them, Denoising shows x̂0 with and without them and
// their difference; with the real worker the numbers are the library's sampler's bit for bit
// (what `dit sample --ablate` runs), and a recording replays them.
import DiT
import DiTRender
import Foundation
import XCTest
@testable import DiTExplorer

final class InterventionUpdateTests: XCTestCase {
    func testXCyclesTheSelectedBlockThroughItsBranchesAndBranchesAtK() {
        var s = Fake.state()
        Fake.feed(&s, through: 4)
        _ = Fake.keys(&s, .right, .right, .right, .char("4"), .char("]"))
        XCTAssertEqual(s.k, 3)
        var effects = Fake.keys(&s, .char("X"))
        XCTAssertEqual(s.settings.ablations.description, "block.1")
        XCTAssertEqual(s.current.fork, 3, "the trajectory branches at the step on screen")
        XCTAssertEqual(s.current.steps.count, 3)
        XCTAssertTrue(effects.contains { if case .request = $0 { return true } else { return false } })
        XCTAssertEqual(s.message, "block.1 off from step 3")
        XCTAssertEqual(s.other?.settings.ablations, AblationSet.none, "the unablated branch stays to compare (b)")
        _ = Fake.keys(&s, .char("X"))
        XCTAssertEqual(s.settings.ablations.description, "block.1.attn")
        _ = Fake.keys(&s, .char("X"))
        XCTAssertEqual(s.settings.ablations.description, "block.1.mlp")
        effects = Fake.keys(&s, .char("X"))
        XCTAssertEqual(s.settings.ablations, AblationSet.none)
        XCTAssertEqual(s.message, "block.1.mlp on from step 3")
        XCTAssertFalse(effects.isEmpty)
    }

    func testXInAttentionSwitchesTheSelectedHeadOnly() {
        var s = Fake.state()
        Fake.feed(&s, through: 1)
        _ = Fake.keys(&s, .char("3"), .char("}"), .char("X"))
        XCTAssertEqual(s.settings.ablations.description, "head.0.1")
        _ = Fake.keys(&s, .char("4"), .char("X"))
        XCTAssertEqual(s.settings.ablations.description, "block.0+head.0.1", "heads and blocks combine")
        _ = Fake.keys(&s, .char("3"), .char("X"))
        XCTAssertEqual(s.settings.ablations.description, "block.0")
        _ = Fake.keys(&s, .char("a"))   // the mean of heads: no single head to switch
        let before = s
        XCTAssertEqual(Fake.keys(&s, .char("X")), [])
        XCTAssertEqual(s.settings, before.settings)
        XCTAssertEqual(s.message, "X switches one head off: press a for a single head")
    }

    func testXElsewhereDoesNothingAndTheHelpListsItWhereItWorks() {
        var s = Fake.state()
        Fake.feed(&s, through: 2)
        for pane in ["1", "2", "5", "6", "7"] {
            _ = Fake.keys(&s, .char(Character(pane)))
            let before = s
            XCTAssertEqual(Fake.keys(&s, .char("X")), [])
            XCTAssertEqual(s, before)
        }
        for (pane, help) in [("4", "block ] [ off: whole, attn, mlp, on"), ("3", "head } { off / on")] {
            _ = Fake.keys(&s, .char(Character(pane)), .char("?"))
            XCTAssertTrue(Explorer.render(s, width: 100, height: 40).text.contains(help), pane)
            _ = Fake.keys(&s, .escape)
        }
    }

    /// The status line names the ablations at 80 × 24; Denoising shows x̂0 without them and the
    /// difference beside the ablated x̂0 (on the first page at 160 × 48), captions and range.
    func testStatusLineAndDenoisingPanels() {
        var s = Fake.state()
        Fake.feed(&s, through: 1)
        _ = Fake.keys(&s, .char("4"), .char("X"), .char("1"))
        var step = Fake.step(0, schedule: s.schedule)
        step.predX0 = Planes(channels: 1, height: 8, width: 8, values: step.predX0.values.map { $0 + 0.25 })
        step.unablatedX0 = Fake.step(0, schedule: s.schedule).predX0
        _ = Explorer.update(&s, .worker(.stepped(generation: s.generation, step)))
        XCTAssertEqual(s.steps.count, 1)
        let small = Explorer.render(s, width: 80, height: 24).text
        XCTAssertTrue(small.contains("off block.0 │"), small)
        let big = Explorer.render(s, width: 160, height: 48).text
        XCTAssertTrue(big.contains("x̂0  ablated: block.0"), big)
        XCTAssertTrue(big.contains("x̂0  without ablation"), big)
        XCTAssertTrue(big.contains("x̂0 ablated − without"), big)
        XCTAssertTrue(big.contains("same x_t, no ablation"), big)
        XCTAssertTrue(big.contains("−0.25") && big.contains("+0.25"), "the difference's range: \(big)")
        let d = AblationPanels.difference(step)!
        XCTAssertEqual(d.values.count, 64)
        XCTAssertTrue(d.values.allSatisfy { abs($0 - 0.25) < 1e-6 })
        // Where the panels page, the ablated x̂0, x̂0 without and the difference come first.
        XCTAssertEqual(AblationPanels.order(s, count: 7), [2, 3, 4, 0, 1, 5, 6])
        XCTAssertEqual(AblationPanels.order(Fake.state(), count: 5), [0, 1, 2, 3, 4])
        // Without ablations nothing of this shows.
        let plain = Explorer.render(Fake.state(), width: 160, height: 48).text
        XCTAssertFalse(plain.contains("without ablation"))
        XCTAssertFalse(plain.contains("off "))
    }
}

extension ReplayTests {
    /// Ablated from the first step, the explorer's trajectory is the library sampler's with the
    /// same settings (what `dit sample --ablate` runs), bit for bit; each step's unablated x̂0 is
    /// x̂0 of the same x_t without the ablation.
    func testAblatedTrajectoryEqualsTheSamplerBitForBit() throws {
        let model = try DiTModel(directory: directory)
        var settings = SamplerSettings(kind: .ddim, steps: 6, cfgScale: 3, labels: [1], seed: 5)
        settings.ablations = try AblationSet(specs: ["block.1", "head.0.1"])
        let recorded = try record(settings) { send, settle in
            send(.end)
            settle { !$0.busy && !$0.follow }
        }
        let sampler = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: 5))
        let x0 = try sampler.run()
        XCTAssertEqual(recorded.steps.count, 6)
        XCTAssertEqual(recorded.steps.last!.next.values.map(\.bitPattern), Planes(x0).values.map(\.bitPattern))
        for (v, r) in zip(recorded.steps, sampler.history) {
            XCTAssertEqual(v.predX0, Planes(r.predXstart))
            XCTAssertEqual(v.unablatedX0, Planes(try sampler.predXstart(at: r.k, ablations: .none)))
            XCTAssertNotEqual(v.unablatedX0, v.predX0, "the ablation changes x̂0 at step \(v.k)")
        }
        XCTAssertEqual(try Recording.read(path).header.settings.ablations, ["head.0.1", "block.1"], "sorted by block")
        let r = try replay(path)
        XCTAssertNil(r.mismatch())
        XCTAssertEqual(r.state.settings.ablations, settings.ablations)
        for f in [\StepView.next, \.predX0] { XCTAssertEqual(r.state.steps.map { $0[keyPath: f] }, recorded.steps.map { $0[keyPath: f] }) }
        XCTAssertEqual(r.state.steps.map(\.unablatedX0), recorded.steps.map(\.unablatedX0))
    }

    /// X at step 3 branches there: steps 0…2 stay, the rest is the sampler's branch at 3 with the
    /// ablation; x̂0 without it at step 3 is the unablated trajectory's own x̂0 (the same x_t). The
    /// recording replays to the same steps, bit for bit.
    func testBranchingAblationReplaysBitForBit() throws {
        let model = try DiTModel(directory: directory)
        let settings = SamplerSettings(kind: .ddim, steps: 8, eta: 0.5, cfgScale: 3, labels: [1], seed: 7)
        let recorded = try record(settings) { send, settle in
            for key in [Key.right, .right, .right] { send(key) }
            settle { !$0.busy }
            send(.char("4")); send(.char("]")); send(.char("X"))   // block.1 off from step 3
            send(.char("3")); send(.char("}")); send(.char("X"))   // and head 1 of block 1
            send(.end)
            settle { !$0.busy && !$0.follow }
        }
        XCTAssertEqual(recorded.settings.ablations.description, "block.1+head.1.1")
        let baseline = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: 7))
        try baseline.run()
        let sampler = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: 7))
        for _ in 0..<3 { try sampler.step() }
        try sampler.branch(at: 3, settings: recorded.settings)
        try sampler.run()
        XCTAssertEqual(recorded.steps.map(\.next), sampler.history.map { Planes($0.next) })
        XCTAssertNil(recorded.steps[2].unablatedX0)
        XCTAssertEqual(recorded.steps[3].unablatedX0, Planes(baseline.history[3].predXstart), "same x_t, no ablation")
        XCTAssertNotEqual(recorded.steps[3].predX0, recorded.steps[3].unablatedX0)
        let r = try replay(path)
        XCTAssertNil(r.mismatch())
        for f in [\StepView.next, \.predX0] { XCTAssertEqual(r.state.steps.map { $0[keyPath: f] }, recorded.steps.map { $0[keyPath: f] }) }
        XCTAssertEqual(r.state.steps.map(\.unablatedX0), recorded.steps.map(\.unablatedX0))
        XCTAssertEqual(r.state.current.lineage, recorded.current.lineage)
    }
}
