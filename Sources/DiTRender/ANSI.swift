// A canvas as ANSI text (SGR runs): for exports, `--snapshot` and colour goldens.
// Only style changes are written, and each row ends with a reset.

extension Canvas {
    public func ansi(mode: ColorMode) -> String {
        var out = ""
        for y in 0..<height {
            var last: (RGB?, RGB?, Attrs)? = nil
            for x in 0..<width {
                let cell = self[x, y]
                if cell.isWideTail { continue }
                let style = mode == .ascii ? (nil, nil, cell.attrs) : (cell.fg, cell.bg, cell.attrs)
                if last == nil || last!.0 != style.0 || last!.1 != style.1 || last!.2 != style.2 {
                    out += "\u{1B}[0" + ANSI.sgr(style.2) + ANSI.color(style.0, base: 38, mode: mode)
                        + ANSI.color(style.1, base: 48, mode: mode) + "m"
                    last = style
                }
                out.append(cell.glyph)
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }
}

enum ANSI {
    static func sgr(_ a: Attrs) -> String {
        var s = ""
        if a.contains(.bold) { s += ";1" }
        if a.contains(.dim) { s += ";2" }
        if a.contains(.italic) { s += ";3" }
        if a.contains(.underline) { s += ";4" }
        if a.contains(.reverse) { s += ";7" }
        return s
    }

    static func color(_ c: RGB?, base: Int, mode: ColorMode) -> String {
        guard let c else { return "" }
        switch mode {
        case .truecolor: return ";\(base);2;\(c.r);\(c.g);\(c.b)"
        case .palette256: return ";\(base);5;\(XTerm256.index(c))"
        case .ascii: return ""
        }
    }
}
