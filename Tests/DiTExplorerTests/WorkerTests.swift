// The background worker on the tiny fixture model: its snapshots equal a Sampler run on this
// thread, branches reproduce Sampler.branch, and the UI state fills in through the mailbox.
import DiT
import XCTest
@testable import DiTExplorer

final class WorkerTests: XCTestCase {
    var directory: String { Bundle.module.url(forResource: "Fixtures/tiny", withExtension: nil)!.path }

    /// Applies worker events to the state until `done` holds (5 s deadline).
    func pump(_ s: inout ExplorerState, _ mailbox: Mailbox, until done: (ExplorerState) -> Bool) {
        let deadline = Date().addingTimeInterval(5)
        while !done(s) && Date() < deadline {
            for e in mailbox.drain() { _ = Explorer.update(&s, .worker(e)) }
            usleep(1000)
        }
        XCTAssertTrue(done(s), "timed out")
    }

    func perform(_ effects: [Effect], _ worker: SamplerWorker) {
        for e in effects { if case .request(let r) = e { worker.submit(r) } }
    }

    /// A worker on the tiny model and a state driven to the end of its trajectory (End).
    func session(_ settings: SamplerSettings) throws -> (DiTModel, Mailbox, SamplerWorker, ExplorerState) {
        let model = try DiTModel(directory: directory), mailbox = Mailbox()
        let worker = try SamplerWorker(model: model, settings: settings, mailbox: mailbox)
        var s = ExplorerState(model: ModelSummary(model: model, name: "tiny"), settings: settings)
        worker.start()
        perform(Explorer.start(&s), worker)
        perform(Explorer.update(&s, .key(.end)), worker)
        pump(&s, mailbox) { $0.steps.count == settings.steps }
        return (model, mailbox, worker, s)
    }

    func testStepsMatchASamplerRunAndCarryProbes() throws {
        let settings = SamplerSettings(kind: .ddim, steps: 10, cfgScale: 3, labels: [1], seed: 7)
        let (model, _, worker, s) = try session(settings)
        defer { worker.stop() }
        XCTAssertEqual(s.k, 9)

        let reference = try Sampler(model: try DiTModel(directory: directory), settings: settings, noise: NoiseSource(seed: 7))
        try reference.run()
        XCTAssertEqual(s.current.xT, Planes(reference.xT), "the UI's x_T is the sampler's")
        for (view, record) in zip(s.steps, reference.history) {
            XCTAssertEqual(view.timestep, record.timestep)
            XCTAssertEqual(view.predX0.values, Planes(record.predXstart).values)
            XCTAssertEqual(view.next.values, Planes(record.next).values)
        }
        let c = model.config, T = c.tokenCount
        let attention = try XCTUnwrap(s.steps[3].attention)
        XCTAssertEqual(attention.count, c.depth)
        for row in 0..<c.numHeads * T {   // softmax rows of the conditional sample
            XCTAssertEqual(attention[1][row * T..<(row + 1) * T].reduce(0, +), 1, accuracy: 1e-4)
        }
        XCTAssertEqual(s.steps[3].modulation?.first?.count, 6 * c.hiddenSize)
        XCTAssertEqual(s.steps[3].tokenNorms?.first?.count, T)
        XCTAssertEqual(s.steps[3].alphaBar, reference.history[3].alphaBar)
    }

    func testBranchAndSwapReproduceTheSampler() throws {
        let settings = SamplerSettings(kind: .ddpm, steps: 8, cfgScale: 2, labels: [0], seed: 3)
        var (_, mailbox, worker, s) = try session(settings)
        defer { worker.stop() }
        let original = s.steps
        for _ in 0..<3 { _ = Explorer.update(&s, .key(.left)) }      // k = 4
        perform(Explorer.update(&s, .key(.char("c"))), worker)       // class 1 from step 4
        perform(Explorer.update(&s, .key(.end)), worker)
        pump(&s, mailbox) { $0.steps.count == 8 }

        let reference = try Sampler(model: try DiTModel(directory: directory), settings: settings, noise: NoiseSource(seed: 3))
        try reference.run()
        var changed = settings
        changed.labels = [1]
        try reference.branch(at: 4, settings: changed)
        try reference.run()
        XCTAssertEqual(s.steps.map(\.next.values), reference.history.map { Planes($0.next).values })
        XCTAssertEqual(Array(s.steps.prefix(4)), Array(original.prefix(4)), "steps before the fork are shared")
        XCTAssertNotEqual(s.steps[5].predX0, original[5].predX0)

        // Swapping back shows the first branch at once; the worker replays it from the fork, so a
        // new branch at step 7 starts from the first branch's x_t.
        perform(Explorer.update(&s, .key(.char("x"))), worker)
        XCTAssertEqual(s.steps, original)
        XCTAssertEqual(s.label, 0)
        XCTAssertEqual(s.k, 7)
        perform(Explorer.update(&s, .key(.char("c"))), worker)
        pump(&s, mailbox) { $0.steps.count == 8 }
        let again = try Sampler(model: try DiTModel(directory: directory), settings: settings, noise: NoiseSource(seed: 3))
        try again.run()
        try again.branch(at: 7, settings: changed)
        try again.run()
        XCTAssertEqual(s.steps[7].predX0, Planes(again.history[7].predXstart))
    }

    func testDroppedAttentionIsRecomputedExactly() throws {
        let settings = SamplerSettings(kind: .ddim, steps: 6, cfgScale: 4, labels: [2], seed: 5)
        let (_, _, worker0, full) = try session(settings)   // every step keeps its attention
        worker0.stop()
        let model = try DiTModel(directory: directory), mailbox = Mailbox()
        let worker = try SamplerWorker(model: model, settings: settings, mailbox: mailbox)
        defer { worker.stop() }
        var s = ExplorerState(model: ModelSummary(model: model, name: "tiny"), settings: settings)
        s.attentionBudget = 2 * full.steps[0].attention!.reduce(0) { $0 + $1.count }
        worker.start()
        perform(Explorer.start(&s) + Explorer.update(&s, .key(.end)), worker)
        pump(&s, mailbox) { $0.steps.count == 6 }
        XCTAssertNil(s.steps[2].attention)
        perform(Explorer.update(&s, .key(.char("3"))) + Explorer.update(&s, .key(.home)), worker)
        for _ in 0..<2 { perform(Explorer.update(&s, .key(.right)), worker) }
        pump(&s, mailbox) { $0.steps[2].attention != nil }
        XCTAssertEqual(s.steps[2].attention, full.steps[2].attention, "the same forward pass again")
    }

    func testBadSettingsFailBeforeAnyThread() throws {
        let model = try DiTModel(directory: directory)
        XCTAssertThrowsError(try SamplerWorker(model: model, settings: SamplerSettings(labels: [9]), mailbox: Mailbox())) {
            XCTAssertEqual(($0 as? SettingError)?.setting, .labels, "a typed error: the library names no flag")
            XCTAssertFalse("\($0)".contains("--"), "\($0)")
        }
    }
}
