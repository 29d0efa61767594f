// Chapter 3: the fixed 2-D sin-cos position table (PosEmbed, as the model uses it) as an image,
// and the cosine similarity of every token's embedding to the one under the cursor.
import DiT
import DiTRender

enum PositionPane {
    /// The (T, D) table stretched to width × height: pixel (x, y) shows dimension x·D/W of
    /// token y·T/H, coolwarm over −1…1.
    static func picture(_ table: [Float], tokens T: Int, dim D: Int, width W: Int, height H: Int) -> Raster {
        Raster(width: W, height: H) { x, yy in ColorMap.coolwarm.color(Double(table[(yy * T / H) * D + x * D / W]), lo: -1, hi: 1) }
    }

    /// What chapter 3's export writes: the table itself, each value at least a 2×2 block.
    static func export(_ c: DiTConfig) -> Raster {
        let T = c.tokenCount, D = c.hiddenSize
        return picture(PosEmbed.sinCos2D(dim: D, gridSize: c.gridSize).array, tokens: T, dim: D,
                       width: D * max(2, 512 / D), height: T * max(2, 256 / T))
    }

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let cfg = s.model.config, D = cfg.hiddenSize, g = cfg.gridSize, T = cfg.tokenCount
        let table = PosEmbed.sinCos2D(dim: D, gridSize: g).array   // (T, D)
        var y = LessonPanes.caption(s, &c, "position embedding: token ↓ × dimension →", x: r.x, y: r.y, width: r.width,
                                    suffix: "  (T = \(T), D = \(D))")
        // Stretched to the pane: pixel (x, y) shows dimension x·D/W of token y·T/H.
        let rows = min(max(2, (T + 1) / 2), max(2, (r.height - 4) / 2))
        Blit.draw(picture(table, tokens: T, dim: D, width: r.width, height: 2 * rows), into: &c, x: r.x, y: y, mode: s.colorMode)
        y += rows
        Widgets.legend(&c, x: r.x, y: y, width: min(r.width, 30), map: .coolwarm, lo: "−1", hi: "+1", ascii: s.colorMode == .ascii)
        y += 2
        // Cosine similarity to the cursor's token: neighbours in the grid are neighbours here.
        let q = s.token
        func dot(_ a: Int, _ b: Int) -> Double { (0..<D).reduce(0) { $0 + Double(table[a * D + $1]) * Double(table[b * D + $1]) } }
        let norms = (0..<T).map { dot($0, $0).squareRoot() }
        let similarity = (0..<T).map { Float(dot(q, $0) / max(1e-12, norms[q] * norms[$0])) }
        y = LessonPanes.caption(s, &c, "similarity to token", x: r.x, y: y, width: r.width, suffix: " \(q) (\(q / g),\(q % g))")
        let side = min(r.maxY - y, r.width / 4)
        guard side >= 2 else { return }
        let lo = Double(similarity.min() ?? 0)
        let placed = Blit.fitted(Images.heat(similarity, grid: g, lo: lo, hi: 1), into: &c,
                                 rect: Rect(x: r.x, y: y, width: 2 * side, height: side), mode: s.colorMode)
        let nearest = similarity.enumerated().filter { $0.offset != q }.sorted { $0.element > $1.element }.prefix(max(0, min(4, placed.height)))
        for (i, (j, v)) in nearest.enumerated() {
            c.put("\(j) (\(j / g),\(j % g))  \(Format.f(Double(v), 3))", x: placed.maxX + 2, y: y + i, fg: RGB.dim, maxWidth: r.maxX - placed.maxX - 2)
        }
    }
}
