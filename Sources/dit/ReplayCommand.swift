import ArgumentParser
import DiT
import DiTExplorer
import Foundation

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a recorded explorer session back and check it ends on the same image, bit for bit.",
        discussion: """
        FILE comes from `dit explore --record FILE`: the model, the start settings and seeds, every \
        key with its time. The actions go through the same update() with a real sampler; where the \
        recording says a step arrived, the replay waits for its own sampler's step, so timing does \
        not matter. At the end the final x_t (and x̂0) are compared with the recorded FNV-1a \
        checksums: prints OK (exit 0) or MISMATCH (exit 1, with the largest difference from the \
        recorded x_t: last-bit differences come from other floating-point kernels, e.g. another \
        CPU's BLAS); a malformed file exits 2.
        Examples:
          dit explore --record lesson.jsonl
          dit replay lesson.jsonl            # in the terminal, at the recorded pace
          dit replay lesson.jsonl --headless --asciicast lesson.cast
        """)

    @Argument(help: ArgumentHelp("The session recording.", valueName: "file")) var file: String
    @Option(help: ArgumentHelp("The model directory, when it moved since the recording.", valueName: "dir")) var model: String?
    @Flag(help: "No terminal: play every action as fast as the sampler allows.") var headless = false
    @Option(help: ArgumentHelp("Write the replayed screen as an asciicast v2 file.", valueName: "file.cast")) var asciicast: String?
    @Option(help: "Playback speed in the terminal (2 = twice as fast).") var speed: Double = 1

    func run() throws {
        guard speed.isFinite, speed > 0 else { throw DiTError(file: "--speed", field: "\(speed)", "expected a positive number (2 = twice as fast)") }
        try checkOutput(asciicast, flag: "--asciicast")
        let recording = try Recording.read(file)
        try SessionLint.check(recording)
        guard recording.footer != nil else {
            throw DiTError(file: file, field: "footer", "missing: expected a last line with \"end\": true (the session did not end cleanly)")
        }
        let h = recording.header
        let dir = model ?? h.model.dir
        let found = ModelFingerprint.of(directory: dir)
        guard found == h.model.fingerprint else {
            throw DiTError(file: file, field: "line 1: model.fingerprint",
                           "expected \(h.model.fingerprint), the model in \(dir) gives \(found): pass --model with the recorded model")
        }
        let replay = try SessionReplay(recording, model: try DiTModel(directory: dir), name: h.model.name)
        defer { replay.stop() }
        let cast = try asciicast.map { try AsciicastWriter(path: $0, width: h.width, height: h.height, title: "dit replay \(file)") }
        let end = recording.footer?.t ?? recording.entries.last?.entry.t ?? 0
        if headless {
            func frame(_ t: Double) {
                let screen = replay.driver.screen
                cast?.frame(Explorer.render(replay.state, width: screen.width, height: screen.height), mode: replay.state.colorMode, at: t)
            }
            replay.start()
            frame(0)
            try replay.runToEnd { frame($0.t) }
        } else {
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw DiTError(file: "stdout", "showing a replay needs a terminal; pass --headless to check it without one")
            }
            let backend = try TerminalBackend.open(preferDirect: h.color == "truecolor")
            let status: Int32
            do { status = try backend.play(replay, speed: max(0.01, speed), cast: cast) } catch { backend.close(); throw error }
            backend.close()
            if status != 0 { throw ExitCode(status) }
            if replay.nextTime != nil {
                print("stopped \(file) before its end: nothing to check")
                return
            }
        }
        cast?.close(at: end)
        if let problem = replay.mismatch() {
            print("MISMATCH \(file): \(problem)")
            throw ExitCode(1)
        }
        print("OK \(file): \(recording.entries.count) actions replayed, step k = \(replay.state.k), x_t \(ImageChecksum(replay.state).xt) bit for bit")
    }
}
