// Line plots in cells: each series drawn with braille dots (2 × 4 per cell, the colour of the
// last series in a cell), or its own ASCII glyph one point per column; a vertical marker at one x.
// y is linear between lo and hi; points that are nil (not computed yet) are left out.

public enum Plot {
    public struct Series: Sendable {
        public var values: [Double?]        // evenly spaced over the x range
        public var color: RGB
        public var glyph: Character         // ASCII mode
        public init(_ values: [Double?], color: RGB, glyph: Character) {
            self.values = values; self.color = color; self.glyph = glyph
        }
    }

    /// Draws `series` into r (inside: no axes) over [lo, hi]; `mark` (0…1 along x) as a bar "│".
    public static func draw(_ c: inout Canvas, _ r: Rect, series: [Series], lo: Double, hi: Double,
                            mark: Double? = nil, ascii: Bool = false) {
        guard r.width > 0, r.height > 0 else { return }
        if let m = mark {
            let x = r.x + min(r.width - 1, max(0, Int((m * Double(r.width - 1)).rounded())))
            for y in r.y..<r.maxY { c[x, y] = Cell(ascii ? "|" : "│", fg: RGB.dim) }
        }
        let cols = ascii ? r.width : 2 * r.width, rows = ascii ? r.height : 4 * r.height
        var dots = [UInt8](repeating: 0, count: r.width * r.height), colors = [RGB?](repeating: nil, count: r.width * r.height)
        for s in series where !s.values.isEmpty {
            for px in 0..<cols {
                let i = s.values.count == 1 ? 0 : Int((Double(px) / Double(max(1, cols - 1)) * Double(s.values.count - 1)).rounded())
                guard let v = s.values[i], v.isFinite else { continue }
                let f = hi > lo ? (v - lo) / (hi - lo) : 0.5
                let py = rows - 1 - min(rows - 1, max(0, Int((f * Double(rows - 1)).rounded())))
                if ascii { c[r.x + px, r.y + py] = Cell(s.glyph); continue }
                let cell = (py / 4) * r.width + px / 2
                dots[cell] |= bit(dx: px % 2, dy: py % 4)
                colors[cell] = s.color
            }
        }
        guard !ascii else { return }
        for (i, d) in dots.enumerated() where d != 0 {
            c[r.x + i % r.width, r.y + i / r.width] = Cell(Character(Unicode.Scalar(0x2800 + UInt32(d))!), fg: colors[i])
        }
    }

    /// Braille dot numbering: (0,0)=1 (0,1)=2 (0,2)=4 (1,0)=8 (1,1)=16 (1,2)=32 (0,3)=64 (1,3)=128.
    static func bit(dx: Int, dy: Int) -> UInt8 {
        dy == 3 ? (dx == 0 ? 0x40 : 0x80) : UInt8(1 << (dy + 3 * dx))
    }
}
