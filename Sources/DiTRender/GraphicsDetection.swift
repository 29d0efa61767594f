// Which pixel protocol a terminal speaks, decided from the environment and the terminal's own
// answers, as chafa's term-db and notcurses' termdesc do: pure, so the CLI does the tty I/O
// (GraphicsProbe) and this turns what came back into a choice with its reasons. Anything unclear
// gives cells. The probes: XTVERSION, the kitty a=q query, the sixel colour registers
// (XTSMGRAPHICS), the cell size (CSI 16 t), and primary device attributes (DA1) last, which every
// terminal answers, so its reply means the others are in.

public enum PixelProtocol: String, CaseIterable, Sendable {
    case kitty, sixel, iterm

    /// The bytes that show `r` (already at its final pixel size) at the cursor.
    public func encode(_ r: Raster, id: UInt32, keepCursor: Bool, passthrough: Bool, maxColors: Int) -> [UInt8] {
        switch self {
        case .kitty: return KittyGraphics.display(r, id: id, keepCursor: keepCursor, passthrough: passthrough)
        case .sixel: return Sixel.encode(r, maxColors: maxColors)
        case .iterm: return ITerm2Image.display(r, keepCursor: keepCursor, passthrough: passthrough)
        }
    }
}

/// What the terminal answered to the probes.
public struct TerminalReplies: Equatable, Sendable {
    public var primaryAttributes: [Int]?   // DA1: CSI ? a ; b … c
    public var kitty: String?              // the a=q reply's message ("OK" or an error)
    public var version: String?            // XTVERSION: DCS > | text ST
    public var cellSize: CellGeometry?     // CSI 6 ; h ; w t
    public var colorRegisters: Int?        // XTSMGRAPHICS: CSI ? 1 ; 0 ; n S
    public init() {}

    /// The probes, DA1 last.
    public static func queries(tmux: Bool) -> [UInt8] {
        Array("\u{1B}[>0q".utf8) + KittyGraphics.query(passthrough: tmux) + Array("\u{1B}[?1;1;0S\u{1B}[16t\u{1B}[c".utf8)
    }

    /// Parses whatever arrived (replies in any order, other bytes skipped).
    public static func parse(_ bytes: [UInt8]) -> TerminalReplies {
        var r = TerminalReplies()
        var i = 0
        func string(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
        /// The index of the ST (ESC \) or BEL ending a string that starts at `from`.
        func terminator(_ from: Int) -> (end: Int, next: Int)? {
            var j = from
            while j < bytes.count {
                if bytes[j] == 0x07 { return (j, j + 1) }
                if bytes[j] == 0x1B && j + 1 < bytes.count && bytes[j + 1] == UInt8(ascii: "\\") { return (j, j + 2) }
                j += 1
            }
            return nil
        }
        while i + 1 < bytes.count {
            guard bytes[i] == 0x1B else { i += 1; continue }
            switch bytes[i + 1] {
            case UInt8(ascii: "["):
                var j = i + 2
                while j < bytes.count && !(0x40...0x7E).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else { return r }
                let params = string(i + 2, j), final = bytes[j]
                if final == UInt8(ascii: "c") && params.hasPrefix("?") {
                    r.primaryAttributes = params.dropFirst().split(separator: ";").compactMap { Int($0) }
                } else if final == UInt8(ascii: "t") {
                    let v = params.split(separator: ";").compactMap { Int($0) }
                    if v.count == 3 && v[0] == 6 && v[1] > 0 && v[2] > 0 { r.cellSize = CellGeometry(width: v[2], height: v[1]) }
                } else if final == UInt8(ascii: "S") && params.hasPrefix("?") {
                    let v = params.dropFirst().split(separator: ";").compactMap { Int($0) }
                    if v.count == 3 && v[0] == 1 && v[1] == 0 && v[2] > 0 { r.colorRegisters = v[2] }
                }
                i = j + 1
            case UInt8(ascii: "_"), UInt8(ascii: "P"):
                guard let (end, next) = terminator(i + 2) else { return r }
                let body = string(i + 2, end)
                if body.hasPrefix("G"), let semi = body.firstIndex(of: ";"),
                   body[body.index(after: body.startIndex)..<semi].split(separator: ",").contains("i=\(KittyGraphics.queryID)") {
                    r.kitty = String(body[body.index(after: semi)...])
                } else if body.hasPrefix(">|") {
                    r.version = String(body.dropFirst(2))
                }
                i = next
            default: i += 2
            }
        }
        return r
    }
}

/// What the user asked for: a protocol, cells, or auto.
public enum GraphicsRequest: String, CaseIterable, Sendable {
    case auto, kitty, sixel, iterm, cells
}

public struct GraphicsDecision: Equatable, Sendable {
    /// nil: half-block cells.
    public var pixels: PixelProtocol?
    /// Wrap kitty / iTerm2 sequences for tmux.
    public var passthrough = false
    public var cellSize: CellGeometry?
    public var maxColors = 256
    /// Why, one line each, for `--detect-graphics` and the status line.
    public var reasons: [String] = []
    public var summary: String {
        (pixels?.rawValue ?? "cells") + (passthrough ? " (through tmux passthrough)" : "")
    }
}

public enum GraphicsDetection {
    /// Whether probing can tell anything: not on the Linux console or a dumb terminal.
    public static func worthProbing(_ env: [String: String]) -> Bool {
        !["dumb", "linux", ""].contains(env["TERM"] ?? "")
    }

