import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

/// "When is the class decided": the decision rule and the strip under the timeline.
final class ClassStripTests: XCTestCase {
    func testFirstDecidedIsWhereTheRequestedClassStaysOnTop() {
        let schedule = Schedule(SamplerSettings(steps: 10), learnSigma: true)
        var steps = (0..<10).map { Fake.step($0, schedule: schedule) }   // p(class 0) = (k + 1)/10
        XCTAssertEqual(ClassDecision.firstDecided(steps, requested: 0), 4, "0.5 > 0.35 from step 4 on")
        XCTAssertNil(ClassDecision.firstDecided(steps, requested: 1))
        steps[7].classProbabilities = [0.1, 0.8, 0.1]                      // a late flip resets the decision
        XCTAssertEqual(ClassDecision.firstDecided(steps, requested: 0), 8)
        steps[9].classProbabilities = nil                                  // unscored last step: undecided
        XCTAssertNil(ClassDecision.firstDecided(steps, requested: 0))
    }

    func testStripAt80x24ShowsTheRequestedClass() {
        var s = Fake.state()
        Fake.feed(&s, through: 10)
        let layout = Layout(width: 80, height: 24)
        XCTAssertEqual(layout.classStrip.height, 2)
        let c = Explorer.render(s, width: 80, height: 24)
        let y = layout.classStrip.y
        XCTAssertTrue(c.line(y).contains("judge on x̂0 0 T-shirt on top from step 4 on (▼)"), c.line(y))
        XCTAssertTrue(c.line(y + 1).contains("p(0 T-shirt)"), c.line(y + 1))
        XCTAssertTrue(c.line(layout.timeline.y).contains("trajectory"), "the timeline sits above the strip")
    }

    func testStripAt160x48HasARowPerClassAndMarksTheDecision() {
        var s = Fake.state(mode: .truecolor)
        Fake.feed(&s, through: 10)
        let layout = Layout(width: 160, height: 48)
        XCTAssertEqual(layout.classStrip.height, 11)
        let c = Explorer.render(s, width: 160, height: 48)
        let r = layout.classStrip
        for (i, name) in ["0 T-shirt", "1 Trouser", "2 日本"].enumerated() {
            XCTAssertTrue(c.line(r.y + 1 + i).contains(name), c.line(r.y + 1 + i))
        }
        XCTAssertEqual(c[r.x + 4, r.y + 1].glyph, "▼", "decided at step 4, in the requested class's row")
        XCTAssertNotEqual(c[r.x + 9, r.y + 1].bg, c[r.x + 0, r.y + 1].bg, "probability as heat")
    }

    func testWithoutAJudgeTheStripSaysSo() {
        var s = Fake.state()
        Fake.feed(&s, through: 2)
        s.current.steps = s.current.steps.map { var v = $0; v.classProbabilities = nil; return v }
        let c = Explorer.render(s, width: 80, height: 24)
        XCTAssertTrue(c.line(Layout(width: 80, height: 24).classStrip.y).contains("no judge"))
    }
}
