import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

/// The Compare pane: jobs asked for when the pane shows other settings, rows filled from the
/// worker's events, the view at 80×24 and 160×48, and the worker against a direct Sampler.
final class CompareTests: XCTestCase {
    static let entries = [
        CompareEntry(name: "dit-s8-fashion", preset: "DiT-S/8", gflops: 0.355, parameters: 32_540_288,
                     measured: [MeasuredQuality(samples: 200, steps: 50, sampler: "ddim", cfg: 4, accuracy: 0.995, fid: 90.33)]),
        CompareEntry(name: "dit-s2-fashion", preset: "DiT-S/2", gflops: 6.06, parameters: 32_424_000),
    ]

    func compareState() -> ExplorerState {
        var s = Fake.state()
        s.comparison = ComparisonState(entries: Self.entries)
        return s
    }

    func testEnteringThePaneAsksOnceAndASettingChangeAsksAgain() {
        var s = compareState()
        XCTAssertTrue(Fake.keys(&s, .right).allSatisfy { if case .compare = $0 { return false }; return true },
                      "no comparison while the pane is hidden")
        let first = Fake.keys(&s, .char("7")).compactMap { if case .compare(let j) = $0 { return j }; return nil }
        XCTAssertEqual(first.count, 1)
        XCTAssertEqual(first.first?.settings?.seed, 0)
        XCTAssertEqual(Fake.keys(&s, .right).filter { if case .compare = $0 { return true }; return false }.count, 0)
        let again = Fake.keys(&s, .char("s")).compactMap { if case .compare(let j) = $0 { return j }; return nil }
        XCTAssertEqual(again.map(\.settings?.seed), [1])
        XCTAssertEqual(again.first?.id, first[0].id + 1)
        let left = Fake.keys(&s, .char("1")).compactMap { if case .compare(let j) = $0 { return j }; return nil }
        XCTAssertEqual(left.map(\.settings), [nil], "leaving the pane stops the comparison")
        XCTAssertEqual(Fake.keys(&s, .right).filter { if case .compare = $0 { return true }; return false }.count, 0)
        XCTAssertEqual(Fake.keys(&s, .char("7")).compactMap { if case .compare(let j) = $0 { return j.settings?.seed }; return nil } as [UInt64], [1],
                       "back on the pane it runs again")
    }

    /// Issue 27: a class or CFG change after step 0 (a branch at step 2) reruns the pane with it,
    /// and the pane's text names the new class and scale.
    func testAChangeAfterStepZeroReruns() {
        var s = compareState()
        Fake.feed(&s, through: 4)
        _ = Fake.keys(&s, .right, .right)
        XCTAssertEqual(s.k, 2)
        _ = Fake.keys(&s, .char("7"))
        let job = Fake.keys(&s, .char("c")).compactMap { if case .compare(let j) = $0 { return j }; return nil }
        XCTAssertEqual(job.map(\.settings?.labels), [[1]], "the class chosen at step 2")
        let cfg = Fake.keys(&s, .char("+")).compactMap { if case .compare(let j) = $0 { return j }; return nil }
        XCTAssertEqual(cfg.map(\.settings?.cfgScale), [4.5])
        let text = Explorer.render(s, width: 160, height: 48).text
        XCTAssertTrue(text.contains("Trouser"), text)
        XCTAssertTrue(text.contains("4.5"), text)
    }

    /// The session's bundle hands each effect to the worker it is for: the pane's comparison and
    /// lesson 4's designs are two workers of one type.
    func testEachEffectGoesToItsWorker() {
        let mailbox = Mailbox()
        let pane = CompareWorker(directories: [], mailbox: mailbox), designs = CompareWorker(directories: [], mailbox: mailbox, target: .designs)
        let job = CompareJob(id: 1, settings: nil, target: .designs)
        XCTAssertNil(pane.job(in: .compare(job)))
        XCTAssertEqual(designs.job(in: .compare(job)), job)
        XCTAssertNil(designs.job(in: .quit))
        XCTAssertTrue(designs.events === mailbox)
    }

