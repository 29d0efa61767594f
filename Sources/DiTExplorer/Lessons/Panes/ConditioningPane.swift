// Chapter 4: the four conditioning designs of the paper (Fig. 3) as block diagrams with their
// cost and, where shipped, each design's model sampling live beside its diagram; the live
// adaLN-Zero gates α of this model at step k, block by block, and the measured Fig. 5 at laptop
// scale (FID against training steps of the four at one small size, training/findings.py).
import DiT
import DiTRender
import Foundation

enum ConditioningPane {
    /// Title, the design, diagram; words in the diagrams are translated as captions.
    static let designs: [(String, Conditioning, [String])] = [
        ("In-context", .inContext, ["[t][y][x₁ … x_T]", " ↓ self-attn, MLP", "[·][·][x₁' … x_T']", " drop t, y tokens"]),
        ("Cross-attention", .crossAttention, ["x → self-attn", " → cross-attn ← t,y", " → MLP → x'", ""]),
        ("adaLN", .adaLN, ["c = t_emb + y_emb", "c → MLP → γ, β", "LN(x)·(1+γ)+β → f", "x' = x + f"]),
        ("adaLN-Zero", .adaLNZero, ["c → MLP → γ, β, α", "α = 0 at init, so", "x' = x + α·f = x:", "block = identity"]),
    ]

