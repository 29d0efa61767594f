// Where n images of one size go in a rect of cells, each under its caption rows and over its
// footer rows: the one rule every pane follows. The first `together` of them (all by default)
// stay on screen together at the largest whole-number zoom that holds them (nearest neighbour,
// so pixels stay pixels), with as many more as fit at that zoom, in as few rows as it allows; the
// pane pages through the rest. When not even `together` fit at 1×, a page of as many as fit at
// 1×; when not one fits at 1×, `together` per page in a row, shrunk to their slots (area
// average). A pixel backend then scales the same cells by the cell size (CellGeometry.zoom), so
// it keeps the whole-number ratio too.

public struct PanelGrid: Sendable {
    public let total: Int                // panels in all
    public let perPage: Int              // panels shown at once: total unless paged
    public let columns: Int, rows: Int   // of the page
    public let zoom: Int                 // whole-number zoom of every image; 0: shrunk to `pixels`
    public let pixels: (width: Int, height: Int)   // one image on screen (half blocks: 2 pixels a row)
    let area: Rect, caption: Int, footer: Int, gap: Int

    public init(image w: Int, _ h: Int, count n: Int, in area: Rect, caption: Int = 1, footer: Int = 1, gap: Int = 2,
                together: Int? = nil) {
        self.area = area; self.caption = caption; self.footer = footer; self.gap = gap
        total = max(0, n)
        let least = min(total, max(1, together ?? total))
        let free = (width: area.width, height: area.height - caption - footer)
        /// The fewest rows that hold m images at zoom k, if any.
        func rowsFor(_ m: Int, _ k: Int) -> Int? {
            let (cols, cellRows) = Blit.cells(width: w * k, height: h * k)
            return (1...max(1, m)).first { r in
                let c = (m + r - 1) / r
                return c * cols + (c - 1) * gap <= area.width && r * (caption + cellRows + footer) <= area.height
            }
        }
        let most = Blit.zoom(width: w, height: h, cols: free.width, rows: free.height)   // one image alone
        guard total > 0, most >= 1 else {   // not even one at 1×: a row of `least`, shrunk
            let slot = least > 0 ? (area.width - gap * (least - 1)) / least : 0
            perPage = least; columns = max(1, least); rows = 1; zoom = 0
            pixels = Blit.fit(width: w, height: h, cols: max(0, slot), rows: max(0, free.height))
            return
        }
        let m: Int, k: Int
        if let big = (1...most).reversed().first(where: { rowsFor(least, $0) != nil }) {
            k = big
            m = (least...total).reversed().first { rowsFor($0, k) != nil } ?? least
        } else {   // fewer than `least` at 1×: as many as fit, at the largest zoom that holds them
            m = (1...least).reversed().first { rowsFor($0, 1) != nil } ?? 1
            k = (1...most).reversed().first { rowsFor(m, $0) != nil } ?? 1
        }
        let r = rowsFor(m, k) ?? 1
        perPage = m; rows = r; columns = (m + r - 1) / r; zoom = k
        pixels = (w * k, h * k)
    }

    public var paged: Bool { perPage < total }
    public var pages: Int { perPage > 0 ? (total + perPage - 1) / perPage : 1 }

    /// The first panel of page p (any integer, taken modulo the pages); the last page ends with
    /// the last panel, so every page is full.
    public func first(page p: Int) -> Int {
        let n = pages, q = ((p % n) + n) % n
        return max(0, min(q * perPage, total - perPage))
    }

    /// Cell rows one image takes.
    public var imageRows: Int { Blit.cells(width: pixels.width, height: pixels.height).rows }
    /// The rows the page takes: captions, images and footers of every row.
    public var height: Int { rows * (caption + imageRows + footer) }

    /// Slot i of the page (row-major): its caption, image and footer rows, its share of the width.
    public func slot(_ i: Int) -> Rect {
        let w = (area.width - gap * (columns - 1)) / max(1, columns)
        return Rect(x: area.x + (i % columns) * (w + gap), y: area.y + (i / columns) * (caption + imageRows + footer),
                    width: w, height: caption + imageRows + footer)
    }

    /// The cells the image of slot i covers: at the slot's left, under its caption (which, like
    /// the footer, may use the slot's whole width).
    public func image(_ i: Int) -> Rect {
        let s = slot(i)
        return Rect(x: s.x, y: s.y + caption, width: Blit.cells(width: pixels.width, height: pixels.height).cols, height: imageRows)
    }

    /// Draws `raster` (at its own size) as the image of slot i and records its placement.
    public func draw(_ raster: Raster, at i: Int, into c: inout Canvas, mode: ColorMode) {
        guard pixels.width > 0, pixels.height > 0 else { return }
        let r = image(i)
        Blit.draw(raster.resized(width: pixels.width, height: pixels.height), into: &c, x: r.x, y: r.y, mode: mode, source: raster)
    }
}
