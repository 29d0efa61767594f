// Denoising: x_t, ε̂ and x̂0 of step k side by side, the noise level, the timeline of the
// trajectory and thumbnails of earlier steps; with `b`, the other branch underneath. The panels
// follow PanelGrid: the largest whole-number zoom that keeps x_t, ε̂, x̂0 together, paged (> <).
// With `G`, what guidance did instead: ε_cond, ε_uncond and the guidance term
// s·(ε_cond − ε_uncond), and the timeline's bars become the term's RMS at each computed step
// (where guidance pushes, and when).
import DiTRender
import Foundation

enum DenoisingView {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ layout: Layout) {
        let r = layout.body
        guard r.height >= 8 else { return }
        let f = frame(s, layout), grid = f.grids[0], side = s.model.config.inputSize
        let first = grid.first(page: s.panelPage[.denoising] ?? 0)
        let row0 = Rect(x: r.x + 1, y: r.y, width: r.width - 2, height: 1)
        info(s, &c, s.zoom == nil || s.compare ? PanelPages.note(grid, first: first, &c, row0) : row0)
        let order = AblationPanels.order(s, count: grid.total), shown = Array(order[first..<min(order.count, first + grid.perPage)])
        if s.compare, let other = s.other {
            let legend = "A: \(settingsLine(s.current))   B: \(settingsLine(other))   (fork at step \(s.fork))"
            c.put(legend, x: r.x + 1, y: f.images.y, fg: RGB.link, maxWidth: r.width - 2)
            row(s, s.current, "A", &c, f.grids[0], shown)
            row(s, other, "B", &c, f.grids[1], shown)
        } else if let z = s.zoom, z < grid.total {   // z: that panel alone, as large as the same rows allow
            row(s, s.current, nil, &c, PanelGrid(image: side, side, count: 1, in: f.images), [z])
        } else {
            row(s, s.current, nil, &c, grid, shown)
        }
        if f.thumbs.height > 0 { thumbnails(s, &c, f.thumbs) }
        timeline(s, &c, layout.timeline)
        ClassStripView.draw(s, &c, layout.classStrip)
    }

    /// x_t, ε̂ and x̂0 (x_t = √ᾱ·x̂0 + √(1−ᾱ)·ε̂) stay on one page, as large as they fit; the
    /// learned v and σ join them where there is room at that zoom, else they are the next page.
    static let together = 3
    /// A latent model's decoded x̂0 stays with its channels: all four panels on one page.
    /// With ablations, x̂0 without them and the difference join the three.
    static func together(_ s: ExplorerState, _ n: Int) -> Int { s.latent != nil ? n : together + AblationPanels.panels(s, s.current).count }

    struct Frame {
        let grids: [PanelGrid]
        let images: Rect, thumbs: Rect
    }

    /// Where the pane's parts go at this size: the panels' grid (one per branch when comparing,
    /// one under the other, alike), the rows the panels take and the thumbnails' rows under them.
    /// The panels come first; the thumbnails get what is left: x_t at 1× when it fits, else up to
    /// 9 rows (at least 4, else none). z's panel is fitted into the same rows, so nothing else moves.
    static func frame(_ s: ExplorerState, _ layout: Layout) -> Frame {
        let r = layout.body, side = s.model.config.inputSize, n = panels(s, s.current).count
        let free = r.height - 1 - 3 - layout.classStrip.height   // under the info row, over the timeline
        let grids: [PanelGrid]
        if s.compare && s.other != nil {   // the settings legend, then each branch's row, no footers
            let area = { (y: Int) in Rect(x: r.x, y: y, width: r.width, height: (free - 1) / 2) }
            let a = PanelGrid(image: side, side, count: n, in: area(r.y + 2), footer: 0, together: together(s, n))
            grids = [a, PanelGrid(image: side, side, count: n, in: area(r.y + 2 + a.height), footer: 0, together: together(s, n))]
        } else {
            grids = [PanelGrid(image: side, side, count: n, in: Rect(x: r.x, y: r.y + 1, width: r.width, height: free), together: together(s, n))]
        }
        let need = grids.count == 2 ? 1 + 2 * grids[0].height : grids[0].height
        let left = free - need, whole = (side + 1) / 2 + 1   // a label and x_t at 1×
        let thumbsH = left >= whole ? whole : left >= 4 ? min(9, left) : 0
        let images = Rect(x: r.x, y: r.y + 1, width: r.width, height: free - thumbsH)
        return Frame(grids: grids, images: images, thumbs: Rect(x: r.x + 1, y: images.maxY, width: r.width - 2, height: thumbsH))
    }

    static func info(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        guard s.k < s.stepCount else { return }
        let t = s.schedule.timesteps[s.k], ab = s.schedule.alphaBars[s.k]
        let snr = ab / max(1e-12, 1 - ab)
        let x = c.put("step k = \(s.k) of \(s.stepCount)", x: r.x, y: r.y, fg: RGB.accent, attrs: .bold)
        let parts: [String], formula: String
        if s.guidanceView {
            let scale = s.view.map { v in v.guidance.map { "s_t = \(Format.f(Double($0.scale), 2))" } ?? "unguided: ε̂ = ε_cond" } ?? "not computed"
            parts = ["   t = \(Format.t(t))", "   \(scale)"]
            formula = "   ε̂ = ε_uncond + s_t·(ε_cond − ε_uncond)"
        } else {
            parts = ["   t = \(Format.t(t))", "   ᾱ_t = \(Format.g(ab))", "   SNR = ᾱ/(1−ᾱ) = \(Format.g(snr)) (\(Format.dB(snr)))"]
            formula = "   x_t = √ᾱ·x0 + √(1−ᾱ)·ε"
        }
        c.put(parts: parts.map { ($0, nil) } + [(formula, RGB.dim)], x: x, y: r.y, maxX: r.maxX)
    }

    /// Panels `which` of one branch at step k (x_t, ε̂, x̂0 and the learned covariance; a latent
    /// model: its channels, and the decoded x̂0 instead of the covariance), in the grid's slots:
    /// caption over each image, its scale or formula under it when there is a row.
    static func row(_ s: ExplorerState, _ b: Branch, _ tag: String?, _ c: inout Canvas, _ grid: PanelGrid, _ which: [Int]) {
        let all = panels(s, b), prefix = tag.map { "\($0): " } ?? "", ascii = s.colorMode == .ascii
        for (slot, i) in which.enumerated() where i < all.count {
            let panel = all[i], box = grid.slot(slot), x = box.x, w = box.width
            c.put(TextWidth.truncate(prefix + panel.title, to: w), x: x, y: box.y, fg: i == 0 && tag != nil ? RGB.accent : nil, attrs: .bold)
            guard let picture = panel.picture else {
                let note = panel.note ?? (b.step(s.k) != nil ? (s.guidanceView ? "unguided at this t: no null-class pass" : "") : s.failure == nil ? "computing step \(s.k)…" : "not computed")
                for (j, line) in TextWidth.wrap(note, width: max(1, w)).prefix(max(0, box.height - 2)).enumerated() {
                    c.put(line, x: x, y: box.y + 2 + j, fg: RGB.dim, maxWidth: w)
                }
                continue
            }
            // A model-sized image goes through the grid (its whole-number zoom, pixel placements);
            // a channel grid or a decoded picture is fitted into the same cells.
            let y: Int
            if panel.channels == nil && s.latent == nil {
                grid.draw(picture, at: slot, into: &c, mode: s.colorMode)
                y = grid.image(slot).maxY
            } else {
                y = panel.draw(into: &c, grid.image(slot), mode: s.colorMode).maxY
            }
            guard y < box.maxY, tag == nil else { continue }
            if s.guidanceView {
                let range = i == 2 ? Format.g(termRange(b)) : "3"
                Widgets.legend(&c, x: x, y: y, width: min(w, 24), map: .coolwarm, lo: "−" + range, hi: "+" + range, ascii: ascii)
            } else if i == 0 && s.latent != nil {
                c.put("grey −3…+3, \(s.model.config.inChannels) channels", x: x, y: y, fg: RGB.dim, maxWidth: w)
            } else if i == 0 && !s.model.config.learnSigma {   // under x_t, which has no caption of its own
                c.put(CovariancePanel.none, x: x, y: y, fg: RGB.dim, maxWidth: w)
            } else if i == 1 {
                Widgets.legend(&c, x: x, y: y, width: min(w, 24), map: .coolwarm, lo: "−3", hi: "+3", ascii: ascii)
            } else if i == 2 {
                c.put("= (x_t − √(1−ᾱ)·ε̂) / √ᾱ", x: x, y: y, fg: RGB.dim, maxWidth: w)
            } else if s.latent != nil {
                let (text, color) = LatentView.caption(s, b)
                c.put(text, x: x, y: y, fg: color, maxWidth: w)
            } else if i >= 3 {
                let extra = AblationPanels.panels(s, b).count   // 0, or 2 after x̂0
                if i < 3 + extra { AblationPanels.caption(i - 3, b.step(s.k), &c, x: x, y: y, width: w, ascii: ascii) }
                else { CovariancePanel.caption(i - 3 - extra, b.step(s.k), &c, x: x, y: y, width: w, ascii: ascii) }
            }
        }
    }

    /// x_t, ε̂ and x̂0 of branch b at step k (no picture: not computed yet); the PNG export draws
    /// them too. In the guidance view: ε_cond, ε_uncond and s·(ε_cond − ε_uncond), the term on
    /// the range of its largest value over the branch, so steps compare. A latent model shows
    /// each of its channels, and the decoded x̂0 in the covariance's place.
    static func panels(_ s: ExplorerState, _ b: Branch) -> [DenoisingPanel] {
        let step = b.step(s.k), xt = b.xt(s.k)
        func field(_ english: String, _ p: Planes?, signed: Bool, range: Double = 3) -> DenoisingPanel {
            let title = s.lesson.open ? LessonBook.caption(english, s.lesson.language) : english   // a lesson's live pane: its language
            if s.latent != nil { return DenoisingPanel(title, channels: p.map { LatentView.channels($0, signed: signed, range: range) }) }
            return DenoisingPanel(title, p.map { signed ? Images.signed($0, range: range) : Images.image($0) })
        }
        if s.guidanceView {
            let g = step?.guidance
            return [
                field("ε_cond  conditional", step.map { g?.epsCond ?? $0.eps }, signed: true),
                field("ε_uncond  null class", g?.epsUncond, signed: true),
                field("s·(ε_cond − ε_uncond)  guidance", g?.term, signed: true, range: termRange(b)),
            ]
        }
        let three = [
            field("x_t  noisy input", xt, signed: false),
            field("ε̂  predicted noise", step?.eps, signed: true),
            field(ablated(s, b) ? "x̂0  ablated: \(Branch.settings(at: s.k, in: b.lineage).ablations)" : "x̂0  predicted clean image", step?.predX0, signed: false),
        ]
        if s.latent != nil { return three + [LatentView.decodedPanel(s, b)] }
        return three + AblationPanels.panels(s, b)   // with ablations: x̂0 without them, the difference
            + (s.compare ? [] : CovariancePanel.panels(s, step).map { DenoisingPanel($0.0, $0.1) })   // comparing: the two branches' three each
    }

    /// Whether step k of branch b runs with ablations.
    static func ablated(_ s: ExplorerState, _ b: Branch) -> Bool { !Branch.settings(at: s.k, in: b.lineage).ablations.isEmpty
    }

    static func settingsLine(_ b: Branch) -> String {
        let st = b.settings
        return "\(Format.sampler(st)) · y=\(st.labels.first ?? 0) · \(Format.guidance(st)) · seed \(st.seed)"
    }

    /// The largest |s·(ε_cond − ε_uncond)| over the branch's computed steps: the guidance colour range.
    static func termRange(_ b: Branch) -> Double {
        max(1e-6, b.steps.reduce(0) { m, v in max(m, v.guidance.map { Double($0.term.values.reduce(0) { max($0, abs($1)) }) } ?? 0) })
    }

    /// What the timeline's bars show: log SNR of every step, or in the guidance view the RMS of
    /// s·(ε_cond − ε_uncond) at each computed step (0 where unguided or not computed yet).
    static func barValues(_ s: ExplorerState) -> [Double] {
        guard s.guidanceView else { return s.schedule.alphaBars.map { log($0 / max(1e-12, 1 - $0)) } }
        return (0..<s.stepCount).map { s.current.step($0)?.guidance?.termRMS ?? 0 }
    }

    /// x_t of earlier steps, evenly spaced from x_T to the current step.
    static func thumbnails(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let side = (r.height - 1) * 2, w = side + 2
        let n = max(1, min(r.width / w, s.k + 1))
        for i in 0..<n {
            let k = n == 1 ? s.k : i * s.k / (n - 1)
            // The last frame at the last step is what the trajectory gives: the sample x_0.
            let sample = i == n - 1 && n > 1 && k == s.stepCount - 1 ? s.current.step(k)?.next : nil
            guard let planes = sample ?? s.current.xt(k) else { continue }   // k ≤ the steps computed: always there
            let x = r.x + i * w
            c.put(sample != nil ? Format.fitting(["x_0 sample", "x_0"], w - 1) : k == 0 ? "x_T" : "x_t k=\(k)", x: x, y: r.y, fg: k == s.k ? RGB.accent : RGB.dim, maxWidth: w - 1)
            Blit.fitted(Images.image(planes), into: &c, rect: Rect(x: x, y: r.y + 1, width: side, height: r.height - 1), mode: s.colorMode)
        }
    }

    /// One cell per step (or per group of steps): log SNR as bar height, computed steps bright,
    /// the cursor and the fork marked underneath.
    static func timeline(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let K = s.stepCount, done = s.steps.count
        var x = c.put("trajectory ", x: r.x, y: r.y, attrs: .bold)
        x = c.put("\(done)/\(K) computed", x: x, y: r.y, fg: s.busy ? RGB.accent : RGB.good)
        let ends = "t=\(Format.t(s.schedule.timesteps.first ?? 0)) → t=\(Format.t(s.schedule.timesteps.last ?? 0))"
        let logs = barValues(s)
        let what = s.guidanceView ? "RMS of s·(ε_cond − ε_uncond), max \(Format.g(logs.max() ?? 0))" : "log SNR"
        c.put("   bars: \(what), \(ends)   ▲ step \(s.k)" + (s.fork > 0 ? "   ┆ fork \(s.fork)" : ""),
              x: x, y: r.y, fg: RGB.dim, maxWidth: r.maxX - x)
        let w = max(1, min(r.width, K)), bars: [Character] = Array("▁▂▃▄▅▆▇█")
        let lo = s.guidanceView ? 0 : logs.min() ?? 0, hi = logs.max() ?? 1
        for col in 0..<w {
            let k0 = col * K / w, k1 = max(k0 + 1, (col + 1) * K / w)
            let level = hi > lo ? (logs[k1 - 1] - lo) / (hi - lo) : 1
            let computed = k1 <= done, requested = k1 <= s.target
            let fg = computed ? RGB.accent : requested ? RGB.dim : RGB.panel
            if s.colorMode == .ascii { c[r.x + col, r.y + 1] = Cell(computed ? "#" : requested ? "+" : ".") }
            else { c[r.x + col, r.y + 1] = Cell(bars[min(7, Int(level * 7.99))], fg: fg) }
            if (k0..<k1).contains(s.k) { c[r.x + col, r.y + 2] = Cell("▲", fg: RGB.white, attrs: .bold) }
            else if s.fork > 0 && (k0..<k1).contains(s.fork) { c[r.x + col, r.y + 2] = Cell("┆", fg: RGB.link) }
        }
    }
}

extension DenoisingView {
    static let pane = PaneSpec(title: "Denoising", shortTitle: "Denoise", tinyTitle: "Den", draw: { s, c, layout in draw(s, &c, layout) })
}
