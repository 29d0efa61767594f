// asciicast v2 (asciinema's format): a JSON header line {version 2, width, height, timestamp,
// env}, then one [seconds, "o", text] line per output. Each frame writes only the rows that
// changed since the last one (cursor to the row, the row's SGR text), so a long session stays
// small; a new screen size is announced with a [seconds, "r", "COLSxROWS"] event, then cleared
// and redrawn.
import DiT
import DiTRender
import Foundation

public final class AsciicastWriter {
    let handle: FileHandle
    private var rows: [String] = []
    private var size = (width: 0, height: 0)     // of the last frame written
    private var announced: (width: Int, height: Int)  // the size the player was last told

    public init(path: String, width: Int, height: Int, title: String,
                env: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw DiTError(file: path, "cannot create the asciicast file")
        }
        handle = h
        announced = (width, height)
        let header: [String: Any] = [
            "version": 2, "width": width, "height": height, "timestamp": Int(Date().timeIntervalSince1970),
            "title": title, "env": ["TERM": env["TERM"] ?? "xterm-256color", "SHELL": env["SHELL"] ?? "/bin/sh"],
        ]
        line(header)
    }

    private func line(_ object: Any) {
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        handle.write(data)
    }

    /// The canvas as it looks at `t` seconds; nothing is written when no row changed.
    public func frame(_ c: Canvas, mode: ColorMode, at t: Double) {
        let new = c.ansi(mode: mode).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        var out = ""
        if size != (c.width, c.height) {
            if announced != (c.width, c.height) {
                line([(t * 1e6).rounded() / 1e6, "r", "\(c.width)x\(c.height)"] as [Any])
                announced = (c.width, c.height)
            }
            out = "\u{1B}[?25l\u{1B}[H\u{1B}[2J"   // hide the cursor, clear
            rows = []
            size = (c.width, c.height)
        }
        for (y, row) in new.enumerated() where y >= rows.count || rows[y] != row {
            out += "\u{1B}[\(y + 1);1H" + row
        }
        rows = new
        if !out.isEmpty { line([(t * 1e6).rounded() / 1e6, "o", out] as [Any]) }
    }

    /// The cursor back on, then closed.
    public func close(at t: Double) {
        line([(t * 1e6).rounded() / 1e6, "o", "\u{1B}[0m\u{1B}[?25h\r\n"] as [Any])
        try? handle.close()
    }
}