    /// The paper's comparison (Fig. 5) is made on DiT-XL/2: its Gflops under each design, from the
    /// cost model, and the change against adaLN-Zero.
    static func cost(_ v: Conditioning, width: Int = .max) -> String {
        let xl2 = DiTPreset.xl2.config()
        let g = FLOPs(xl2, conditioning: v).gflops, base = FLOPs(xl2).gflops
        let gflops = String(format: "%.1f", g), change = v == .adaLNZero ? "" : String(format: "%+.1f %%", 100 * (g / base - 1))
        if change.isEmpty { return gflops + " Gflops" }
        return Format.fitting([gflops + " Gflops (" + change + ")", gflops + " Gflops " + change, gflops + " GF " + change], width)
    }

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        // Two columns down to 22-cell boxes: the diagrams are at most 20 cells wide. With the
        // shipped Fig. 5 models running (s.designs), the boxes grow to 3/5 of the rows, up to
        // x̂0 at 1×, to hold each design's live x̂0 beside its diagram.
        let columns = r.width >= 45 ? 2 : 1, w = (r.width - (columns - 1)) / columns
        let boxRows = (designs.count + columns - 1) / columns, live = !s.designs.entries.isEmpty
        let h = live ? max(7, min(s.model.config.inputSize / 2 + 3, r.height * 3 / 5 / boxRows)) : 7
        for (i, (title, design, lines)) in designs.enumerated() {
            let box = Rect(x: r.x + (i % columns) * (w + 1), y: r.y + (i / columns) * h, width: w, height: h)
            guard box.maxY <= r.maxY else { break }
            let zero = title == "adaLN-Zero"
            let inside = Widgets.box(&c, box, title: title, color: zero ? RGB.accent : RGB.dim, titleColor: zero ? RGB.accent : nil)
            let pad = inside.width > 20 ? 1 : 0, text = Rect(x: inside.x + pad, y: inside.y, width: inside.width - pad, height: inside.height)
            c.put(cost(design, width: text.width), x: text.x, y: text.y, fg: RGB.link, maxWidth: text.width)
            for (j, line) in lines.enumerated() {
                c.put(LessonBook.caption(line, s.lesson.language), x: text.x, y: text.y + 1 + j, maxWidth: text.width)
            }
            if live { self.live(design, s, &c, Rect(x: text.x + 23, y: inside.y, width: inside.maxX - text.x - 23, height: inside.height)) }  // right of the cost's 22 cells
        }
        let top = r.y + boxRows * h + 1
        var rest = Rect(x: r.x, y: top, width: r.width, height: r.maxY - top)
        if let curves = s.conditioningCurves, rest.height >= 2 {
            // A plot when there is room for one beside the gates, else one line of the last values.
            let rows = rest.height >= 16 ? max(8, rest.height / 2) : 2
            self.curves(curves, s, &c, Rect(x: r.x, y: rest.maxY - rows, width: r.width, height: rows))
            rest.height -= rows + 1
        }
        gates(s, &c, rest)
    }

    /// This design's shipped model on the trajectory's seed, class and sampler: x̂0 at the step on
    /// screen (or the last one computed), its caption under it.
    static func live(_ design: Conditioning, _ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        guard r.width >= 6, r.height >= 3 else { return }
        let cmp = s.designs, caption = Rect(x: r.x, y: r.maxY - 1, width: r.width, height: 1)
        guard let m = cmp.entries.firstIndex(where: { $0.conditioning == design }) else {
            c.put(LessonBook.caption("not shipped", s.lesson.language), x: r.x, y: r.y, fg: RGB.dim, maxWidth: r.width)
            return
        }
        if let f = cmp.failures[m] {
            c.put("failed: \(f)", x: r.x, y: r.y, fg: RGB.bad, maxWidth: r.width)
            return
        }
        let row = m < cmp.rows.count ? cmp.rows[m] : []
        guard !row.isEmpty else {
            c.put("…", x: r.x, y: r.y, fg: RGB.dim)
            return
        }
        let k = min(s.k, row.count - 1)
        let x0 = Images.image(row[k])
        Blit.fitted(x0, into: &c, rect: Rect(x: r.x, y: r.y, width: r.width, height: r.height - 1), mode: s.colorMode)
        c.put("x̂0 k=\(k)", x: caption.x, y: caption.y, fg: k == s.k ? RGB.accent : RGB.dim, maxWidth: caption.width)
    }

    static let colors: [Conditioning: RGB] = [.adaLNZero: RGB.accent, .adaLN: RGB.good, .crossAttention: RGB.link, .inContext: RGB.bad]
    static let glyphs: [Conditioning: Character] = [.adaLNZero: "Z", .adaLN: "a", .crossAttention: "x", .inContext: "i"]

    /// FID (CFG 1) against training steps, one line per design, on a log scale; in one row, the
    /// last value of each.
    static func curves(_ m: ConditioningCurves, _ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let order = designs.map(\.1).reversed().filter { m.series[$0]?.isEmpty == false }
        let last = m.lastStep, ascii = s.colorMode == .ascii
        func accuracy(_ p: ConditioningCurves.Point) -> String { p.accuracyCFG4.map { " (\(Format.f(100 * $0, 0)) %)" } ?? "" }
        let short: [Conditioning: String] = [.adaLNZero: "Zero", .adaLN: "adaLN", .crossAttention: "cross", .inContext: "in-ctx"]
        // The designs' full names while the row holds them, else the short ones: a number is never cut.
        let fullWidth = order.reduce(0) { $0 + TextWidth.of("\($1.rawValue) 000.0 (00 %)") + 4 }
        func name(_ d: Conditioning) -> String { fullWidth <= r.width ? d.rawValue : short[d]! }
        func summary(_ d: Conditioning) -> String { m.series[d]?.last.map { "\(name(d)) \(Format.f($0.fid, 1))" + accuracy($0) } ?? "" }
        // The longest title that fits: the numbers (N, step) stay, the words go first.
        let what = LessonBook.caption("measured: FID at CFG 1 (judge accuracy at CFG 4)", s.lesson.language)
        let numbers = " · N \(m.samples) · step \(last)"
        let title = Format.fitting([what + (m.model.map { " · \($0)" } ?? "") + numbers, what + numbers, "FID (acc)" + numbers,
                                    "N \(m.samples) · step \(last)", "step \(last)"], r.width)
        guard r.height >= 4 else {  // two rows: the title, then short names and whole numbers
            c.put(title, x: r.x, y: r.y, fg: RGB.link, maxWidth: r.width)
            let line = order.map { d in "\(short[d]!) " + (m.series[d]?.last.map { Format.f($0.fid, 0) } ?? "–") }
            c.put(line.joined(separator: " · "), x: r.x, y: r.y + 1, fg: RGB.link, maxWidth: r.width)
            return
        }
        c.put(title, x: r.x, y: r.y, attrs: .bold, maxWidth: r.width)
        var x = r.x
        for d in order {
            let text = summary(d)
            c.put(String(glyphs[d]!), x: x, y: r.y + 1, fg: colors[d])
            c.put(text, x: x + 2, y: r.y + 1, fg: colors[d], maxWidth: max(0, r.maxX - x - 2))
            x += TextWidth.of(text) + 4
        }
        // log10 FID over the steps 0…last: each series resampled onto evenly spaced columns.
        let values = order.flatMap { m.series[$0]!.map { log10(max(1e-3, $0.fid)) } }
        guard let lo = values.min(), let hi = values.max(), last > 0 else { return }
        let plot = Rect(x: r.x + 6, y: r.y + 2, width: max(1, r.width - 6), height: r.height - 3)
        let columns = 2 * plot.width
        let series = order.map { d -> Plot.Series in
            let pts = m.series[d]!
            let v: [Double?] = (0..<columns).map { i -> Double? in
                let step = Double(i) / Double(max(1, columns - 1)) * Double(last)
                guard let j = pts.firstIndex(where: { Double($0.step) >= step }) else { return nil }
                if j == 0 { return pts[0].step == Int(step.rounded()) ? log10(max(1e-3, pts[0].fid)) : nil }
                let a = pts[j - 1], b = pts[j], f = (step - Double(a.step)) / Double(max(1, b.step - a.step))
                return log10(max(1e-3, a.fid)) * (1 - f) + log10(max(1e-3, b.fid)) * f
            }
            return Plot.Series(v, color: colors[d]!, glyph: glyphs[d]!)
        }
        Plot.draw(&c, plot, series: series, lo: lo, hi: max(hi, lo + 1e-6), ascii: ascii)
        c.put(Format.f(pow(10, hi), 0), x: r.x, y: plot.y, fg: RGB.dim, maxWidth: 5)
        c.put(Format.f(pow(10, lo), 0), x: r.x, y: plot.maxY - 1, fg: RGB.dim, maxWidth: 5)
        c.put("0", x: plot.x, y: r.maxY - 1, fg: RGB.dim)
        let end = "\(last) " + LessonBook.caption("steps", s.lesson.language)
        c.put(end, x: max(plot.x + 2, r.maxX - TextWidth.of(end)), y: r.maxY - 1, fg: RGB.dim)
    }

    /// RMS of gate_msa and gate_mlp of every block at this step, as bars on one scale.
    static func gates(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        guard r.height >= 2 else { return }
        let D = s.model.config.hiddenSize, design = s.model.config.conditioning
        guard design == .adaLNZero else {
            let y = LessonPanes.caption(s, &c, "this model has no gates α", x: r.x, y: r.y, width: r.width, suffix: " (\(design.rawValue))")
            c.put(LessonBook.caption("its adaLN pane shows what it has", s.lesson.language), x: r.x, y: y, fg: RGB.dim, maxWidth: r.width)
            return
        }
        var y = LessonPanes.caption(s, &c, "gates α now, RMS per block", x: r.x, y: r.y, width: r.width, suffix: " (t = \(Format.t(s.schedule.timesteps[min(s.k, s.stepCount - 1)])))")
        guard let mod = s.view?.modulation else {
            c.put(LessonBook.caption("not computed yet", s.lesson.language), x: r.x, y: y, fg: RGB.dim, maxWidth: r.width)
            return
        }
        let rms = mod.map { m in Modulation.gates.map { AdaLNView.rms($0.slice(m, D)) } }
        let hi = max(1e-9, rms.flatMap { $0 }.max() ?? 0)
        let bar = max(4, (r.width - 7 - 2 * 13) / 2)
        let room = r.maxY - y, shown = rms.count <= room ? rms.count : max(0, room - 1)
        if shown < rms.count {   // not every block fits: say how many and where all of them are
            c.put(Format.fitting(["blocks 0–\(max(0, shown - 1)) of \(rms.count) · t shows all", "0–\(max(0, shown - 1)) of \(rms.count) blocks"], r.width), x: r.x, y: r.maxY - 1, fg: RGB.dim, maxWidth: r.width)
        }
        for (b, g) in rms.prefix(shown).enumerated() {
            c.put("blk \(b)", x: r.x, y: y, fg: RGB.dim)
            for (j, (name, v)) in zip(["attn", "mlp"], g).enumerated() {
                let x = r.x + 7 + j * (bar + 13)
                c.put(name, x: x, y: y, fg: RGB.accent)
                Widgets.bar(&c, x: x + 5, y: y, width: bar, fraction: v / hi, ascii: s.colorMode == .ascii)
                c.put(Format.f(v, 3), x: x + 6 + bar, y: y, fg: RGB.dim)
            }
            y += 1
        }
    }
}
