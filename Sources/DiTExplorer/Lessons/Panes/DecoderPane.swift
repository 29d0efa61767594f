// Chapter 6: what the linear decoder gives back: every token as p·p·2C numbers, unpatchified
// in raster order into ε̂ (and Σ), from which x̂0 follows.
import DiTRender

enum DecoderPane {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let cfg = s.model.config, p = cfg.patchSize, g = cfg.gridSize, C = cfg.inChannels
        var y = r.y
        let split = "n → row n div \(g), col n mod \(g)"
        for options in [["token (D = \(cfg.hiddenSize)) → LN, adaLN → Linear →", "D = \(cfg.hiddenSize) → Linear →"],
                        ["  p·p·2C = \(p)·\(p)·\(2 * C) = \(cfg.finalDim) = ε̂ \(C)×\(p)×\(p) + Σ \(C)×\(p)×\(p)",
                         "  \(p)·\(p)·\(2 * C) = \(cfg.finalDim) = ε̂ \(C)×\(p)×\(p) + Σ \(C)×\(p)×\(p)"],
                        ["unpatchify \(cfg.tokenCount) tokens: " + split, "\(cfg.tokenCount) tokens: " + split, split]] {
            c.put(Format.fitting(options, r.width), x: r.x, y: y, maxWidth: r.width); y += 1
        }
        y += 1
        guard let view = s.view else {
            c.put(LessonBook.caption("not computed yet", s.lesson.language), x: r.x, y: y, fg: RGB.dim, maxWidth: r.width)
            return
        }
        let w = (r.width - 2) / 2, h = r.maxY - y - 1
        guard h >= 3 else { return }
        // ε̂ with the patch grid and, where the patches are big enough, each token's number on it.
        c.put("ε̂ (C of 2C)", x: r.x, y: y, attrs: .bold, maxWidth: w)
        var pic = Picture(Images.signed(view.eps), in: Rect(x: r.x, y: y + 1, width: w, height: h))
        pic.grid(patch: p)
        pic.draw(into: &c, mode: s.colorMode)
        if s.colorMode == .ascii { pic.asciiGrid(into: &c, patch: p, cursor: nil) }
        let cell = Double(pic.cells.width) / Double(g)
        if cell >= 3 && Double(pic.cells.height) / Double(g) >= 1 {
            for n in 0..<cfg.tokenCount {
                let x = pic.cells.x + Int(Double(n % g) * cell) + 1
                let yy = pic.cells.y + Int(Double(n / g) * Double(pic.cells.height) / Double(g))
                c.put("\(n)", x: x, y: yy, fg: RGB.white, bg: RGB.black, maxWidth: Int(cell) - 1)
            }
        } else {
            c.put(Format.fitting([LessonBook.caption("tokens in raster order", s.lesson.language) + ": 0 … \(cfg.tokenCount - 1)",
                                  "tokens 0 … \(cfg.tokenCount - 1)", "0 … \(cfg.tokenCount - 1)"], w),
                  x: r.x, y: pic.cells.maxY, fg: RGB.dim, maxWidth: w)
        }
        c.put("x̂0", x: r.x + w + 2, y: y, attrs: .bold, maxWidth: w)
        Blit.fitted(Images.image(view.predX0), into: &c, rect: Rect(x: r.x + w + 2, y: y + 1, width: w, height: h), mode: s.colorMode)
    }
}
