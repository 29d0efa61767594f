// The sheet export (W): the key asks for a sheet of the current settings (once at a time), the
// worker's cells are the library Sampler's samples bit for bit, the files are written under their
// names once the samples are in (a bad directory reported as the other exports'), and the job runs
// on the worker's thread while update() goes on answering keys.
import DiT
import DiTRender
import Foundation
import TestSupport
import XCTest
@testable import DiTExplorer

final class SheetExportTests: XCTestCase {
    func job(_ effects: [Effect]) -> SheetJob? {
        effects.lazy.compactMap { if case .sheet(let j) = $0 { return j } else { return nil } }.first
    }

    var tiny: String { Bundle.module.url(forResource: "Fixtures/tiny", withExtension: nil)!.path }

    func testWAsksForTheSheetAroundTheCurrentSettingsOnceAtATime() throws {
        var s = Fake.state(steps: 25)
        XCTAssertEqual(Keymap.command(for: .char("W")), .sheet)
        for pane in Pane.allCases { XCTAssertEqual(Keymap.command(for: .char("W"), in: pane), .sheet, "\(pane)") }
        _ = Fake.keys(&s, .char("c"), .char("m"))   // class 1, DDPM
        let asked = try XCTUnwrap(job(Fake.keys(&s, .char("W"))))
        XCTAssertEqual(asked.cells?.map(\.cfgScale), [2, 2, 2, 4, 4, 4, 8, 8, 8])
        XCTAssertEqual(asked.cells?.map { $0.labels }, Array(repeating: [[1], [2], [0]], count: 3).flatMap { $0 })
        XCTAssertEqual(Set(asked.cells!.map(\.kind)), [.ddpm])
        XCTAssertTrue(s.sheet.running)
        XCTAssertEqual(s.message, "sheet 0/9 in the background: CFG 2.0/4.0/8.0 × 3 classes from 1 Trouser")
        let plan = try XCTUnwrap(s.sheet.plan)
        XCTAssertEqual(plan.name, "dit-sheet-cfg-class-seed0")
        XCTAssertEqual(plan.rowLabels, ["CFG 2.0", "CFG 4.0", "CFG 8.0"])
        XCTAssertEqual(plan.title, "rows: CFG x1/2, x1, x2; columns: next classes; DDPM, 25 steps, seed 0, no ablations")
        XCTAssertNil(job(Fake.keys(&s, .char("W"))), "one sheet at a time")
        XCTAssertEqual(s.message, "sheet still computing (0/9): CFG 2.0/4.0/8.0 × 3 classes from 1 Trouser")
        // The progress goes to the status line; a stale job's answers are dropped.
        _ = Explorer.update(&s, .worker(.sheet(.progress(id: asked.id, done: 4, total: 9))))
        let screen = Explorer.render(s, width: 200, height: 40).text
        XCTAssertTrue(screen.contains("sheet 4/9: CFG 2.0/4.0/8.0"), screen)
        _ = Explorer.update(&s, .worker(.sheet(.finished(id: asked.id + 7, samples: []))))
        XCTAssertTrue(s.sheet.running)
        // Guidance off for a model without the null class: one row; one class: the next seeds.
        var plain = Fake.model
        plain.hasNullClass = false
        XCTAssertEqual(Explorer.sheetPlan(Fake.state(model: plain)).cells.map(\.cfgScale), [4, 4, 4])
        var one = Fake.model
        one.config.numClasses = 1
        let seeds = Explorer.sheetPlan(Fake.state(model: one))
        XCTAssertEqual(seeds.cells.map(\.seed), [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        XCTAssertEqual(seeds.name, "dit-sheet-cfg-seed-class0")
        // CFG 0 stays one row (halved and doubled are the same); ablations are in the title.
        var s0 = Fake.state()
        s0.current.lineage[0].settings.cfgScale = 0
        s0.current.lineage[0].settings.ablations = try AblationSet(specs: ["block.1"])
        let p0 = Explorer.sheetPlan(s0)
        XCTAssertEqual(p0.rowLabels, ["CFG 0.0"])
        XCTAssertTrue(p0.title.hasSuffix("off block.1"), p0.title)
    }

    func testTheWorkersCellsAreTheSamplersBitForBitAndTheFilesAreWritten() throws {
        let model = try DiTModel(directory: tiny), mailbox = Mailbox()
        var s = Session.state(SessionSetup(model: model, name: "tiny", settings: SamplerSettings(kind: .ddim, steps: 5, cfgScale: 3, labels: [2], seed: 7)))
        let asked = try XCTUnwrap(job(Explorer.update(&s, .key(.char("W")))))
        let worker = SheetWorker(model: model, mailbox: mailbox)
        worker.start()
        defer { worker.stop() }
        let before = Date()
        XCTAssertTrue(worker.perform(.sheet(asked)))
        XCTAssertLessThan(Date().timeIntervalSince(before), 0.05, "submitting does not sample")
        // The UI goes on answering while the sheet is computed.
        XCTAssertFalse(Explorer.update(&s, .key(.right)).isEmpty || s.sheet.running == false)
        var exports: [Effect] = [], progress = 0
        let deadline = Date().addingTimeInterval(60)
        while s.sheet.running && Date() < deadline {
            for e in mailbox.drain() {
                if case .sheet(.progress(_, let done, _)) = e { progress = done }
                exports += Explorer.update(&s, .worker(e))
            }
            usleep(1000)
        }
        XCTAssertEqual(progress, 9)
        XCTAssertEqual(exports.filter { $0 == .export(.sheet) }.count, 1, "the export is asked for once")
        XCTAssertFalse(Explorer.update(&s, .tick(now: 1)).contains(.export(.sheet)))
        let cells = try XCTUnwrap(asked.cells), samples = try XCTUnwrap(s.sheet.samples), per = 64
        XCTAssertEqual(samples.count, cells.count * per)
        for (i, settings) in cells.enumerated() {
            let x0 = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: settings.seed)).run()
            XCTAssertEqual(Array(samples[i * per..<(i + 1) * per]), Array(UnsafeBufferPointer(start: x0.data, count: per)), "cell \(i)")
        }
        // The files, named by what they are; the .npy holds the samples as (rows, cols, C, H, W).
        let dir = NSTemporaryDirectory() + "dit-sheet-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = Exporter(directory: dir).write(.sheet, s, screen: (100, 30))
        XCTAssertEqual(report, "wrote dit-sheet-cfg-class-seed7.png, dit-sheet-cfg-class-seed7.npy in \(dir) (sheet CFG 1.5/3.0/6.0 × 3 classes from class 2)")
        let npy = try NPY.read(dir + "/dit-sheet-cfg-class-seed7.npy")
        XCTAssertEqual(npy.shape, [3, 3, 1, 8, 8])
        XCTAssertEqual(Array(UnsafeBufferPointer(start: npy.data, count: npy.count)), samples)
        let picture = try XCTUnwrap(Explorer.sheetPicture(s)).picture
        XCTAssertEqual(try Decoders.file(dir + "/dit-sheet-cfg-class-seed7.png"),
                       "PNG image data, \(picture.width) x \(picture.height), 8-bit/color RGB, non-interlaced")
        if let png = try Decoders.pillow(dir + "/dit-sheet-cfg-class-seed7.png") { XCTAssertEqual(png.rgb, picture.rgbBytes) }
        // The status line reports what was written.
        _ = Explorer.update(&s, .exported(report))
        XCTAssertEqual(s.message, report)
    }

