// The one file that talks to ncurses (through the CNcurses shim): opening and restoring the
// terminal, signals, reading keys and mouse into Actions, painting a Canvas (changed cells
// only) and the pixels over it. Its pure parts live beside it: the colour and glyph tables
// (TerminalPalette), the "-direct" terminfo (DirectTerminfo), escape sequences (EscapeSequence),
// the image placement diff (DiTRender's PlacementDiff); the loops are in EventLoop.swift.
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
    var lastMode: ColorMode?
    private var palette = TerminalPalette()
    private var closed = false
    /// Real pixels over the canvas's image placements; nil: half blocks only.
    var pixels: PixelOutput?
    /// The images on screen now, each with the id kitty knows it by.
    private var shownImages: [ShownImage] = []
    private var nextImageID: UInt32 = 1

    /// Takes the screen. Before that: the locale (UTF-8 glyphs need it), TERM checked for cursor
    /// addressing, SIGINT/SIGTERM/SIGHUP turned into a polled flag (so ncurses installs no handler
    /// of its own and the loop restores the terminal itself), fatal-signal and SIGQUIT handlers
    /// that restore it first.
    static func open(preferDirect: Bool) throws -> TerminalBackend {
        setlocale(LC_ALL, "")
        let term = ProcessInfo.processInfo.environment["TERM"] ?? "xterm"
        if shim_term_can_draw(nil) == 0 {   // TERM=dumb and the like: one garbled line otherwise
            throw DiTError(file: "TERM", field: term, "this terminal cannot move the cursor (no cursor addressing in its terminfo) and the explorer draws a full screen: "
                           + "set TERM to one that can (e.g. xterm-256color), or use `dit sample` / `dit view` for output without one")
        }
        shim_watch_signals()
        shim_install_fatal_handlers()
        var direct = false
        if preferDirect {
            let base = term.replacingOccurrences(of: "-256color", with: "")
            direct = shim_open(base + "-direct") == 0
            if !direct, let db = DirectTerminfo.database(for: term) {
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
            return ch == 27 ? escapeSequence().map { .key($0) } : CursesKeys.key(character: ch).map { .key($0) }
        case 2:
            switch ch {
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
            default: return CursesKeys.key(function: ch).map { .key($0) }
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
                var g = palette.glyph(cell.glyph)
                // Half-block pixels are dithered in 256 colours; text colours are not.
                let pixel = cell.glyph == "▀" ? (x, 2 * y) : nil
                shim_put(Int32(y), Int32(x), &g, Int32(cell.attrs.rawValue),
                         palette.color(cell.fg, mode, pixel: pixel), palette.color(cell.bg, mode, pixel: pixel.map { ($0.0, $0.1 + 1) }))
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
        let diff = PlacementDiff(shown: shownImages, wanted: canvas.visibleImages, layered: out.layered)
        var bytes = diff.deleted.flatMap { KittyGraphics.delete(id: $0, passthrough: out.passthrough) }
        for r in diff.repaintedRows { shim_redraw_rows(Int32(r.lowerBound), Int32(r.count)) }
        var shown = diff.kept
        for p in diff.drawn {
            let k = out.cell.zoom(width: p.raster.width, height: p.raster.height, cols: p.cells.width, rows: p.cells.height)
            guard k >= 1 else { continue }   // smaller than its cells in pixels: the half blocks stay
            let id = nextImageID
            nextImageID = nextImageID == UInt32.max ? 1 : nextImageID + 1
            let cols = out.cell.cells(width: p.raster.width * k, height: p.raster.height * k).cols
            let x = p.cells.x + max(0, (p.cells.width - cols) / 2)
            bytes += Array("\u{1B}7\u{1B}[\(p.cells.y + 1);\(x + 1)H".utf8)
            bytes += out.encoding.encode(p.raster.scaled(by: k), id: id, keepCursor: true, passthrough: out.passthrough, maxColors: out.maxColors)
            bytes += Array("\u{1B}8".utf8)
            shown.append(ShownImage(id: id, placement: p))
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
}
