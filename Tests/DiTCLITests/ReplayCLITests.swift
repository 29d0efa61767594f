// `dit replay` and `dit sample --gif` through the binary: OK / MISMATCH / bad file exit codes
// and messages, the asciicast it writes, and the GIF as `file` sees it.
import DiT
import DiTExplorer
import Foundation
import XCTest

final class ReplayCLITests: XCTestCase {
    /// A short session on the tiny model: DDPM (step noise), to the end, one step back, quit.
    func record(_ path: String) throws {
        let model = try DiTModel(directory: CLITests.tiny), mailbox = Mailbox()
        let settings = SamplerSettings(kind: .ddpm, steps: 6, cfgScale: 2, labels: [2], seed: 11)
        let worker = try SamplerWorker(model: model, settings: settings, mailbox: mailbox)
        defer { worker.stop() }
        let start = ExplorerState(model: ModelSummary(model: model, name: "tiny"), settings: settings)
        let driver = SessionDriver(state: start, worker: worker, mailbox: mailbox, screen: (90, 30))
        driver.recorder = try SessionRecorder(path: path, header: SessionHeader(modelDir: CLITests.tiny, state: start, width: 90, height: 30))
        driver.start()
        driver.send(.key(.end))
        let deadline = Date().addingTimeInterval(20)
        while driver.state.busy && Date() < deadline { driver.drain(); usleep(300) }
        driver.send(.key(.left))
        driver.send(.key(.char("q")))
        driver.finish()
    }

    func testReplayChecksTheFinalImage() throws {
        let path = tmp("session.jsonl"), cast = tmp("session.cast")
        try record(path)
        let ok = try dit(["replay", path, "--headless", "--asciicast", cast])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("OK \(path):"), ok.stdout)

        // asciicast v2: a header object, then [time, "o", text] events in time order.
        let lines = try String(contentsOfFile: cast, encoding: .utf8).split(separator: "\n")
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(header["version"] as? Int, 2)
        XCTAssertEqual(header["width"] as? Int, 90)
        XCTAssertEqual(header["height"] as? Int, 30)
        XCTAssertNotNil(header["timestamp"] as? Int)
        XCTAssertNotNil(header["env"] as? [String: String])
        var last = -1.0, text = ""
        for line in lines.dropFirst() {
            let event = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            XCTAssertEqual(event.count, 3)
            let t = try XCTUnwrap(event[0] as? Double)
            XCTAssertGreaterThanOrEqual(t, last)
            last = t
            XCTAssertEqual(event[1] as? String, "o")
            text += try XCTUnwrap(event[2] as? String)
        }
        XCTAssertGreaterThan(lines.count, 4)
        XCTAssertTrue(text.contains("step k = 4 of 6"), "the replayed screen, last step shown")
        XCTAssertTrue(text.contains("\u{1B}[0;1;38;2;255;200;60m"), "with its colours")

        // Another seed gives another image: MISMATCH, exit 1.
        let tampered = tmp("tampered.jsonl")
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"seed\":11", with: "\"seed\":12")
            .write(toFile: tampered, atomically: true, encoding: .utf8)
        let bad = try dit(["replay", tampered, "--headless"])
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stdout.hasPrefix("MISMATCH \(tampered): "), bad.stdout)
        XCTAssertTrue(bad.stdout.contains("x_t checksum"), bad.stdout)
    }

    func testMalformedRecordingExitsTwoNamingFileAndField() throws {
        let path = tmp("session-bad.jsonl")
        try record(path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = "{\"t\":1,\"click\":[3]}"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try dit(["replay", path, "--headless"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("dit: error: \(path): line 3: click: expected [x, y, width, height]"), r.stderr)

        let missing = try dit(["replay", tmp("nothing.jsonl"), "--headless"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nothing.jsonl: cannot read the session recording"), missing.stderr)
    }

    func testModelOtherThanTheRecordedOneIsRefused() throws {
        let path = tmp("session-model.jsonl")
        try record(path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let fp = try XCTUnwrap(text.range(of: "fnv1a64:[0-9a-f]{16}", options: .regularExpression))
        try text.replacingCharacters(in: fp, with: "fnv1a64:0000000000000000").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try dit(["replay", path, "--headless"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("\(path): line 1: model.fingerprint: expected fnv1a64:0000000000000000"), r.stderr)
    }

    func testSampleWritesATrajectoryGIF() throws {
        let gif = tmp("traj.gif"), png = tmp("s.png")
        let r = try dit(["sample", "--model", CLITests.tiny, "--class", "0,1", "--steps", "5", "--output", png, "--gif", gif])
        XCTAssertEqual(r.status, 0, r.stderr)
        // Two 8×8 samples enlarged 4× in a row, 2-pixel borders: 70 × 36.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["file", "-b", gif]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(text.trimmingCharacters(in: .whitespacesAndNewlines), "GIF image data, version 89a, 70 x 36")
    }
}
