// Denoising: x_t, ε̂ and x̂0 of step k side by side, the noise level, the timeline of the
// trajectory and thumbnails of earlier steps; with `b`, the other branch underneath.
import DiTRender
import Foundation

enum DenoisingView {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ layout: Layout) {
        let r = layout.body
        guard r.height >= 8 else { return }
        info(s, &c, Rect(x: r.x + 1, y: r.y, width: r.width - 2, height: 1))
        let timelineH = 3
        let rows = s.compare && s.other != nil ? 2 : 1
        let side = s.model.config.inputSize, panelW = (r.width - 4) / 3
        let need = rows * (Blit.fit(width: side, height: side, cols: panelW, rows: r.height).height / 2 + 1) + 1  // + legend
        let free = r.height - 1 - timelineH
        let thumbsH = free - need >= 4 ? min(9, free - need) : 0
        let imagesH = free - thumbsH
        let images = Rect(x: r.x, y: r.y + 1, width: r.width, height: imagesH)
        if s.compare, let other = s.other {
            let legend = "A: \(settingsLine(s.current))   B: \(settingsLine(other))   (fork at step \(s.fork))"
            c.put(legend, x: r.x + 1, y: images.y, fg: RGB.link, maxWidth: r.width - 2)
            let (top, bottom) = Rect(x: images.x, y: images.y + 1, width: images.width, height: imagesH - 1).splitTop((imagesH - 1) / 2)
            row(s, s.current, "A", &c, top)
            row(s, other, "B", &c, bottom)
        } else {
            row(s, s.current, nil, &c, images)
        }
        if thumbsH > 0 { thumbnails(s, &c, Rect(x: r.x + 1, y: images.maxY, width: r.width - 2, height: thumbsH)) }
        timeline(s, &c, layout.timeline)
    }

    static func info(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        guard s.k < s.stepCount else { return }
        let t = s.schedule.timesteps[s.k], ab = s.schedule.alphaBars[s.k]
        let snr = ab / max(1e-12, 1 - ab)
        var x = c.put("step k = \(s.k) of \(s.stepCount)", x: r.x, y: r.y, fg: RGB.accent, attrs: .bold)
        x = c.put("   t = \(t)   ᾱ_t = \(Format.g(ab))   SNR = ᾱ/(1−ᾱ) = \(Format.g(snr)) (\(Format.dB(snr)))",
                  x: x, y: r.y, maxWidth: r.maxX - x)
        let formula = "   x_t = √ᾱ·x0 + √(1−ᾱ)·ε"
        if x + TextWidth.of(formula) <= r.maxX { c.put(formula, x: x, y: r.y, fg: RGB.dim) }
    }

    /// Three panels of one branch at step k.
    static func row(_ s: ExplorerState, _ b: Branch, _ tag: String?, _ c: inout Canvas, _ r: Rect) {
        let n = 3, gap = 2
        let w = (r.width - gap * (n - 1)) / n
        let prefix = tag.map { "\($0): " } ?? ""
        for (i, (title, raster)) in panels(s, b).enumerated() {
            let title = prefix + title
            let x = r.x + i * (w + gap)
            c.put(TextWidth.truncate(title, to: w), x: x, y: r.y, fg: i == 0 && tag != nil ? RGB.accent : nil, attrs: .bold)
            let area = Rect(x: x, y: r.y + 1, width: w, height: r.height - 1)
            guard let raster else {
                c.put(s.failure == nil ? "computing step \(s.k)…" : "not computed", x: x, y: r.y + 2, fg: RGB.dim)
                continue
            }
            let placed = Blit.fitted(raster, into: &c, rect: area, mode: s.colorMode)
            guard placed.maxY < r.maxY, tag == nil else { continue }
            if i == 1 {
                Widgets.legend(&c, x: x, y: placed.maxY, width: min(w, 24), map: .coolwarm, lo: "−3", hi: "+3",
                               ascii: s.colorMode == .ascii)
            } else if i == 2 {
                c.put("= (x_t − √(1−ᾱ)·ε̂) / √ᾱ", x: x, y: placed.maxY, fg: RGB.dim, maxWidth: w)
            }
        }
    }

    /// x_t, ε̂ and x̂0 of branch b at step k (nil: not computed yet); the PNG export draws them too.
    static func panels(_ s: ExplorerState, _ b: Branch) -> [(String, Raster?)] {
        let step = b.step(s.k), xt = b.xt(s.k)
        return [
            ("x_t  noisy input", xt.map(Images.image)),
            ("ε̂  predicted noise", step.map { Images.signed($0.eps) }),
            ("x̂0  predicted clean image", step.map { Images.image($0.predX0) }),
        ]
    }

    static func settingsLine(_ b: Branch) -> String {
        let st = b.settings
        let eta = st.kind == .ddim && st.eta > 0 ? " η=\(Format.f(Double(st.eta), 1))" : ""
        return "\(st.kind.rawValue.uppercased())\(eta) · y=\(st.labels.first ?? 0) · cfg \(Format.f(Double(st.cfgScale), 1)) · seed \(st.seed)"
    }

    /// x_t of earlier steps, evenly spaced from x_T to the current step.
    static func thumbnails(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let side = (r.height - 1) * 2, w = side + 2
        let n = max(1, min(r.width / w, s.k + 1))
        for i in 0..<n {
            let k = n == 1 ? s.k : i * s.k / (n - 1)
            guard let planes = s.current.xt(k) else { continue }   // k ≤ the steps computed: always there
            let x = r.x + i * w
            c.put(k == 0 ? "x_T" : "x_t k=\(k)", x: x, y: r.y, fg: k == s.k ? RGB.accent : RGB.dim, maxWidth: w - 1)
            Blit.fitted(Images.image(planes), into: &c, rect: Rect(x: x, y: r.y + 1, width: side, height: r.height - 1), mode: s.colorMode)
        }
    }

    /// One cell per step (or per group of steps): log SNR as bar height, computed steps bright,
    /// the cursor and the fork marked underneath.
    static func timeline(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let K = s.stepCount, done = s.steps.count
        var x = c.put("trajectory ", x: r.x, y: r.y, attrs: .bold)
        x = c.put("\(done)/\(K) computed", x: x, y: r.y, fg: s.busy ? RGB.accent : RGB.good)
        let ends = "t=\(s.schedule.timesteps.first ?? 0) → t=\(s.schedule.timesteps.last ?? 0)"
        c.put("   bars: log SNR, \(ends)   ▲ step \(s.k)" + (s.fork > 0 ? "   ┆ fork \(s.fork)" : ""),
              x: x, y: r.y, fg: RGB.dim, maxWidth: r.maxX - x)
        let w = max(1, min(r.width, K)), bars: [Character] = Array("▁▂▃▄▅▆▇█")
        let logs = s.schedule.alphaBars.map { log($0 / max(1e-12, 1 - $0)) }
        let lo = logs.min() ?? 0, hi = logs.max() ?? 1
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
