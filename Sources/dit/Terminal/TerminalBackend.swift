// The one file that talks to ncurses (through the CNcurses shim): opening and restoring the
// terminal, signals, reading keys and mouse into Actions, painting a Canvas (changed cells
// only), and the event loop that ties the update function, the views and the worker together.
import CNcurses
import DiT
import DiTExplorer
import DiTRender
import Dispatch
import Foundation

final class TerminalBackend {
    /// Colours are 0xRRGGBB (a "-direct" terminfo), not palette indices.
    let direct: Bool
    /// Colours the terminal has: 0, 8, 256, or 2²⁴ when direct.
    let colors: Int
    /// The locale's character set is UTF-8: half blocks and box drawing can be shown.
    let utf8 = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
    private var previous: Canvas?
    private var lastMode: ColorMode?
    private var palette: [PaletteKey: Int32] = [:]
    private struct PaletteKey: Hashable { let rgb: RGB, phase: Int }   // phase: Bayer cell, −1 for text
    private var glyphs: [Character: [wchar_t]] = [:]
    private var closed = false
    /// Real pixels over the canvas's image placements; nil: half blocks only.
    var pixels: PixelOutput?
    /// The images on screen now, each with the id kitty knows it by.
    private var shownImages: [(id: UInt32, placement: ImagePlacement)] = []
    private var nextImageID: UInt32 = 1

    /// Takes the screen. Before that: the locale (UTF-8 glyphs need it), SIGINT/SIGTERM turned
    /// into a polled flag (so ncurses installs no handler of its own and the loop restores the
    /// terminal itself), fatal-signal handlers that restore it and re-raise.
    static func open(preferDirect: Bool) throws -> TerminalBackend {
        setlocale(LC_ALL, "")
        shim_watch_signals()
        shim_install_fatal_handlers()
        let term = ProcessInfo.processInfo.environment["TERM"] ?? "xterm"
        var direct = false
        if preferDirect {
            let base = term.replacingOccurrences(of: "-256color", with: "")
            direct = shim_open(base + "-direct") == 0
            if !direct, let db = directTerminfo(for: term) {
                let saved = ProcessInfo.processInfo.environment["TERMINFO"]
                setenv("TERMINFO", db, 1)
                direct = shim_open("dit-direct") == 0
                if !direct { if let saved { setenv("TERMINFO", saved, 1) } else { unsetenv("TERMINFO") } }
            }
        }
        if !direct && shim_open(nil) != 0 {
            throw DiTError(file: "TERM", field: term, "unknown terminal type: set TERM to one terminfo knows (e.g. xterm-256color)")
        }
        let colors = Int(shim_setup(30))
        return TerminalBackend(direct: direct && colors >= 1 << 24, colors: colors)
    }

    private init(direct: Bool, colors: Int) { self.direct = direct; self.colors = colors }

    /// A private terminfo entry "dit-direct": $TERM's own capabilities (keys, alternate screen)
    /// plus 24-bit colour, as ncurses' "*-direct" entries define it. Those are often not installed,
    /// and without one ncurses cannot send RGB. Compiled once with tic into the user's private
    /// cache directory (UserCache); nil when tic is missing or fails (256 colours then).
    static func directTerminfo(for term: String) -> String? {
        guard !term.isEmpty, term.allSatisfy({ $0.isLetter || $0.isNumber || "._+-".contains($0) }) else { return nil }
        guard let dir = UserCache.directory("terminfo/" + term) else { return nil }
        if FileManager.default.fileExists(atPath: dir + "/d/dit-direct") {
            return UserCache.isPrivate(dir + "/d") ? dir : nil   // made by this user, or not used
        }
        let rgb = "%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d"
        let source = """
            dit-direct|\(term) with 24-bit colour for dit,
            \tRGB, colors#0x1000000, pairs#0x10000,
            \tsetaf=\\E[%?%p1%{8}%<%t3%p1%d%e38;2;\(rgb)%;m,
            \tsetab=\\E[%?%p1%{8}%<%t4%p1%d%e48;2;\(rgb)%;m,
            \tuse=\(term),

            """
        let file = dir + "/dit-direct.src"
        do {
            try source.write(toFile: file, atomically: true, encoding: .utf8)
            let tic = Process()
            tic.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tic.arguments = ["tic", "-x", "-o", dir, file]
            tic.standardOutput = FileHandle.nullDevice
            tic.standardError = FileHandle.nullDevice
            try tic.run()
            tic.waitUntilExit()
            guard tic.terminationStatus == 0 else { return nil }
        } catch { return nil }
        return FileManager.default.fileExists(atPath: dir + "/d/dit-direct") ? dir : nil
    }

    /// endwin and friends: cursor, echo, mouse off. Safe to call twice.
    func close() {
        if closed { return }
        closed = true
        forgetImages()
        shim_close()
    }

    var size: (width: Int, height: Int) {
        var rows: Int32 = 0, cols: Int32 = 0
        shim_size(&rows, &cols)
        return (Int(cols), Int(rows))
    }

