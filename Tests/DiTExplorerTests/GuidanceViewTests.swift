// The solvers and guidance lab in the explorer: m cycles the five samplers (branching when the
// schedule is shared, restarting when not), K / t / u change Karras σ, the guidance interval and
// ramp, the status line names them and counts NFE, G shows ε_cond, ε_uncond and the guidance
// term at 80×24 and 160×48, and sessions keep the new settings.
import DiT
import DiTRender
import Foundation
import TestSupport
import XCTest
@testable import DiTExplorer

final class GuidanceViewTests: XCTestCase {
    func testSamplerKeyCyclesAllFiveAndBranchesOnlyOnAShare() {
        var s = Fake.state()
        Fake.feed(&s, through: 6)
        _ = Fake.keys(&s, .right, .right, .right, .right)
        var seen = [s.settings.kind]
        _ = Fake.keys(&s, .char("m"))
        XCTAssertEqual(s.steps.count, 4, "DDIM → DDPM share the schedule: steps 0..<4 kept")
        XCTAssertEqual(s.message, "branched at step 4")
        seen.append(s.settings.kind)
        _ = Fake.keys(&s, .char("m"))
        XCTAssertEqual(s.steps.count, 0, "DDPM → DPM++2M: another schedule, restart from x_T")
        XCTAssertEqual(s.schedule.timesteps.first, 999, "DPM-Solver++'s linspace starts at 999")
        for _ in 0..<3 { seen.append(s.settings.kind); _ = Fake.keys(&s, .char("m")) }
        XCTAssertEqual(seen, [.ddim, .ddpm, .dpmSolver, .euler, .heun])
        XCTAssertEqual(s.settings.kind, .ddim, "m wraps around")
        _ = Fake.keys(&s, .char("M"))
        XCTAssertEqual(s.settings.kind, .heun, "M goes back")
        XCTAssertEqual(s.schedule.timesteps.prefix(3), [999, 888, 777], "Heun: linspace(0, 999, 10) reversed")
        _ = Fake.keys(&s, .char("n"))
        XCTAssertEqual(s.schedule.timesteps[1], 999 - 999 / 24, accuracy: 1e-3, "25 steps: fractional timesteps")
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).line(1).contains("t = 999"))
        for _ in 0..<6 { _ = Fake.keys(&s, .char("n")) }
        XCTAssertEqual(s.settings.steps, 1000)
        _ = Fake.keys(&s, .char("M"), .char("M"))                  // Heun → Euler → DPM++2M
        XCTAssertEqual(s.settings.kind, .dpmSolver)
        XCTAssertEqual(s.settings.steps, 250, "DPM++2M takes at most 999 steps: the largest choice below")
        _ = Fake.keys(&s, .char("n"))
        XCTAssertEqual(s.settings.steps, 250, "and n stays within it")
    }

    func testKarrasIntervalAndRampKeys() {
        var s = Fake.state()
        _ = Fake.keys(&s, .char("K"))
        XCTAssertFalse(s.settings.karras)
        XCTAssertEqual(s.message, "Karras σ are DPM++2M's, Euler's and Heun's: press m")
        _ = Fake.keys(&s, .char("m"), .char("m"), .char("m"))     // Euler
        let linspace = s.schedule
        _ = Fake.keys(&s, .char("K"))
        XCTAssertTrue(s.settings.karras)
        XCTAssertNotEqual(s.schedule, linspace, "Karras σ: another schedule")
        Fake.feed(&s, through: 5)
        _ = Fake.keys(&s, .right, .right)
        _ = Fake.keys(&s, .char("t"))
        XCTAssertEqual(s.settings.cfgInterval, 0...600)
        XCTAssertEqual(s.steps.count, 2, "the interval branches at k")
        _ = Fake.keys(&s, .char("t"), .char("t"), .char("t"))
        XCTAssertNil(s.settings.cfgInterval, "t wraps around to every step")
        _ = Fake.keys(&s, .char("T"))
        XCTAssertEqual(s.settings.cfgInterval, 600...999)
        _ = Fake.keys(&s, .char("u"), .char("u"))
        XCTAssertEqual(s.settings.cfgSchedule, .cosine)
        let status = Explorer.render(s, width: 160, height: 48).line(47)
        XCTAssertTrue(status.hasPrefix(" Euler Karras · 10 steps │ 0 T-shirt │ CFG 4.0 t∈[600,999] cosine │ seed 0 │ NFE 2 │"), status)
        var none = Fake.state(model: { var m = Fake.model; m.hasNullClass = false; return m }())
        _ = Fake.keys(&none, .char("t"))
        XCTAssertNil(none.settings.cfgInterval)
        XCTAssertEqual(none.message, "this model has no null class: guidance unavailable (CFG 1)")
    }

    func testGuidanceViewAt80x24And160x48() {
        var s = Fake.state()
        Fake.feed(&s, through: 10)
        _ = Fake.keys(&s, .right, .right, .char("G"))
        XCTAssertTrue(s.guidanceView)
        for (w, h) in [(80, 24), (160, 48)] {
            let c = Explorer.render(s, width: w, height: h)
            Golden.check(c.text, "guidance-\(w)x\(h)")
            let text = c.text
            XCTAssertTrue(text.contains("ε_cond  conditional"), text)
            XCTAssertTrue(text.contains("ε_uncond  null class"))
            XCTAssertTrue(text.contains("s·(ε_cond − ε_uncond)"))
            XCTAssertTrue(c.line(1).contains("s_t = 4.00"), c.line(1))
            XCTAssertTrue(text.contains("bars: RMS of s·(ε_cond − ε_uncond)"), "the term's size over the trajectory")
        }
        _ = Fake.keys(&s, .right)                        // step 3: unguided in the fake
        let c = Explorer.render(s, width: 160, height: 48)
        XCTAssertTrue(c.line(1).contains("unguided: ε̂ = ε_cond"), c.line(1))
        XCTAssertTrue(c.text.contains("unguided at this t: no null-class pass"))
        // the term's RMS: 4 · (ε − ½ a ε) with ε = −x0, a = (k + 1)/10, over the fake's gradient
        let g = try! XCTUnwrap(s.steps[2].guidance)
        XCTAssertEqual(g.term.values[0], 4 * (g.epsCond.values[0] - g.epsUncond.values[0]))
        XCTAssertEqual(DenoisingView.barValues(s)[3], 0, "an unguided step has no guidance term")
        XCTAssertEqual(DenoisingView.barValues(s)[2], g.termRMS)
        _ = Fake.keys(&s, .char("G"))
        XCTAssertTrue(Explorer.render(s, width: 80, height: 24).text.contains("x_t  noisy input"), "G again: back to x_t, ε̂, x̂0")
    }

    func testSessionHeaderKeepsSolverAndGuidance() throws {
        var st = SamplerSettings(kind: .heun, steps: 25, cfgScale: 2.5, labels: [1], seed: 3, karras: true,
                                 cfgInterval: 80...600, cfgSchedule: .linear)
        let s = ExplorerState(model: Fake.model, settings: st, colorMode: .ascii)
        let header = SessionHeader(modelDir: NSTemporaryDirectory(), state: s, width: 80, height: 24)
        let back = try JSONDecoder().decode(SessionHeader.self, from: JSONEncoder().encode(header))
        XCTAssertEqual(back.samplerSettings, st)
        // a session recorded before these settings existed: no Karras, plain CFG
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(header)) as! [String: Any]
        var settings = old["settings"] as! [String: Any]
        for key in ["karras", "cfgInterval", "cfgSchedule"] { settings.removeValue(forKey: key) }
        settings["sampler"] = "ddim"
        old["settings"] = settings
        let decoded = try JSONDecoder().decode(SessionHeader.self, from: JSONSerialization.data(withJSONObject: old))
        st = SamplerSettings(kind: .ddim, steps: 25, cfgScale: 2.5, labels: [1], seed: 3)
        XCTAssertEqual(decoded.samplerSettings, st)
    }
}
