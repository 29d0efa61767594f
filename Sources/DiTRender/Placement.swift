// Where the views drew images, so a backend with a pixel protocol (kitty, sixel, iTerm2) can show
// the real pixels over the half blocks. A placement remembers a digest of its cells as drawn:
// anything written over them later (a caption, the help overlay) makes it stale, and a stale
// image is not shown, so pixels never cover text. Text, ANSI and asciicast output ignore it.

public struct ImagePlacement: Equatable, Sendable {
    /// The image at its own resolution (a backend scales it by whole numbers).
    public let raster: Raster
    /// The cells the half-block version covers.
    public let cells: Rect
    let digest: Int
}

extension Canvas {
    /// Records that `raster` is drawn in `cells` (call after drawing them).
    public mutating func place(_ raster: Raster, cells r: Rect) {
        let r = Rect(x: r.x, y: r.y, width: min(r.width, width - r.x), height: min(r.height, height - r.y))
        guard !r.isEmpty, r.x >= 0, r.y >= 0, raster.width > 0, raster.height > 0 else { return }
        images.append(ImagePlacement(raster: raster, cells: r, digest: digest(r)))
    }

    /// The placements whose cells are still as drawn: those a backend may cover with pixels.
    public var visibleImages: [ImagePlacement] { images.filter { digest($0.cells) == $0.digest } }

    func digest(_ r: Rect) -> Int {
        var h = Hasher()
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { h.combine(self[x, y]) } }
        return h.finalize()
    }
}

/// The pixel size of a terminal cell, and what fits in a run of cells.
public struct CellGeometry: Equatable, Sendable {
    public let width: Int, height: Int
    public init(width: Int, height: Int) { self.width = max(1, width); self.height = max(1, height) }

    /// The largest whole-number zoom k ≥ 1 with a k·w × k·h image inside cols × rows cells; 0 if none.
    public func zoom(width w: Int, height h: Int, cols: Int, rows: Int) -> Int {
        guard w > 0, h > 0 else { return 0 }
        return min(cols * width / w, rows * height / h)
    }

    /// Cells an image of w × h pixels covers (rounded up).
    public func cells(width w: Int, height h: Int) -> (cols: Int, rows: Int) {
        ((w + width - 1) / width, (h + height - 1) / height)
    }
}