    /// The next input as an Action; nil when the 30 ms input timeout passes.
    func read() -> Action? {
        var ch: Int32 = 0
        switch shim_read(&ch) {
        case 1:
            switch ch {
            case 9: return .key(.tab)
            case 10, 13: return .key(.enter)
            case 27: return escapeSequence().map { .key($0) }
            case 127, 8: return .key(.backspace)
            default: return UnicodeScalar(UInt32(ch)).map { .key(.char(Character($0))) }
            }
        case 2:
            switch ch {
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_BTAB: return .key(.backTab)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_RESIZE:
                previous = nil
                forgetImages()
                if let cell = GraphicsProbe.window()?.cell { pixels?.cell = cell }   // a new font size comes with it
                return .resize(width: size.width, height: size.height)
            case KEY_MOUSE:
                var x: Int32 = 0, y: Int32 = 0
                switch Int(shim_mouse(&x, &y)) {
                case SHIM_MOUSE_CLICK: return .click(x: Int(x), y: Int(y), width: size.width, height: size.height)
                case SHIM_MOUSE_WHEEL_UP: return .scroll(-1)
                case SHIM_MOUSE_WHEEL_DOWN: return .scroll(1)
                default: return nil
                }
            default: return nil
            }
        default: return nil
        }
    }

    /// After an Esc: the characters that came with it, read until the sequence is complete.
    private func escapeSequence() -> Key? {
        var rest: [Character] = []
        var ch: Int32 = 0
        while !EscapeSequence.isComplete(rest) && rest.count < EscapeSequence.maxLength {
            let r = shim_read_pending(&ch)
            guard r == 1, let u = UnicodeScalar(UInt32(ch)) else {
                if r == 2 { return nil }   // a decoded key right after Esc: Alt-arrow and the like
                break
            }
            rest.append(Character(u))
        }
        return EscapeSequence.key(after: rest)
    }

    /// The colour mode this terminal can actually show for the one asked for.
    func shown(_ mode: ColorMode) -> ColorMode {
        switch mode {
        case .truecolor: return direct ? .truecolor : colors >= 256 ? .palette256 : .ascii
        case .palette256: return colors >= 256 ? .palette256 : .ascii
        case .ascii: return .ascii
        }
    }

    /// Writes the cells that changed since the last paint, then refreshes.
    func paint(_ canvas: Canvas, mode: ColorMode) {
        let mode = shown(mode)
        let resized = previous?.width != canvas.width || previous?.height != canvas.height
        if resized {
            shim_erase()
            previous = nil
        }
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if cell.isWideTail || previous?[x, y] == cell { continue }
                var g = glyph(cell.glyph)
                // Half-block pixels are dithered in 256 colours; text colours are not.
                let pixel = cell.glyph == "▀" ? (x, 2 * y) : nil
                shim_put(Int32(y), Int32(x), &g, Int32(cell.attrs.rawValue),
                         color(cell.fg, mode, pixel: pixel), color(cell.bg, mode, pixel: pixel.map { ($0.0, $0.1 + 1) }))
            }
        }
        shim_refresh()
        previous = canvas
        if let out = pixels {
            if resized && !out.layered { shim_redraw_rows(0, Int32(canvas.height)) }   // no old pixels left anywhere
            placeImages(canvas)
        }
    }

    /// Forgets what is on screen, so the next paint writes every cell (after a mode change).
    func invalidate() { previous = nil }

    private func color(_ c: RGB?, _ mode: ColorMode, pixel: (Int, Int)?) -> Int32 {
        guard let c, mode != .ascii else { return -1 }
        if mode == .truecolor {
            // Values below 8 are the ANSI colours in a direct terminfo: nudge black up.
            return max(8, Int32(c.r) << 16 | Int32(c.g) << 8 | Int32(c.b))
        }
        let key = PaletteKey(rgb: c, phase: pixel.map { ($0.1 & 3) * 4 + ($0.0 & 3) } ?? -1)
        if let i = palette[key] { return i }
        let i = Int32(pixel.map { XTerm256.index(c, ditherX: $0.0, y: $0.1) } ?? XTerm256.index(c))
        palette[key] = i
        return i
    }

    private func glyph(_ ch: Character) -> [wchar_t] {
        if let g = glyphs[ch] { return g }
        let g = ch.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) } + [0]
        glyphs[ch] = g
        return g
    }
}

/// How the backend shows pixels: the protocol, the cell size they are measured in, tmux wrapping.
struct PixelOutput {
    let encoding: PixelProtocol
    var cell: CellGeometry
    let passthrough: Bool
    let maxColors: Int
    /// kitty keeps images in a layer of their own (deleted by id); sixel and iTerm2 images are
    /// pixels in the text layer, gone only when the cells under them are sent again.
    var layered: Bool { encoding == .kitty }
}

