// Attention: where the query patch (the cursor) looks, as a heatmap over the image, for one
// block and head, the mean over heads or the rollout through the blocks; small multiples of
// every head of the block beside it.
import DiTRender

enum AttentionView {
    /// The image with the query patch's attention blended over it, fitted to `rect` (cells).
    static func picture(_ s: ExplorerState, in rect: Rect) -> Picture { picture(s, map: AttentionMaps.selected(s), in: rect) }

    /// The same with the map already taken (the pane draws it beside the picture too).
    static func picture(_ s: ExplorerState, map: [Float]?, in rect: Rect) -> Picture {
        let p = s.model.config.patchSize
        var pic = Picture(Images.of(PatchesView.sourcePlanes(s), s.source), in: rect)
        if let map { pic.overlay(tokens: map, patch: p, hi: Double(map.max() ?? 1)) }
        pic.outline(row: s.cursorY / p, col: s.cursorX / p, patch: p, color: RGB.bad)
        return pic
    }

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ layout: Layout) {
        let cfg = s.model.config, p = cfg.patchSize, g = cfg.gridSize, T = cfg.tokenCount
        let q = s.token, row = s.cursorY / p, col = s.cursorX / p
        let what = s.attentionMode == .head ? "head \(s.head)/\(cfg.numHeads)" : s.attentionMode.rawValue
        c.put("block \(s.block)/\(cfg.depth) · \(what) · query token \(q) (\(row),\(col))",
              x: layout.body.x + 1, y: layout.body.y, attrs: .bold, maxWidth: layout.mainImage.width)
        let map = AttentionMaps.selected(s)
        let hi = Double(map?.max() ?? 1)
        let pic = picture(s, map: map, in: layout.mainImage)
        pic.draw(into: &c, mode: s.colorMode)
        if s.colorMode == .ascii { pic.asciiGrid(into: &c, patch: p, cursor: (row, col)) }

        let r = layout.sidePanel
        var y = r.y
        guard let map, let att = s.view?.attention else {
            c.put(s.view == nil ? "step \(s.k) not computed yet" : "recomputing the attention of step \(s.k)…",
                  x: r.x, y: y, fg: RGB.dim, maxWidth: r.width)
            if s.view != nil { c.put("(older steps drop theirs: memory budget)", x: r.x, y: y + 1, fg: RGB.dim, maxWidth: r.width) }
            return
        }
        // With guidance the batch holds a conditional and a null-class pass: this is the conditional one.
        let pass = s.settings.cfgScale != 1 ? " · conditional pass" : ""
        c.put("where token \(q) looks" + pass, x: r.x, y: y, attrs: .bold, maxWidth: r.width); y += 1
        let side = min(r.width / 2, 2 * g * max(1, 16 / g))
        let heat = Blit.fitted(Images.heat(map, grid: g, hi: hi), into: &c, rect: Rect(x: r.x, y: y, width: side, height: side / 2), mode: s.colorMode)
        var ty = y
        let top = map.enumerated().sorted { $0.element > $1.element }.prefix(min(5, heat.height))
        for (j, w) in top {
            c.put("→ \(j) (\(j / g),\(j % g))  \(Format.f(Double(w), 3))", x: r.x + heat.width + 2, y: ty, fg: j == q ? RGB.accent : nil,
                  maxWidth: r.width - heat.width - 2)
            ty += 1
        }
        y += max(heat.height, ty - y) + 1
        Widgets.legend(&c, x: r.x, y: y, width: min(r.width, 30), map: .viridis, lo: "0", hi: Format.f(hi, 3), ascii: s.colorMode == .ascii)
        y += 1
        // In-context: tokens 0 and 1 are t and y; the rest of the row is what the patches above share.
        if cfg.conditioning == .inContext, let on = s.view?.conditioningAttention?[s.block] {
            func weight(_ j: Int) -> Double {
                let heads = s.attentionMode == .head ? [s.head] : Array(0..<cfg.numHeads)
                return heads.reduce(0) { $0 + Double(on[($1 * T + q) * 2 + j]) } / Double(heads.count)
            }
            c.put("in-context, also on t \(Format.f(weight(0), 3)) · y \(Format.f(weight(1), 3)) (tokens 0, 1)",
                  x: r.x, y: y, fg: RGB.accent, maxWidth: r.width)
        }
        y += 1
        // Small multiples: each head, the mean, the rollout, for this block.
        c.put("block \(s.block): heads, mean, rollout (] [ } { a)", x: r.x, y: y, attrs: .bold, maxWidth: r.width); y += 1
        let cell = max(4, min(2 * g, (r.width + 1) / 5 - 1))
        var maps: [(String, [Float], Bool)] = (0..<cfg.numHeads).map {
            ("h\($0)" + (s.settings.ablations.items.contains(.head(block: s.block, head: $0)) ? "×" : ""), AttentionMaps.head(att[s.block], tokens: T, head: $0, query: q), s.attentionMode == .head && $0 == s.head)
        }
        maps.append(("mean", AttentionMaps.mean(att[s.block], tokens: T, heads: cfg.numHeads, query: q), s.attentionMode == .mean))
        maps.append(("roll", AttentionMaps.rollout(att, tokens: T, heads: cfg.numHeads, query: q, through: s.block), s.attentionMode == .rollout))
        let perRow = max(1, (r.width + 1) / (cell + 1))
        for (i, (name, m, selected)) in maps.enumerated() {
            let x = r.x + (i % perRow) * (cell + 1), yy = y + (i / perRow) * (cell / 2 + 2)
            guard yy + cell / 2 < r.maxY else { break }
            c.put(name, x: x, y: yy, fg: selected ? RGB.accent : RGB.dim, attrs: selected ? .bold : [], maxWidth: cell)
            Blit.fitted(Images.heat(m, grid: g, hi: Double(m.max() ?? 1)), into: &c,
                        rect: Rect(x: x, y: yy + 1, width: cell, height: cell / 2), mode: s.colorMode)
        }
    }
}

extension AttentionView {
    static let pane = PaneSpec(title: "Attention", shortTitle: "Attn", tinyTitle: "Attn", keys: (Keymap.attentionGroup, Keymap.attention),
                               draw: { s, c, layout in draw(s, &c, layout) })
}
