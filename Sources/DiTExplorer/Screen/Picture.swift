// Model arrays -> rasters, and a placed picture that overlays (patch grid, cursor, heatmap)
// mark pixel by pixel at screen resolution before it is drawn.
import DiTRender

enum Images {
    /// An image in [-1, 1]: grey for one channel, RGB for three; otherwise (a latent) its first
    /// channel, grey over ±3 as the latent panels draw every channel (LatentView).
    static func image(_ p: Planes) -> Raster {
        if p.channels != 1 && p.channels != 3 { return LatentView.channels(p, signed: false, first: 1)[0] }
        return Raster(width: p.width, height: p.height) { x, y in
            func v(_ c: Int) -> Double { (Double(p.at(c, y, x)) + 1) / 2 }
            if p.channels == 3 { return RGB(RGB.byte(v(0)), RGB.byte(v(1)), RGB.byte(v(2))) }
            return RGB(grey: v(0))
        }
    }

    /// A signed field (ε̂): diverging map, 0 neutral, ±3 (three standard normals) at the ends.
    static func signed(_ p: Planes, range: Double = 3) -> Raster {
        Raster(width: p.width, height: p.height) { x, y in
            ColorMap.coolwarm.color(Double(p.at(0, y, x)), lo: -range, hi: range)
        }
    }

    static func of(_ p: Planes, _ source: ImageSource) -> Raster { source == .eps ? signed(p) : image(p) }

    /// A g×g token field, drawn as a g×g raster through a colour map over [lo, hi].
    static func heat(_ values: [Float], grid g: Int, map: ColorMap = .viridis, lo: Double = 0, hi: Double) -> Raster {
        Raster(width: g, height: g) { x, y in map.color(Double(values[y * g + x]), lo: lo, hi: hi) }
    }
}

struct Picture {
    var raster: Raster          // at screen resolution
    let cells: Rect
    let imageSize: Int          // pixels of the source image along a side
    var scale: Double { Double(raster.width) / Double(imageSize) }

    /// `r` (imageSize × imageSize) scaled to fit `rect`.
    init(_ r: Raster, in rect: Rect) {
        let (cells, px) = Blit.placement(width: r.width, height: r.height, in: rect)
        self.cells = cells
        imageSize = r.width
        raster = r.resized(width: px.width, height: px.height)
    }

    /// Screen pixels of image pixels a..<b along one axis.
    func span(_ a: Int, _ b: Int) -> Range<Int> {
        Int((Double(a) * scale).rounded())..<max(Int((Double(a) * scale).rounded()) + 1, Int((Double(b) * scale).rounded()))
    }

    /// One value per token (patch p, row-major over the grid) blended over the image through
    /// viridis: weak values leave the image visible, strong ones are the colour itself.
    mutating func overlay(tokens: [Float], patch p: Int, hi: Double) {
        let g = imageSize / p
        for y in 0..<raster.height {
            let iy = min(imageSize - 1, Int(Double(y) / scale))
            for x in 0..<raster.width {
                let ix = min(imageSize - 1, Int(Double(x) / scale))
                let v = Double(tokens[(iy / p) * g + ix / p]) / max(hi, 1e-12)
                raster[x, y] = raster[x, y].mix(ColorMap.viridis.color(v), 0.2 + 0.7 * v)
            }
        }
    }

    /// A patch grid: the first screen pixel row and column of every patch, tinted.
    mutating func grid(patch g: Int, color: RGB = RGB.accent) {
        let s = scale
        guard raster.width > 0 else { return }
        for y in 0..<raster.height {
            for x in 0..<raster.width {
                let onX = x % max(1, Int((Double(g) * s).rounded())) == 0
                let onY = y % max(1, Int((Double(g) * s).rounded())) == 0
                if onX || onY { raster[x, y] = raster[x, y].mix(color, 0.45) }
            }
        }
    }

    /// Outline of one patch (row, col) of size g.
    mutating func outline(row: Int, col: Int, patch g: Int, color: RGB = RGB.bad) {
        let xs = span(col * g, col * g + g), ys = span(row * g, row * g + g)
        for y in ys where y < raster.height {
            for x in xs where x < raster.width {
                if y == ys.lowerBound || y == ys.upperBound - 1 || x == xs.lowerBound || x == xs.upperBound - 1 {
                    raster[x, y] = color
                }
            }
        }
    }

    func draw(into c: inout Canvas, mode: ColorMode) {
        Blit.draw(raster, into: &c, x: cells.x, y: cells.y, mode: mode)
    }

    /// In ASCII mode a tint is invisible: mark the grid and the cursor's patch with glyphs.
    func asciiGrid(into c: inout Canvas, patch g: Int, cursor: (row: Int, col: Int)?) {
        let step = max(1, Int((Double(g) * scale).rounded()))
        for cy in 0..<cells.height {
            for cx in 0..<cells.width {
                let onX = cx % step == 0, onY = (2 * cy) % step == 0 || (2 * cy + 1) % step == 0
                let inCursor = cursor.map { cx / step == $0.col && (2 * cy) / step == $0.row } ?? false
                let glyph: Character? = onX && onY ? "+" : onX ? (inCursor ? "#" : "|") : onY ? (inCursor ? "#" : "-") : nil
                if let glyph { c[cells.x + cx, cells.y + cy] = Cell(glyph) }
            }
        }
    }
}