    func testRowsTakeTheirStepsInOrderAndDropStaleJobs() {
        var s = compareState()
        _ = Fake.keys(&s, .char("7"))
        let id = s.comparison.id, p = Fake.step(0, schedule: s.schedule).predX0
        _ = Explorer.update(&s, .worker(.compare(.stepped(id: id, model: 1, k: 0, predX0: p))))
        _ = Explorer.update(&s, .worker(.compare(.stepped(id: id, model: 1, k: 2, predX0: p))))      // out of order
        _ = Explorer.update(&s, .worker(.compare(.stepped(id: id - 1, model: 0, k: 0, predX0: p))))  // stale
        XCTAssertEqual(s.comparison.rows.map(\.count), [0, 1])
        _ = Explorer.update(&s, .worker(.compare(.failed(id: id, model: 0, "no weights"))))
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).text.contains("failed: no weights"))
    }

    func testADesignModelShowsItsSizeAndStepsWholeAtEverySize() {
        var s = Fake.state()
        s.comparison = ComparisonState(entries: [
            CompareEntry(name: "dit-d128-l4-p8-in-context", preset: "DiT-D128-L4/8", gflops: 0.0138, parameters: 1_234_567,
                         conditioning: .inContext, trainingSteps: 4250)])
        _ = Fake.keys(&s, .char("7"))
        for (w, h) in [(60, 20), (80, 24), (160, 48)] {
            let text = Explorer.render(s, width: w, height: h).text
            for fact in ["DiT-D128-L4/8", "0.0138", "1.235 M", "4250 steps"] {
                XCTAssertTrue(text.contains(fact), "\(fact) at \(w)×\(h)\n\(text)")
            }
        }
    }

    func testFourDesignsAt80x24StateWhichSizeStepsAndAccuracy() {
        // Four rows of four lines: the shared "dit-d128-l4-p8-" goes, the design stays whole, and
        // steps and accuracy come before Gflops and parameters.
        var s = Fake.state()
        let designs: [(String, Conditioning, Double)] = [("in-context", .inContext, 0.786), ("cross-attention", .crossAttention, 0.822),
                                                          ("adaln", .adaLN, 0.861), ("adaln-zero", .adaLNZero, 0.963)]
        s.comparison = ComparisonState(entries: designs.map { name, design, acc in
            CompareEntry(name: "dit-d128-l4-p8-\(name)", preset: "DiT-D128-L4/8", gflops: 0.0138, parameters: 1_234_567,
                         measured: [MeasuredQuality(samples: 1000, steps: 50, sampler: "ddim", cfg: 4, accuracy: acc, fid: 90)],
                         conditioning: design, trainingSteps: 18000)
        })
        _ = Fake.keys(&s, .char("7"))
        let text = Explorer.render(s, width: 80, height: 24).text
        for (name, _, acc) in designs {
            XCTAssertTrue(text.split(separator: "\n").contains { $0.hasPrefix(" \(name)") && !$0.hasPrefix(" \(name)-") },
                          "\(name) whole at the start of a row\n\(text)")
            XCTAssertTrue(text.contains(String(format: "acc %.1f %% CFG 4", 100 * acc)), "\(name)\n\(text)")
        }
        XCTAssertEqual(text.components(separatedBy: "18000 steps").count - 1, 4, text)
        XCTAssertEqual(text.components(separatedBy: "DiT-D128-L4/8").count - 1, 4, text)
        XCTAssertEqual(CompareView.shownNames(["dit-s8-fashion", "dit-s2-fashion"], width: 16), ["dit-s8-fashion", "dit-s2-fashion"])
        XCTAssertEqual(CompareView.shownNames(["a-very-long-model-name-x"], width: 10), ["…el-name-x"])
    }

    func testViewAt80x24And160x48() {
        var s = compareState()
        _ = Fake.keys(&s, .char("7"))
        for k in 0..<10 {
            for m in 0..<2 {
                _ = Explorer.update(&s, .worker(.compare(.stepped(id: s.comparison.id, model: m, k: k,
                                                                 predX0: Fake.step(k, schedule: s.schedule).predX0))))
            }
        }
        let small = Explorer.render(s, width: 80, height: 24).text
        for text in ["same x_T, class 0 T-shirt", "dit-s8-fashion", "DiT-S/8 · 0.355", "dit-s2-fashion", "x0"] {
            XCTAssertTrue(small.contains(text), "\(text) in\n\(small)")
        }
        let large = Explorer.render(s, width: 160, height: 48).text
        XCTAssertTrue(large.contains("acc 99.5 %") && large.contains("FID 90.33"), large)
        XCTAssertTrue(large.contains("not measured (dit eval)"))
        XCTAssertGreaterThan(large.components(separatedBy: "k=").count, small.components(separatedBy: "k=").count,
                             "a wider screen shows more steps")
        Golden.check(small, "compare-models-80x24")
    }

    func testWorkerRunsEachModelAsASamplerWould() throws {
        let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/tiny").path
        let mailbox = Mailbox()
        let worker = CompareWorker(directories: [dir, dir], mailbox: mailbox)
        worker.start()
        defer { worker.stop() }
        let settings = SamplerSettings(kind: .ddim, steps: 3, cfgScale: 2, labels: [1], seed: 4)
        worker.submit(CompareJob(id: 1, settings: settings))
        var got: [CompareEvent] = []
        let deadline = Date().addingTimeInterval(30)
        while got.count < 6 && Date() < deadline {
            for case .compare(let e) in mailbox.drain() { got.append(e) }
            usleep(2000)
        }
        XCTAssertEqual(got.count, 6)
        let s = try Sampler(model: DiTModel(directory: dir), settings: settings, noise: NoiseSource(seed: 4))
        let direct = try (0..<3).map { _ in Planes(try s.step()!.predXstart) }
        for case .stepped(_, let m, let k, let p, .pane) in got { XCTAssertEqual(p, direct[k], "model \(m) step \(k)") }
    }
}