    func testABadDirectoryOrNoSheetIsReportedAsTheOtherExports() throws {
        var s = Fake.state()
        XCTAssertEqual(Exporter(directory: NSTemporaryDirectory()).write(.sheet, s, screen: (80, 24)),
                       "export failed: sheet: no sheet computed yet: press W and wait for it")
        let asked = try XCTUnwrap(job(Fake.keys(&s, .char("W"))))
        _ = Explorer.update(&s, .worker(.sheet(.finished(id: asked.id, samples: Array(repeating: 0, count: asked.cells!.count * 64)))))
        let report = Exporter(directory: "/nonexistent/dit-exports").write(.sheet, s, screen: (80, 24))
        XCTAssertEqual(report, Exporter(directory: "/nonexistent/dit-exports").write(.png, s, screen: (80, 24)))
        XCTAssertTrue(report.hasPrefix("export failed: "), report)
        // A failed sheet says so and lets W start another.
        let again = try XCTUnwrap(job(Fake.keys(&s, .char("W"))))
        _ = Explorer.update(&s, .worker(.sheet(.failed(id: again.id, "not finite"))))
        XCTAssertEqual(s.message, "sheet failed: not finite")
        XCTAssertNotNil(job(Fake.keys(&s, .char("W"))))
    }

    func testTheSessionHasASheetWorker() throws {
        let model = try DiTModel(directory: tiny)
        let workers = try Session.workers(SessionSetup(model: model, name: "tiny", settings: SamplerSettings(steps: 5, labels: [0])))
        XCTAssertEqual(workers.others.filter { $0 is SheetWorker }.count, 1)
    }

    func testThroughTheSessionDriverTheKeysGoOnWhileTheSheetIsComputedThenTheFilesAreWritten() throws {
        let model = try DiTModel(directory: tiny)
        let dir = NSTemporaryDirectory() + "dit-sheet-driver-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let setup = SessionSetup(model: model, name: "tiny", settings: SamplerSettings(kind: .ddim, steps: 50, cfgScale: 2, labels: [0], seed: 3))
        let driver = try Session.open(setup, screen: (100, 30), exporter: Exporter(directory: dir))
        driver.start()
        defer { driver.workers.stop() }
        let before = Date()
        driver.send(.key(.char("W")))
        driver.send(.key(.char("2")))                   // a key while the sheet is computed: answered at once
        XCTAssertLessThan(Date().timeIntervalSince(before), 0.5, "the sheet is not computed in update()")
        XCTAssertEqual(driver.state.pane, .patches)
        XCTAssertTrue(driver.state.sheet.running)
        let deadline = Date().addingTimeInterval(120)
        while !(driver.state.message ?? "").hasPrefix("wrote") && Date() < deadline { driver.drain(); usleep(2000) }
        let name = dir + "/dit-sheet-cfg-class-seed3"
        XCTAssertEqual(driver.state.message, "wrote dit-sheet-cfg-class-seed3.png, dit-sheet-cfg-class-seed3.npy in \(dir) (sheet CFG 1.0/2.0/4.0 × 3 classes from class 0)")
        XCTAssertEqual(try NPY.read(name + ".npy").shape, [3, 3, 1, 8, 8])
        XCTAssertTrue(FileManager.default.fileExists(atPath: name + ".png"))
    }

    func testTheSheetsPixelsRoundAsThePNGWritersDo() {
        for v in stride(from: Float(-1.2), through: 1.2, by: 0.001) { XCTAssertEqual(ContactSheet.byte(v), PNG.byte(v), "\(v)") }
    }
}
