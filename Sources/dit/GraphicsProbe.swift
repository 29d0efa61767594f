// The terminal questions behind `--graphics auto`: the window size from the kernel (TIOCGWINSZ,
// with its pixel fields), and the probes of GraphicsDetection written to the terminal with the
// replies read back in raw mode, before curses takes the input. DA1 goes last and every
// terminal answers it, so reading stops at its reply; a terminal that says nothing costs the
// timeout, never a hang. The decision itself is DiTRender's (pure, tested there).
import DiTRender
import Foundation

enum GraphicsProbe {
    /// How long a terminal has to answer: enough for a local one or a nearby ssh host.
    static let timeoutMs = 300

    /// Columns, rows and (when the kernel knows them) the pixel size of a cell, for stdout.
    static func window() -> (cols: Int, rows: Int, cell: CellGeometry?)? {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
        let cell = ws.ws_xpixel > 0 && ws.ws_ypixel > 0
            ? CellGeometry(width: Int(ws.ws_xpixel) / Int(ws.ws_col), height: Int(ws.ws_ypixel) / Int(ws.ws_row)) : nil
        return (Int(ws.ws_col), Int(ws.ws_row), cell)
    }

    static var isTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Sends the probes and reads the replies until DA1's arrives or the timeout passes; nil
    /// when stdin / stdout is not a terminal or nothing came back in time.
    static func ask(tmux: Bool) -> TerminalReplies? {
        guard isTerminal else { return nil }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in cc[Int(VMIN)] = 0; cc[Int(VTIME)] = 0 }
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return nil }
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        let query = TerminalReplies.queries(tmux: tmux)
        guard query.withUnsafeBytes({ write(STDOUT_FILENO, $0.baseAddress, $0.count) }) == query.count else { return nil }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutMs) * 1_000_000
        var got = [UInt8](), buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return nil }
            var fd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&fd, 1, Int32((deadline - now) / 1_000_000) + 1) > 0 else { continue }
            let n = read(STDIN_FILENO, &buffer, buffer.count)
            if n <= 0 { return nil }   // end of input: nobody will answer
            got += buffer[0..<n]
            let replies = TerminalReplies.parse(got)
            if replies.primaryAttributes != nil { return replies }
        }
    }
}
