// Raster -> cells. Half blocks (▀, fg = upper pixel, bg = lower) give square pixels in ~1:2 cells,
// two pixels per cell (notcurses tria_blit). Without colour, each cell's luminance picks a glyph
// of an ASCII ramp (libcaca's idea).

public enum ColorMode: String, CaseIterable, Sendable {
    case truecolor, palette256 = "256", ascii
}

public enum Blit {
    public static let ramp: [Character] = Array(" .:-=+*#%@")

    /// The largest whole-number zoom k ≥ 1 at which a w×h image fits cols×rows cells (two pixels
    /// per row); 0 when it does not fit even at 1×. The scale every view and PanelGrid start from.
    public static func zoom(width w: Int, height h: Int, cols: Int, rows: Int) -> Int {
        guard w > 0, h > 0, cols > 0, rows > 0 else { return 0 }
        return min(cols / w, 2 * rows / h)
    }

    /// Pixel size that fits a w×h image into cols×rows cells (two pixels per row), keeping its
    /// aspect: the whole-number zoom when there is room (crisp), a shrink otherwise.
    public static func fit(width w: Int, height h: Int, cols: Int, rows: Int) -> (width: Int, height: Int) {
        guard w > 0, h > 0, cols > 0, rows > 0 else { return (0, 0) }
        let k = zoom(width: w, height: h, cols: cols, rows: rows)
        if k >= 1 { return (w * k, h * k) }
        let s = min(Double(cols) / Double(w), Double(2 * rows) / Double(h))
        return (max(1, Int(Double(w) * s)), max(1, Int(Double(h) * s)))
    }

    /// Cells needed to show a pixel raster of this size.
    public static func cells(width: Int, height: Int) -> (cols: Int, rows: Int) { (width, (height + 1) / 2) }

    /// Draws the raster with its top-left cell at (x, y), and records it as an image placement
    /// (of `source`, the unscaled image, when given) for backends that show real pixels.
    public static func draw(_ r: Raster, into c: inout Canvas, x: Int, y: Int, mode: ColorMode, source: Raster? = nil) {
        defer { c.place(source ?? r, cells: Rect(x: x, y: y, width: r.width, height: (r.height + 1) / 2)) }
        for row in 0..<(r.height + 1) / 2 {
            for col in 0..<r.width {
                let top = r[col, 2 * row]
                let bottom: RGB? = 2 * row + 1 < r.height ? r[col, 2 * row + 1] : nil
                if mode == .ascii {
                    let lum = bottom.map { (top.luminance + $0.luminance) / 2 } ?? top.luminance
                    let i = min(ramp.count - 1, Int(lum * Double(ramp.count)))
                    c[x + col, y + row] = Cell(ramp[i])
                } else {
                    c[x + col, y + row] = Cell("▀", fg: top, bg: bottom)
                }
            }
        }
    }

    /// Where a w×h image lands inside `rect`: centred horizontally, at the top, in cells, with
    /// its pixel size. Views and mouse hit-testing share it.
    public static func placement(width w: Int, height h: Int, in rect: Rect) -> (cells: Rect, pixels: (width: Int, height: Int)) {
        let px = fit(width: w, height: h, cols: rect.width, rows: rect.height)
        let (cols, rows) = cells(width: px.width, height: px.height)
        return (Rect(x: rect.x + (rect.width - cols) / 2, y: rect.y, width: cols, height: rows), px)
    }

    /// Scales the raster to fit `rect` and draws it; returns the cells it covers.
    @discardableResult
    public static func fitted(_ r: Raster, into c: inout Canvas, rect: Rect, mode: ColorMode) -> Rect {
        let (cellRect, px) = placement(width: r.width, height: r.height, in: rect)
        guard px.width > 0 else { return cellRect }
        draw(r.resized(width: px.width, height: px.height), into: &c, x: cellRect.x, y: cellRect.y, mode: mode, source: r)
        return cellRect
    }
}
