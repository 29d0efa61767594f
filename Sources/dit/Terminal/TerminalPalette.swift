// What a cell's colours and glyph become for curses, remembered: a colour as 0xRRGGBB on a
// direct terminal, else its xterm-256 index (half-block pixels dithered by their Bayer cell, text
// colours not); a glyph as the wide characters setcchar takes. Pure, so it is tested here.
import DiTRender
import Foundation

struct TerminalPalette {
    private var indices: [Key: Int32] = [:]
    private struct Key: Hashable { let rgb: RGB, phase: Int }   // phase: Bayer cell, −1 for text
    private var glyphs: [Character: [wchar_t]] = [:]

    /// The colour for curses in `mode` (−1: the terminal's default); `pixel`: a half block's pixel.
    mutating func color(_ c: RGB?, _ mode: ColorMode, pixel: (Int, Int)?) -> Int32 {
        guard let c, mode != .ascii else { return -1 }
        if mode == .truecolor {
            // Values below 8 are the ANSI colours in a direct terminfo: nudge black up.
            return max(8, Int32(c.r) << 16 | Int32(c.g) << 8 | Int32(c.b))
        }
        let key = Key(rgb: c, phase: pixel.map { ($0.1 & 3) * 4 + ($0.0 & 3) } ?? -1)
        if let i = indices[key] { return i }
        let i = Int32(pixel.map { XTerm256.index(c, ditherX: $0.0, y: $0.1) } ?? XTerm256.index(c))
        indices[key] = i
        return i
    }

    /// A glyph as setcchar's wide characters, NUL-terminated.
    mutating func glyph(_ ch: Character) -> [wchar_t] {
        if let g = glyphs[ch] { return g }
        let g = ch.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) } + [0]
        glyphs[ch] = g
        return g
    }
}
