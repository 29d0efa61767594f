// Boxes, bars and legends: the furniture around images.

public enum Widgets {
    /// A single-line box with an optional title on the top edge; returns the inside.
    @discardableResult
    public static func box(_ c: inout Canvas, _ r: Rect, title: String = "", color: RGB? = RGB.dim,
                           titleColor: RGB? = nil) -> Rect {
        guard r.width >= 2, r.height >= 2 else { return Rect(x: r.x, y: r.y, width: 0, height: 0) }
        for x in r.x + 1..<r.maxX - 1 { c[x, r.y] = Cell("─", fg: color); c[x, r.maxY - 1] = Cell("─", fg: color) }
        for y in r.y + 1..<r.maxY - 1 { c[r.x, y] = Cell("│", fg: color); c[r.maxX - 1, y] = Cell("│", fg: color) }
        c[r.x, r.y] = Cell("┌", fg: color); c[r.maxX - 1, r.y] = Cell("┐", fg: color)
        c[r.x, r.maxY - 1] = Cell("└", fg: color); c[r.maxX - 1, r.maxY - 1] = Cell("┘", fg: color)
        if !title.isEmpty && r.width > 4 {
            c.put(" " + TextWidth.truncate(title, to: r.width - 4) + " ", x: r.x + 1, y: r.y,
                  fg: titleColor, attrs: .bold, maxWidth: r.width - 2)
        }
        return r.inset(1)
    }

    static let eighths: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// A horizontal bar filled to `fraction` with eighth-cell precision (`#` in ASCII mode).
    public static func bar(_ c: inout Canvas, x: Int, y: Int, width: Int, fraction: Double,
                           color: RGB? = RGB.accent, track: RGB? = RGB.panel, ascii: Bool = false) {
        guard width > 0 else { return }
        let f = fraction.isNaN ? 0 : max(0, min(1, fraction))
        let units = Int((f * Double(width * 8)).rounded())
        for i in 0..<width {
            let n = max(0, min(8, units - 8 * i))
            if ascii { c[x + i, y] = Cell(n >= 4 ? "#" : "-") } else {
                c[x + i, y] = Cell(eighths[n], fg: color, bg: track)
            }
        }
    }

    /// "lo ▕gradient▏ hi": the colour map over `width` cells with its range written beside it.
    public static func legend(_ c: inout Canvas, x: Int, y: Int, width: Int, map: ColorMap,
                              lo: String, hi: String, ascii: Bool = false) {
        var cx = c.put(lo + " ", x: x, y: y, fg: RGB.dim)
        let n = max(1, width - TextWidth.of(lo) - TextWidth.of(hi) - 2)
        for i in 0..<n {
            let t = n == 1 ? 0.5 : Double(i) / Double(n - 1)
            c[cx + i, y] = ascii ? Cell(Blit.ramp[min(Blit.ramp.count - 1, Int(t * Double(Blit.ramp.count)))])
                                 : Cell(" ", bg: map.color(t))
        }
        cx += n
        c.put(" " + hi, x: cx, y: y, fg: RGB.dim)
    }

    /// A heat strip: values mapped through a colour map into `width` cells (area-averaged).
    public static func strip(_ c: inout Canvas, x: Int, y: Int, width: Int, values: [Double],
                             map: ColorMap, lo: Double, hi: Double, ascii: Bool = false) {
        guard width > 0, !values.isEmpty else { return }
        for i in 0..<width {
            let a = i * values.count / width, b = max(a + 1, (i + 1) * values.count / width)
            let mean = values[a..<min(b, values.count)].reduce(0, +) / Double(min(b, values.count) - a)
            let t = hi > lo ? (mean - lo) / (hi - lo) : 0.5
            c[x + i, y] = ascii ? Cell(Blit.ramp[max(0, min(Blit.ramp.count - 1, Int(t * Double(Blit.ramp.count))))])
                                : Cell(" ", bg: map.color(t))
        }
    }
}