    /// The choice for `request`, given the environment, whether stdin and stdout are a terminal,
    /// the replies (nil: none within the timeout, or not asked) and the cell size the kernel
    /// knows (TIOCGWINSZ's pixel fields, preferred to the CSI 16 t reply).
    public static func decide(_ request: GraphicsRequest, env: [String: String], tty: Bool,
                              replies: TerminalReplies?, windowCell: CellGeometry? = nil) -> GraphicsDecision {
        var d = GraphicsDecision()
        let tmux = !(env["TMUX"] ?? "").isEmpty
        d.cellSize = windowCell ?? replies?.cellSize
        d.maxColors = min(256, max(2, replies?.colorRegisters ?? 256))
        d.reasons.append(environment(env))
        if let r = replies { d.reasons.append(answered(r)) }
        switch request {
        case .cells:
            d.reasons.append("cells asked for")
            return d
        case .kitty, .sixel, .iterm:
            d.pixels = PixelProtocol(rawValue: request.rawValue)
            d.passthrough = tmux && request != .sixel
            d.reasons.append("\(request.rawValue) asked for" + (d.passthrough ? "; inside tmux, so through passthrough (needs `set -g allow-passthrough on`)" : ""))
            return d
        case .auto: break
        }
        guard tty else { d.reasons.append("stdin or stdout is not a terminal: cells"); return d }
        guard worthProbing(env) else { d.reasons.append("TERM=\(env["TERM"] ?? "") draws no images: cells"); return d }
        guard let r = replies, r.primaryAttributes != nil else {
            d.reasons.append("the terminal did not answer the device attributes query in time: cells")
            return d
        }
        if r.kitty == "OK" {
            d.pixels = .kitty
            d.passthrough = tmux
            d.reasons.append("the kitty graphics query was answered OK: kitty" + (tmux ? " through tmux passthrough" : ""))
        } else if r.primaryAttributes!.contains(4) {
            d.pixels = .sixel
            d.reasons.append("DA1 lists 4 (sixel graphics): sixel with \(d.maxColors) colour registers")
        } else if let name = itermCapable(env, version: r.version), !tmux || kittyHint(env) == nil {
            d.pixels = .iterm
            d.passthrough = tmux
            d.reasons.append("\(name) shows iTerm2 inline images: iterm")
        } else {
            d.reasons.append("no kitty reply, no sixel in DA1, no iTerm2-image terminal known: cells")
            if tmux, let hint = kittyHint(env) ?? itermCapable(env, version: nil) {
                d.reasons.append("inside tmux with \(hint) outside: `set -g allow-passthrough on` in tmux lets its images through")
            }
        }
        if d.pixels != nil && d.cellSize == nil {
            d.reasons.append("but the terminal reports no cell size in pixels (CSI 16 t or TIOCGWINSZ): cells")
            d.pixels = nil
            d.passthrough = false
        }
        return d
    }

    static func environment(_ env: [String: String]) -> String {
        let keys = ["TERM", "TERM_PROGRAM", "LC_TERMINAL", "KITTY_WINDOW_ID", "WEZTERM_EXECUTABLE", "KONSOLE_VERSION",
                    "VTE_VERSION", "GHOSTTY_BIN_DIR", "TMUX"]
        let set = keys.compactMap { k in env[k].flatMap { $0.isEmpty ? nil : "\(k)=\(k == "TMUX" ? "…" : $0)" } }
        return "environment: " + (set.isEmpty ? "none of TERM, TERM_PROGRAM, KITTY_WINDOW_ID, … set" : set.joined(separator: " "))
    }

    static func answered(_ r: TerminalReplies) -> String {
        var parts: [String] = []
        parts.append(r.primaryAttributes.map { "DA1 ?\($0.map(String.init).joined(separator: ";"))" } ?? "no DA1")
        parts.append(r.kitty.map { "kitty query: \($0)" } ?? "no kitty reply")
        if let v = r.version { parts.append("XTVERSION \(v)") }
        if let c = r.cellSize { parts.append("cell \(c.width)×\(c.height) px") }
        if let n = r.colorRegisters { parts.append("\(n) colour registers") }
        return "the terminal answered: " + parts.joined(separator: ", ")
    }

    /// The environment names a kitty-protocol terminal (kitty, Ghostty, WezTerm, Konsole).
    static func kittyHint(_ env: [String: String]) -> String? {
        if env["KITTY_WINDOW_ID"] != nil || env["TERM"] == "xterm-kitty" { return "kitty" }
        if env["GHOSTTY_BIN_DIR"] != nil || env["TERM"] == "xterm-ghostty" { return "Ghostty" }
        if env["WEZTERM_EXECUTABLE"] != nil { return "WezTerm" }
        if env["KONSOLE_VERSION"] != nil { return "Konsole" }
        return nil
    }

    /// A terminal known for iTerm2 inline images, by TERM_PROGRAM, LC_TERMINAL or XTVERSION.
    static func itermCapable(_ env: [String: String], version: String?) -> String? {
        let names = ["iTerm": "iTerm2", "WezTerm": "WezTerm", "mintty": "mintty"]
        for (key, name) in names {
            if (env["TERM_PROGRAM"] ?? "").hasPrefix(key) || (env["LC_TERMINAL"] ?? "").hasPrefix(key) || (version ?? "").hasPrefix(key) {
                return name
            }
        }
        return nil
    }
}
