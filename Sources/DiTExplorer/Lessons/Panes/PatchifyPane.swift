// Chapter 2: the current image cut at p = 2, 4, 8, and what each costs: T = (I/p)², Gflops and
// parameters from FLOPs for this model's width and depth.
import DiT
import DiTRender

enum PatchifyPane {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let cfg = s.model.config, I = cfg.inputSize
        let sizes = [2, 4, 8].filter { I % $0 == 0 }
        let costs = sizes.map { p in
            let c = s.model.config(patch: p)
            return (p: p, T: c.tokenCount, gflops: FLOPs(c).gflops, params: FLOPs.parameters(c))
        }
        // The table: one row per p, then what halving p did.
        var y = r.y
        c.put("p    T = (I/p)²   Gflops     " + LessonBook.caption("parameters", s.lesson.language), x: r.x, y: y, attrs: .bold, maxWidth: r.width)
        y += 1
        for row in costs {
            let mine = row.p == cfg.patchSize
            let text = "\(row.p)".padding(toLength: 5, withPad: " ", startingAt: 0)
                + "\(row.T)".padding(toLength: 13, withPad: " ", startingAt: 0)
                + Format.f(row.gflops, 3).padding(toLength: 11, withPad: " ", startingAt: 0)
                + Format.params(row.params)
            let mark = mine ? Format.fitting([text + "  ◀ " + LessonBook.caption("this model", s.lesson.language), text + " ◀"], r.width) : text
            c.put(mark, x: r.x, y: y, fg: mine ? RGB.accent : nil, maxWidth: r.width); y += 1
        }
        if let big = costs.first(where: { $0.p == 4 }), let small = costs.first(where: { $0.p == 8 }) {
            let change = Double(big.params - small.params) / Double(small.params) * 100
            let numbers = "T ×\(big.T / small.T), Gflops ×" + Format.f(big.gflops / small.gflops, 2)
            let params = ", params " + Format.signed(change, 2) + " %"
            c.put(Format.fitting([LessonBook.caption("halving p", s.lesson.language) + " (8 → 4): " + numbers + params,
                                  "8 → 4: " + numbers + params, numbers + params, numbers], r.width),
                  x: r.x, y: y, fg: RGB.link, maxWidth: r.width)
            y += 1
        }
        y += 1
        // The current image under each grid.
        let w = (r.width - 2 * (sizes.count - 1)) / max(1, sizes.count), h = r.maxY - y - 1
        guard h >= 3 else { return }
        let image = Images.image(LessonPanes.cleanest(s))
        for (i, row) in costs.enumerated() {
            let x = r.x + i * (w + 2)
            c.put(Format.fitting(["p = \(row.p) · T = \(row.T)", "p=\(row.p) T=\(row.T)", "T=\(row.T)", "\(row.T)"], w), x: x, y: y, attrs: .bold, maxWidth: w)
            var pic = Picture(image, in: Rect(x: x, y: y + 1, width: w, height: h))
            pic.grid(patch: row.p)
            pic.draw(into: &c, mode: s.colorMode)
            if s.colorMode == .ascii { pic.asciiGrid(into: &c, patch: row.p, cursor: nil) }
        }
    }
}
