// Session recording and replay on the tiny fixture model with the real worker: a replay ends
// on the recorded image bit for bit, a tampered recording does not, and a malformed one is
// refused naming its line and field.
import DiT
import Foundation
import XCTest
@testable import DiTExplorer

final class ReplayTests: XCTestCase {
    var directory: String { Bundle.module.url(forResource: "Fixtures/tiny", withExtension: nil)!.path }
    var dir = ""
    var path: String { dir + "/session.jsonl" }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "dit-replay-\(ProcessInfo.processInfo.processIdentifier)-\(name.filter(\.isLetter))"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { if ProcessInfo.processInfo.environment["DIT_KEEP"] == nil { try? FileManager.default.removeItem(atPath: dir) } }

    /// Records a session the way the terminal loop drives one: keys pressed while the sampler is
    /// still busy (k chases it), a branch, η (stochastic DDIM: step noise), play on the clock, a
    /// sampler switch, an export, quit. Returns the final state.
    func record() throws -> ExplorerState {
        try record(SamplerSettings(kind: .ddim, steps: 10, cfgScale: 3, labels: [1], seed: 7)) { send, settle in
            for key in [Key.right, .right, .right, .right] { send(key) }
            settle { !$0.busy }
            send(.left)
            send(.char("c"))                          // class 2 from step 3
            send(.char("e"))                          // η 0.1: stochastic from here
            send(.end)
            settle { !$0.busy }
            send(.home)
            send(.char(" "))                          // play, moved by the clock
            settle { !$0.playing }
            for _ in 0..<3 { send(.left) }
            send(.char("m"))                          // DDPM from step 6
            send(.char("w"))                          // export: its report is recorded
            send(.right)
            settle { !$0.busy }
        }
    }

    /// A session under `settings`: `script` presses keys and waits (settle) for the state; then q.
    func record(_ settings: SamplerSettings,
                _ script: (_ send: (Key) -> Void, _ settle: ((ExplorerState) -> Bool) -> Void) -> Void) throws -> ExplorerState {
        let model = try DiTModel(directory: directory), mailbox = Mailbox()
        let worker = try SamplerWorker(model: model, settings: settings, mailbox: mailbox)
        defer { worker.stop() }
        let start = ExplorerState(model: ModelSummary(model: model, name: "tiny"), settings: settings)
        let driver = SessionDriver(state: start, worker: worker, mailbox: mailbox, screen: (100, 35),
                                   exporter: Exporter(directory: dir))
        driver.recorder = try SessionRecorder(path: path, header: SessionHeader(modelDir: directory, state: start, width: 100, height: 35))
        func settle(_ done: (ExplorerState) -> Bool) {
            let deadline = Date().addingTimeInterval(20)
            while !done(driver.state) && Date() < deadline { driver.drain(); driver.tick(); usleep(300) }
            XCTAssertTrue(done(driver.state), "timed out")
        }
        driver.start()
        script({ driver.send(.key($0)) }, settle)
        driver.send(.key(.char("q")))
        driver.finish()
        return driver.state
    }

    func replay(_ file: String) throws -> SessionReplay {
        let r = try SessionReplay(try Recording.read(file), model: try DiTModel(directory: directory), name: "tiny")
        r.start()
        try r.runToEnd(timeout: 60)
        r.stop()
        return r
    }

    func testReplayEndsOnTheRecordedImageBitForBit() throws {
        let recorded = try record()
        XCTAssertEqual(recorded.k, 7)
        XCTAssertEqual(recorded.settings.kind, .ddpm)
        let recording = try Recording.read(path)
        let entries = recording.entries.map(\.entry)
        XCTAssertEqual(recording.header.settings.seed, 7)
        XCTAssertTrue(recording.header.model.fingerprint.hasPrefix("fnv1a64:"))
        XCTAssertEqual(entries.filter { $0.key != nil }.count, 17)
        XCTAssertTrue(entries.contains { $0.worker == "stepped" })
        XCTAssertTrue(entries.contains { $0.tick != nil }, "play moved k on the clock")
        XCTAssertTrue(entries.contains { $0.exported?.hasPrefix("wrote ") == true })
        XCTAssertEqual(recording.footer?.k, 7)

        let r = try replay(path)
        XCTAssertNil(r.mismatch())
        XCTAssertEqual(r.state.xt.values.map(\.bitPattern), recorded.xt.values.map(\.bitPattern))
        XCTAssertEqual(r.state.steps.map(\.next), recorded.steps.map(\.next))
        XCTAssertEqual(r.state.current.lineage, recorded.current.lineage)
        XCTAssertEqual(r.state.k, recorded.k)
        XCTAssertTrue(r.state.quit)
    }

