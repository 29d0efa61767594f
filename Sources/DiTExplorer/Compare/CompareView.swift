// Compare: one row per model, the same seed, class, guidance and sampler: its name, shape,
// Gflops, parameters and measured quality, then x̂0 at steps evenly spaced over the trajectory
// (as many as fit), the column of the step on screen marked.
import DiTRender

enum CompareView {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let cmp = s.comparison
        guard !cmp.entries.isEmpty else {
            c.put("no models to compare: `dit explore` opens the shipped S/8, S/4 and S/2 here (or --compare-model DIR …)",
                  x: r.x + 1, y: r.y + 1, fg: RGB.dim, maxWidth: r.width - 2)
            return
        }
        let st = cmp.settings ?? s.settings
        c.put("same x_T, class \(s.model.className(st.labels.first ?? 0)), \(st.kind.rawValue.uppercased()) \(st.steps) steps, CFG \(Format.f(Double(st.cfgScale), 1)), seed \(st.seed): x̂0 per step",
              x: r.x + 1, y: r.y, fg: RGB.accent, attrs: .bold, maxWidth: r.width - 2)
        let labelW = min(26, max(18, r.width / 6))
        let rowH = max(3, min(18, (r.height - 2) / cmp.entries.count))
        // Thumbnails: eight steps (all, when fewer) at the largest whole-number zoom the row
        // holds, else as many as fit at 1×; only when not one fits at 1×, as tall as the row
        // allows and small enough (down to half size) for eight across when the width allows.
        let image = s.model.config.inputSize, avail = r.width - labelW - 2
        func grid(_ y: Int) -> PanelGrid {
            PanelGrid(image: image, image, count: st.steps, in: Rect(x: r.x + labelW, y: y, width: avail, height: rowH),
                      footer: 0, gap: 1, together: min(st.steps, 8))
        }
        let whole = grid(r.y + 1).zoom >= 1
        let side = max(2, min((rowH - 1) * 2, image, max(image / 2, avail / min(st.steps, 8) - 1)))
        let shrunk = Blit.fit(width: image, height: image, cols: side, rows: rowH - 1)
        let cols = whole ? grid(r.y + 1).perPage : max(1, min(st.steps, avail / (side + 1)))
        let steps = (0..<cols).map { i in cols == 1 ? st.steps - 1 : i * (st.steps - 1) / (cols - 1) }
        let w = labelW - 2   // the label column's text, a cell short of the thumbnails: a gap
        let names = shownNames(cmp.entries.map(\.name), width: w)
        for (m, e) in cmp.entries.enumerated() {
            let y = r.y + 1 + m * rowH
            guard y + rowH <= r.maxY else { break }
            let g = grid(y)
            /// Column i: its label's row and the image's cells.
            func slot(_ i: Int) -> Rect {
                whole ? g.image(i) : Rect(x: r.x + labelW + i * (side + 1), y: y + 1, width: shrunk.width, height: (shrunk.height + 1) / 2)
            }
            // Units go before numbers: "DiT-S/8 · 0.3550 Gflops" → "… GF" → "DiT-S/8 · 0.3550"; the
            // training steps get a line of their own where they do not fit beside the parameters.
            let gflops = Format.g(e.gflops), params = "\(Format.g(Double(e.parameters) / 1e6)) M"
            let head = e.preset.map { "\($0) · " } ?? ""
            let cost = Format.fitting([head + gflops + " Gflops", head + gflops + " GF", head + gflops], w)
            var lines = [names[m]] + (TextWidth.of(cost) <= w ? [cost]
                                    : [e.preset ?? "", Format.fitting([gflops + " Gflops", gflops + " GF"], w)])
            if let steps = e.trainingSteps {
                let both = Format.fitting([params + " params · \(steps) steps", params + " · \(steps) steps"], w)
                lines += TextWidth.of(both) <= w ? [both] : [params + " params", "\(steps) steps"]
            } else {
                lines.append(params + " params")
            }
            // "acc 99.5 %, FID 90.33 (N 200, CFG 4)" over as many lines as the column needs
            let measured = e.measured.shown?.summary ?? "not measured (dit eval)"
            if TextWidth.of(measured) <= w { lines.append(measured) } else {
                let parts = measured.components(separatedBy: " (")   // "acc …, FID …" and "N …, CFG …)"
                lines += parts[0].components(separatedBy: ", ") + parts.dropFirst().map { "(" + $0 }
            }
            if lines.count > rowH {   // short rows: what the model is, its steps and its accuracy first
                let accuracy = e.measured.shown?.accuracySummary ?? "not measured"
                let first = [names[m], e.preset ?? cost] + (e.trainingSteps.map { ["\($0) steps"] } ?? []) + [accuracy]
                lines = first + lines.dropFirst().filter { !first.contains($0) }
            }
            for (i, line) in lines.prefix(rowH).enumerated() {
                c.put(line, x: r.x + 1, y: y + i, fg: i == 0 ? RGB.white : RGB.dim, attrs: i == 0 ? .bold : [], maxWidth: w)
            }
            if let f = cmp.failures[m] {   // across the thumbnails' place: the message needs the width
                c.put("failed: \(f)", x: r.x + labelW, y: y + 1, fg: RGB.bad, maxWidth: r.maxX - r.x - labelW)
                continue
            }
            let row = m < cmp.rows.count ? cmp.rows[m] : []
            for (i, k) in steps.enumerated() {
                let cells = slot(i)
                guard k < row.count else { c.put("·", x: cells.x, y: cells.y, fg: RGB.panel); continue }
                let x0 = Images.image(row[k])
                if whole { g.draw(x0, at: i, into: &c, mode: s.colorMode) }
                else { Blit.draw(x0.resized(width: shrunk.width, height: shrunk.height), into: &c, x: cells.x, y: cells.y, mode: s.colorMode, source: x0) }
                c.put(k == steps.last ? "x0" : "k=\(k)", x: cells.x, y: cells.y - 1, fg: abs(k - s.k) <= max(1, st.steps / cols / 2) ? RGB.accent : RGB.dim,
                      maxWidth: whole ? g.slot(i).width : side)
            }
        }
    }
}

extension CompareView {
    /// The models' names as the label column shows them: whole where all fit, else without the
    /// prefix they share ("dit-d128-l4-p8-"; the size is on the next line), else their ends.
    static func shownNames(_ names: [String], width: Int) -> [String] {
        guard names.contains(where: { TextWidth.of($0) > width }) else { return names }
        var shared = names.count > 1 ? names.dropFirst().reduce(names[0]) { String($0.commonPrefix(with: $1)) } : ""
        while !shared.isEmpty && !shared.hasSuffix("-") { shared.removeLast() }   // whole words only
        return names.map { name in
            let short = String(name.dropFirst(shared.count))
            return TextWidth.of(short) <= width ? short : "…" + String(short.suffix(max(1, width - 1)))
        }
    }

    static let pane = PaneSpec(title: "Compare", shortTitle: "Cmp", tinyTitle: "Cmp", draw: { s, c, layout in draw(s, &c, layout.body) })
}