extension TerminalBackend {
    /// After the cells: the placements whose cells are intact get their pixels (scaled by the
    /// largest whole number that fits their cells, centred by whole cells); images no longer
    /// wanted are deleted (kitty) or painted over by resending their rows (sixel, iTerm2).
    /// They have colours of their own, so an 8-colour terminfo (ASCII cells) still shows them.
    private func placeImages(_ canvas: Canvas) {
        guard let out = pixels else { return }
        let want = canvas.visibleImages
        let kept = shownImages.filter { s in want.contains(s.placement) }
        let gone = shownImages.filter { s in !want.contains(s.placement) }
        var fresh = want.filter { w in !kept.contains { $0.placement == w } }
        var bytes = [UInt8]()
        if out.layered {
            for g in gone { bytes += KittyGraphics.delete(id: g.id, passthrough: out.passthrough) }
        } else {
            // Rows under a gone image, unless a new one of the same size covers exactly its cells.
            let rows = gone.filter { g in !fresh.contains { $0.cells == g.placement.cells && $0.raster.width == g.placement.raster.width && $0.raster.height == g.placement.raster.height } }
                .map { $0.placement.cells.y..<$0.placement.cells.maxY }
            for r in rows { shim_redraw_rows(Int32(r.lowerBound), Int32(r.count)) }
            // Kept images on those rows were painted over too.
            fresh += kept.filter { k in rows.contains { $0.overlaps(k.placement.cells.y..<k.placement.cells.maxY) } }.map(\.placement)
        }
        var shown = kept.filter { k in !fresh.contains(k.placement) }
        for p in fresh {
            let k = out.cell.zoom(width: p.raster.width, height: p.raster.height, cols: p.cells.width, rows: p.cells.height)
            guard k >= 1 else { continue }   // smaller than its cells in pixels: the half blocks stay
            let id = nextImageID
            nextImageID = nextImageID == UInt32.max ? 1 : nextImageID + 1
            let cols = out.cell.cells(width: p.raster.width * k, height: p.raster.height * k).cols
            let x = p.cells.x + max(0, (p.cells.width - cols) / 2)
            bytes += Array("\u{1B}7\u{1B}[\(p.cells.y + 1);\(x + 1)H".utf8)
            bytes += out.encoding.encode(p.raster.scaled(by: k), id: id, keepCursor: true, passthrough: out.passthrough, maxColors: out.maxColors)
            bytes += Array("\u{1B}8".utf8)
            shown.append((id, p))
        }
        shownImages = shown
        if !bytes.isEmpty { FileHandle.standardOutput.write(Data(bytes)) }
    }

    /// Drops every image: kitty's are deleted, the others go with the repaint that follows.
    private func forgetImages() {
        if let out = pixels, out.layered, !shownImages.isEmpty {
            FileHandle.standardOutput.write(Data(shownImages.flatMap { KittyGraphics.delete(id: $0.id, passthrough: out.passthrough) }))
        }
        shownImages = []
    }

    /// The event loop. Returns the exit status: 0 on q, 128 + signal on SIGINT / SIGTERM. Each
    /// painted frame also goes to `cast` (an asciicast recording) when given.
    func run(_ driver: SessionDriver, cast: AsciicastWriter? = nil) -> Int32 {
        driver.screen = size
        driver.start()
        var dirty = true
        while !driver.state.quit {
            let sig = shim_caught_signal()
            if sig != 0 { return 128 + sig }
            if dirty {
                show(driver.state, cast: cast, at: driver.clock)
                dirty = false
            }
            if let action = read() {
                driver.send(action)
                dirty = true
                continue   // drain queued keys before the worker's news
            }
            if driver.drain() { dirty = true }
            if driver.tick() { dirty = true }
        }
        return 0
    }

    /// Renders the state at the terminal's size and paints it (and records it in `cast`).
    func show(_ s: ExplorerState, cast: AsciicastWriter?, at t: Double) {
        if s.colorMode != lastMode { lastMode = s.colorMode; invalidate() }
        let (w, h) = size
        let canvas = Explorer.render(s, width: w, height: h)
        paint(canvas, mode: s.colorMode)
        cast?.frame(canvas, mode: shown(s.colorMode), at: t)
    }

    /// A recorded session at its recorded pace (× `speed`): each entry waits for its time, and
    /// for the worker's step when it is one. q or Esc stops early. Returns the exit status.
    func play(_ replay: SessionReplay, speed: Double, cast: AsciicastWriter?) throws -> Int32 {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 * speed }
        replay.start()
        show(replay.state, cast: cast, at: 0)
        while let t = replay.nextTime {
            let sig = shim_caught_signal()
            if sig != 0 { return 128 + sig }
            if t > elapsed() {
                if case .key(let k)? = read(), k == .char("q") || k == .escape { return 0 }   // read waits ≤ 30 ms
                continue
            }
            _ = try replay.step()
            show(replay.state, cast: cast, at: t)
        }
        return 0
    }
}
