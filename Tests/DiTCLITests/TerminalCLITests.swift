// The explorer in a real pseudo-terminal (python3's pty): every way out restores the terminal.
// SIGHUP exits 129 like SIGTERM's 143; Ctrl-\ (SIGQUIT) restores the terminal before it dies of
// the signal (no backtracer waiting for a key with the terminal raw); TERM=dumb is refused with a
// message; TERM=linux (no alternate screen) is cleared on the way out.
import Foundation
import XCTest

final class TerminalCLITests: XCTestCase {
    /// Runs `dit explore` on the tiny model under TERM=`term` in a pty; once a step is on screen
    /// it sends `action` ("hup": kill -HUP; "quit": Ctrl-\; "q": the q key). Returns how it
    /// ended ("exit N" or "signal N"), the pty's local modes afterwards and everything written.
    func explore(term: String, action: String) throws -> (ended: String, icanon: Bool, echo: Bool, out: String) {
        guard FileManager.default.fileExists(atPath: "/usr/bin/python3") else { throw XCTSkip("no python3 for the pseudo-terminal") }
        let script = """
            import os, pty, select, signal, sys, termios, time
            term, action, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
            pid, fd = pty.fork()
            if pid == 0:
                os.environ["TERM"] = term
                os.execv(argv[0], argv)
            out, sent, status, start = b"", False, None, time.time()
            while status is None and time.time() - start < 60:
                if fd in select.select([fd], [], [], 0.05)[0]:
                    try: out += os.read(fd, 65536)
                    except OSError: pass
                if not sent and b"computed" in out:
                    time.sleep(0.2)
                    if action == "hup": os.kill(pid, signal.SIGHUP)
                    else: os.write(fd, b"\\x1c" if action == "quit" else b"q")
                    sent = True
                done, st = os.waitpid(pid, os.WNOHANG)
                if done: status = st
            if status is None: os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
            while fd in select.select([fd], [], [], 0.2)[0]:
                try: chunk = os.read(fd, 65536)
                except OSError: break
                if not chunk: break
                out += chunk
            lflag = termios.tcgetattr(fd)[3]
            ended = "hang" if status is None else "exit %d" % os.WEXITSTATUS(status) if os.WIFEXITED(status) else "signal %d" % os.WTERMSIG(status)
            sys.stdout.write("%s %d %d\\n" % (ended, lflag & termios.ICANON != 0, lflag & termios.ECHO != 0))
            sys.stdout.buffer.write(out)
            """
        let bin = Bundle.main.bundleURL.appendingPathComponent("dit").path
        let p = Process(), pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script, term, action, bin, "explore", "--model", CLITests.tiny, "--steps", "5"]
        (p.standardOutput, p.standardError) = (pipe, FileHandle.nullDevice)
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let first = text.prefix { $0 != "\n" }.split(separator: " ")
        guard first.count == 4 else { XCTFail("no result from the pty driver: \(text.prefix(300))"); return ("", false, false, text) }
        return (first[0...1].joined(separator: " "), first[2] == "1", first[3] == "1", String(text.dropFirst(first.joined(separator: " ").count + 1)))
    }

    func testSIGHUPRestoresTheTerminalAndExits129() throws {
        let r = try explore(term: "xterm-256color", action: "hup")
        XCTAssertEqual(r.ended, "exit 129")
        XCTAssertTrue(r.icanon && r.echo, "the terminal is left -icanon / -echo")
        XCTAssertTrue(r.out.hasSuffix("\u{1B}[?25h"), "the cursor is shown last: \(r.out.suffix(80).debugDescription)")
        XCTAssertTrue(r.out.contains("\u{1B}[?1049l"), "the alternate screen is left")
    }

    func testCtrlBackslashRestoresTheTerminalBeforeQuitting() throws {
        let r = try explore(term: "xterm-256color", action: "quit")
        XCTAssertEqual(r.ended, "signal 3", "SIGQUIT's default action, at once (no backtracer waiting for a key)")
        XCTAssertTrue(r.icanon && r.echo, "the terminal is left -icanon / -echo")
        let reset = try XCTUnwrap(r.out.range(of: "\u{1B}[?1049l", options: .backwards), "the alternate screen is never left")
        XCTAssertFalse(r.out[reset.upperBound...].contains("\u{1B}["), "drawing after the reset: \(r.out[reset.upperBound...].prefix(200).debugDescription)")
    }

    func testDumbTerminalIsRefusedWithAMessage() throws {
        let r = try explore(term: "dumb", action: "q")
        XCTAssertEqual(r.ended, "exit 2")
        XCTAssertTrue(r.out.contains("dit: error: TERM: dumb") && r.out.contains("cannot move the cursor"), r.out)
        XCTAssertFalse(r.out.contains("step k"), "drew a frame anyway")
    }

    func testLinuxConsoleIsClearedOnQuit() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/terminfo/l/linux") || FileManager.default.fileExists(atPath: "/lib/terminfo/l/linux") else {
            throw XCTSkip("no linux terminfo entry")
        }
        let r = try explore(term: "linux", action: "q")
        XCTAssertEqual(r.ended, "exit 0")
        let clear = try XCTUnwrap(r.out.range(of: "\u{1B}[H\u{1B}[J", options: .backwards), "the last frame is never cleared")
        XCTAssertFalse(r.out[clear.upperBound...].contains("step"), "drawing after the clear")
    }
}