    /// The diffusers solvers and the guidance keys replay bit for bit too: Heun with Karras σ,
    /// a guidance interval and ramp from step 2 (a branch re-evaluating from the kept state),
    /// then DPM-Solver++ (a restart), whose second-order steps read x̂0 back from the history.
    func testSolversAndGuidanceReplayBitForBit() throws {
        var heunNFE = 0
        let recorded = try record(SamplerSettings(kind: .heun, steps: 10, cfgScale: 3, labels: [1], seed: 7, karras: true)) { send, settle in
            for key in [Key.right, .right, .right] { send(key) }
            settle { !$0.busy }
            send(.left)
            send(.char("t"))                          // guidance only for t ≤ 600, from step 2
            send(.char("u"))                          // linear ramp
            send(.end)
            settle { heunNFE = $0.steps.reduce(0) { $0 + $1.nfe }; return !$0.busy && !$0.follow }
            send(.char("M"))                          // Euler: a restart (another schedule)
            send(.char("M"))                          // DPM++2M
            send(.end)
            settle { !$0.busy && !$0.follow }
        }
        XCTAssertEqual(heunNFE, 19, "Heun: two evaluations a step but the last")
        XCTAssertEqual(recorded.settings.kind, .dpmSolver)
        XCTAssertTrue(recorded.settings.karras, "Karras σ carry over between the solvers that take them")
        XCTAssertEqual(recorded.settings.cfgInterval, 0...600)
        XCTAssertEqual(recorded.settings.cfgSchedule, .linear)
        XCTAssertEqual(recorded.steps.count, 10)
        XCTAssertEqual(recorded.steps.reduce(0) { $0 + $1.nfe }, 10)
        XCTAssertNil(recorded.steps[0].guidance, "t = 999 is outside 0…600: unguided")
        XCTAssertNotNil(recorded.steps[9].guidance)
        let r = try replay(path)
        XCTAssertNil(r.mismatch())
        XCTAssertEqual(r.state.xt.values.map(\.bitPattern), recorded.xt.values.map(\.bitPattern))
        XCTAssertEqual(r.state.steps.map(\.next), recorded.steps.map(\.next))
        XCTAssertEqual(r.state.current.lineage, recorded.current.lineage)
    }

    func testAChangedSeedIsAMismatch() throws {
        _ = try record()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains("\"seed\":7"))
        try text.replacingOccurrences(of: "\"seed\":7", with: "\"seed\":8").write(toFile: path, atomically: true, encoding: .utf8)
        let problem = try XCTUnwrap(try replay(path).mismatch())
        XCTAssertTrue(problem.contains("x_t checksum"), problem)
        XCTAssertFalse(problem.contains("float tolerance"), "another seed is another image: \(problem)")
    }

    /// Different last bits (as another CPU's BLAS would give) are told apart from a different image.
    func testBitDifferencesAreMeasuredAgainstTheRecordedImage() throws {
        let recorded = try record()
        let footer = try XCTUnwrap(try Recording.read(path).footer)
        XCTAssertEqual(ImageChecksum.floats(base64: try XCTUnwrap(footer.xt))?.map(\.bitPattern), recorded.xt.values.map(\.bitPattern))
        var nudged = recorded.xt.values
        nudged[0] = nudged[0].nextUp
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: footer.xt!, with: ImageChecksum.base64(nudged))
            .replacingOccurrences(of: footer.checksum.xt, with: ImageChecksum.hex(nudged))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let problem = try XCTUnwrap(try replay(path).mismatch())
        XCTAssertTrue(problem.contains("float tolerance"), problem)
        XCTAssertTrue(problem.contains(String(format: "max |Δ| %.2e", nudged[0] - recorded.xt.values[0])), problem)
    }

    func testMalformedRecordingsNameTheLineAndField() throws {
        _ = try record()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        func refused(_ edited: [String], _ field: String, file: StaticString = #filePath, line: UInt = #line) {
            let bad = dir + "/bad.jsonl"
            try? edited.joined(separator: "\n").write(toFile: bad, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try Recording.read(bad), file: file, line: line) { error in
                XCTAssertEqual((error as? DiTError)?.file, bad, file: file, line: line)
                XCTAssertEqual((error as? DiTError)?.field, field, "\(error)", file: file, line: line)
            }
        }
        refused([lines[0].replacingOccurrences(of: "\"version\":1,", with: "")] + lines.dropFirst(), "line 1: version")
        refused([lines[0].replacingOccurrences(of: "\"ddim\"", with: "\"dpm++3m\"")] + lines.dropFirst(), "line 1: settings.sampler")
        refused([lines[0].replacingOccurrences(of: "\"cfgSchedule\":\"constant\"", with: "\"cfgSchedule\":\"square\"")] + lines.dropFirst(),
                "line 1: settings.cfgSchedule / cfgInterval")
        refused([lines[0], "{\"t\":0.5,\"key\":\"sideways\"}"], "line 2: key")
        refused([lines[0], "{\"t\":0.5,\"worker\":\"stepped\",\"generation\":0}"], "line 2: worker")
        refused([lines[0], "{\"t\":\"soon\",\"key\":\"q\"}"], "line 2: t")
        refused([lines[0], "not json"], "line 2")
        refused([], "line 1")
    }
}
