// The cross-attention and in-context designs (Fig. 5) have no adaLN: t and y reach the patches
// through attention. Here: for the current step, how much weight every patch puts on t and on y,
// the mean over patches per block and head (a table), and for the selected block two heatmaps
// over the patch grid (weight on t, weight on y, mean over heads).
import DiT
import DiTRender

enum ConditioningAttentionView {
    /// Mean over patches of the weight on t (0) or y (1), per head, of one block's (heads, T, 2).
    static func means(_ a: [Float], heads: Int, tokens T: Int, on j: Int) -> [Double] {
        (0..<heads).map { h in (0..<T).reduce(0) { $0 + Double(a[(h * T + $1) * 2 + j]) } / Double(max(1, T)) }
    }

    /// Each patch's weight on t (0) or y (1), mean over heads: (T).
    static func field(_ a: [Float], heads: Int, tokens T: Int, on j: Int) -> [Float] {
        (0..<T).map { i in (0..<heads).reduce(0) { $0 + a[($1 * T + i) * 2 + j] } / Float(max(1, heads)) }
    }

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let cfg = s.model.config, H = cfg.numHeads, T = cfg.tokenCount, g = cfg.gridSize
        let design = cfg.conditioning, ascii = s.colorMode == .ascii
        var y = r.y
        c.put("\(design.rawValue) at step \(s.k) (t = \(Format.t(s.view?.timestep ?? s.schedule.timesteps[min(s.k, s.stepCount - 1)]))), \(s.model.className(s.label))",
              x: r.x + 1, y: y, attrs: .bold, maxWidth: r.width - 2)
        y += 1
        let how = design == .crossAttention
            ? "no adaLN: every block adds cross_attn(LN(x), [t_emb, y_emb]), a softmax over the two per patch and head"
            : "no adaLN: t_emb and y_emb are tokens 0 and 1 in front of the \(T) patches; attention reads them"
        c.put(how, x: r.x + 1, y: y, fg: RGB.dim, maxWidth: r.width - 2)
        y += 1
        guard let att = s.view?.conditioningAttention, !att.isEmpty else {
            c.put("step \(s.k) not computed yet", x: r.x + 1, y: y, fg: RGB.dim)
            return
        }
        // Table: blocks ↓, heads →, the mean weight on y (and on t beside it when it fits).
        c.put("mean weight of a patch on y (class) / t, block ↓ × head →", x: r.x + 1, y: y, attrs: .bold, maxWidth: r.width - 2)
        y += 1
        let label = 7, colW = max(5, min(11, (r.width - 2 - label) / H - 1))
        let both = colW >= 11
        for h in 0..<H { c.put(both ? "h\(h) y / t" : "h\(h) y", x: r.x + 1 + label + h * (colW + 1), y: y, fg: RGB.accent, maxWidth: colW) }
        y += 1
        let free = r.maxY - y - 2 - min(8, g / 2 + 2)
        let shown = min(att.count, max(1, free))
        let first = max(0, min(s.block - shown / 2, att.count - shown))
        for b in first..<first + shown {
            c.put("blk \(b)", x: r.x + 1, y: y, fg: b == s.block ? RGB.accent : RGB.dim, attrs: b == s.block ? .bold : [])
            let onY = means(att[b], heads: H, tokens: T, on: 1), onT = means(att[b], heads: H, tokens: T, on: 0)
            for h in 0..<H {
                let text = both ? "\(Format.f(onY[h], 2)) / \(Format.f(onT[h], 2))" : Format.f(onY[h], 2)
                c.put(text, x: r.x + 1 + label + h * (colW + 1), y: y, fg: onY[h] > onT[h] ? RGB.white : RGB.dim, maxWidth: colW)
            }
            y += 1
        }
        if shown < att.count {
            c.put("blocks \(first)–\(first + shown - 1) of \(att.count) (] [)", x: r.x + 1, y: y, fg: RGB.dim, maxWidth: r.width - 2)
        }
        y += 1
        // Heatmaps of the selected block over the patch grid.
        let sel = att[min(s.block, att.count - 1)]
        let side = max(4, min(2 * g * max(1, 8 / g), (r.width - 4) / 2, 2 * (r.maxY - y - 1)))
        guard r.maxY - y >= 3 else { return }
        for (n, (name, j)) in [("on t", 0), ("on y", 1)].enumerated() {
            let x = r.x + 1 + n * (side + 3)
            c.put("blk \(s.block) \(name)", x: x, y: y, attrs: .bold, maxWidth: side + 2)
            let values = field(sel, heads: H, tokens: T, on: j)
            _ = Blit.fitted(Images.heat(values, grid: g, hi: 1), into: &c, rect: Rect(x: x, y: y + 1, width: side, height: max(1, side / 2)), mode: s.colorMode)
        }
        let legendY = min(r.maxY - 1, y + 1 + max(1, side / 2))
        Widgets.legend(&c, x: r.x + 1, y: legendY, width: min(30, r.width - 2), map: .viridis, lo: "0", hi: "1", ascii: ascii)
    }
}
