// The adaLN-Zero pane's ablation map: H asks for it while the pane is on screen (and cancels it
// when the pane is left), its events fill the table at 80 × 24, and the worker's numbers are the
// library's AblationSweep (what `dit ablate` prints) on the same settings.
import DiT
import DiTRender
import Foundation
import XCTest
@testable import DiTExplorer

final class AblationMapTests: XCTestCase {
    func job(_ effects: [Effect]) -> AblationMapJob? {
        effects.lazy.compactMap { if case .ablationMap(let j) = $0 { return j } else { return nil } }.first
    }

    func testHAsksForTheMapOnScreenAndCancelsItOffScreen() {
        var s = Fake.state(steps: 25)
        Fake.feed(&s, through: 2)
        XCTAssertNil(job(Fake.keys(&s, .char("4"))), "not shown: nothing computed")
        let asked = job(Fake.keys(&s, .char("H")))
        XCTAssertEqual(asked?.settings?.steps, 10)
        XCTAssertEqual(asked?.settings?.ablations, AblationSet.none)
        XCTAssertEqual(asked?.settings?.seed, s.settings.seed)
        XCTAssertEqual(asked?.starts, 4)
        XCTAssertTrue(s.ablationMap.running)
        XCTAssertNil(job(Fake.keys(&s, .char("]"))), "asked once")
        XCTAssertTrue(Explorer.render(s, width: 80, height: 24).text.contains("computing in the background: 0/… re-runs"))
        let cancel = job(Fake.keys(&s, .char("1")))
        XCTAssertEqual(cancel?.id, -1)
        XCTAssertNil(cancel?.settings)
        XCTAssertFalse(s.ablationMap.running)
        let again = job(Fake.keys(&s, .char("4")))
        XCTAssertEqual(again?.id, asked!.id + 1)
        // A stale job's answer is dropped; the current one's fills the table.
        let map = AblationMap(startSteps: [0, 3, 6, 9], delta: [[12.5, 8.25, 2, 0.125], [3, 1.5, 0.75, 0.0625]], baselineNorm: 20)
        _ = Explorer.update(&s, .worker(.ablationMap(.finished(id: asked!.id, map))))
        XCTAssertNil(s.ablationMap.map)
        _ = Explorer.update(&s, .worker(.ablationMap(.finished(id: again!.id, map))))
        XCTAssertEqual(s.ablationMap.map, map)
        XCTAssertNil(job(Fake.keys(&s, .char("1"), .char("4"))), "kept for the same settings")
        for (w, h) in [(80, 24), (160, 48)] {
            let text = Explorer.render(s, width: w, height: h).text
            for expected in ["k=0", "k=9", "12.50", "8.25", "0.12", "blk 1", "0.06", "which blocks matter when"] {
                XCTAssertTrue(text.contains(expected), "\(w)×\(h): \(expected)\n\(text)")
            }
        }
        // Lesson 4 reads the map: which block matters early, which late.
        XCTAssertTrue(LessonBook.text(.conditioning, .en, s).body.contains(
            "off from step 0 on, block 0 changes the sample most (‖Δx0‖ 12.50); off only from step 9 on, block 0 (0.12)."))
        XCTAssertTrue(LessonBook.text(.conditioning, .en, Fake.state()).body.contains("(Not computed yet: t, then H.)"))
        _ = Fake.keys(&s, .char("H"))
        XCTAssertTrue(Explorer.render(s, width: 80, height: 24).text.contains("gates over the trajectory"))
        _ = Fake.keys(&s, .char("c"))   // another class: another map when shown again
        XCTAssertEqual(job(Fake.keys(&s, .char("H")))?.settings?.labels, [1])
    }

    func testTheWorkersMapIsTheSweepsBitForBit() throws {
        let directory = Bundle.module.url(forResource: "Fixtures/tiny", withExtension: nil)!.path
        let model = try DiTModel(directory: directory), mailbox = Mailbox()
        let worker = AblationMapWorker(model: model, mailbox: mailbox)
        worker.start()
        defer { worker.stop() }
        let settings = SamplerSettings(kind: .ddim, steps: 6, cfgScale: 3, labels: [1], seed: 4)
        worker.submit(AblationMapJob(id: 1, settings: settings, starts: 3))
        var got: AblationMap?, progress = 0
        let deadline = Date().addingTimeInterval(30)
        while got == nil && Date() < deadline {
            for e in mailbox.drain() {
                if case .ablationMap(.finished(1, let m)) = e { got = m }
                if case .ablationMap(.progress(1, let done, _)) = e { progress = done }
            }
            usleep(1000)
        }
        let sweep = try AblationSweep.run(model: model, settings: settings, targets: AblationSweep.targets(model.config, heads: false),
                                          startSteps: [0, 3, 5])
        XCTAssertEqual(got?.startSteps, [0, 3, 5])
        XCTAssertEqual(got?.delta, sweep.rows.map(\.deltaNorm))
        XCTAssertEqual(got?.baselineNorm, sweep.baselineNorm)
        XCTAssertEqual(progress, model.config.depth * 3)
    }

    func testACancelledSweepThrowsBetweenSteps() throws {
        let directory = Bundle.module.url(forResource: "Fixtures/tiny", withExtension: nil)!.path
        let model = try DiTModel(directory: directory)
        var asked = 0
        XCTAssertThrowsError(try AblationSweep.run(model: model, settings: SamplerSettings(steps: 6, labels: [1], seed: 4),
                                                   targets: [.block(0)], startSteps: [0], cancelled: { asked += 1; return true })) {
            XCTAssertTrue($0 is CancellationError)
        }
        XCTAssertEqual(asked, 1, "asked after the first step of the first re-run")
    }
}
