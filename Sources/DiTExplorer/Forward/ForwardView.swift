// Forward: the forward process on a real image and what the model learned from it. A row of
// x_0, ε, x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, ε̂ with the class and with the null class, (ε̂ − ε)²;
// ᾱ_t and log SNR over t for the linear and cosine schedules and this image's MSE(t), the
// current t marked; the SDEdit run from x_t underneath.
import DiT
import DiTRender
import Foundation

enum ForwardView {
    static let linearColor = RGB.accent, cosineColor = RGB.link

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let f = s.forward, cfg = s.model.config
        guard let real = f.real, real.fits(cfg), f.x0 != nil else {
            c.put("Forward: no real images of this model's shape (\(cfg.inChannels)×\(cfg.inputSize)×\(cfg.inputSize), classes 0…\(cfg.numClasses - 1)).",
                  x: r.x + 1, y: r.y + 1, maxWidth: r.width - 2)
            c.put("The shipped set is assets/data/fashion-test-10pc (1×32×32, Fashion-MNIST) for the shipped models.",
                  x: r.x + 1, y: r.y + 2, fg: RGB.dim, maxWidth: r.width - 2)
            return
        }
        guard r.height >= 12 else { return }
        let avail = r.height - 5   // info + the titles of the images, MSE, plots and SDEdit
        // The images get up to 2/5 of the rows, at the largest whole-number zoom that fits there.
        let I = cfg.inputSize, n = panels(s).count
        let grid = PanelGrid(image: I, I, count: n, in: Rect(x: r.x + 1, y: r.y + 1, width: r.width - 2, height: max(3, avail * 2 / 5) + 1),
                             footer: 0, gap: 1)
        let first = grid.first(page: s.panelPage[.forward] ?? 0)
        info(s, &c, PanelPages.note(grid, first: first, &c, Rect(x: r.x + 1, y: r.y, width: r.width - 2, height: 1)))
        let imageRows = grid.height - 1, plotRows = max(3, (avail - imageRows) / 2)
        let sdeditRows = avail - imageRows - plotRows
        var y = r.y + 1
        images(s, &c, grid, Array(first..<first + grid.perPage))
        y += imageRows + 1
        loss(s, &c, x: r.x + 1, y: y, width: r.width - 2)
        y += 1
        plots(s, &c, Rect(x: r.x + 1, y: y, width: r.width - 2, height: plotRows + 1))
        y += plotRows + 1
        sdedit(s, &c, Rect(x: r.x + 1, y: y, width: r.width - 2, height: sdeditRows + 1))
    }

    static func info(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let f = s.forward, real = f.real!, t = f.t
        let rows = real.rows(ofClass: f.label), n = (rows.firstIndex(of: f.image) ?? 0) + 1
        let lin = ForwardProcess.linear, cos = ForwardProcess.cosine
        let x = c.put("t = \(t)", x: r.x, y: r.y, fg: RGB.accent, attrs: .bold)
        c.put(parts: [("   \(s.model.className(f.label)) \(n)/\(rows.count)", nil),
                      ("   ᾱ_t = \(Format.g(lin.alphasCumprod[t])) (cosine \(Format.g(cos.alphasCumprod[t])))", nil),
                      ("   SNR = \(Format.g(lin.snr(t))) (\(Format.dB(lin.snr(t))))", nil),
                      ("   ε: seed \(f.noiseSeed) · \(real.source)", RGB.dim)], x: x, y: r.y, maxX: r.maxX)
    }

    /// x_0, ε, x_t, ε̂ (class), ε̂ (null), (ε̂ − ε)²; nil rasters are not computed yet.
    static func panels(_ s: ExplorerState) -> [(String, Raster?)] {
        let f = s.forward, p = f.prediction.flatMap { $0.t == f.t ? $0 : nil }
        let err = f.squaredError, hi = errorScale(err)
        return [
            ("x_0 real", f.x0.map(Images.image)),
            ("ε noise", f.eps.map { Images.signed($0) }),
            ("x_t  t=\(f.t)", f.xt.map(Images.image)),
            ("ε̂ y=\(f.label)", p.map { Images.signed($0.epsCond) }),
            ("ε̂ ∅ null", p?.epsNull.map { Images.signed($0) }),
            ("(ε̂−ε)²", err.map { CovariancePanel.heat($0, lo: 0, hi: hi) }),
        ]
    }

    /// Panels `which` in the grid's slots, each under its title.
    static func images(_ s: ExplorerState, _ c: inout Canvas, _ grid: PanelGrid, _ which: [Int]) {
        let all = panels(s)
        for (slot, i) in which.enumerated() where i < all.count {
            let (title, raster) = all[i], box = grid.slot(slot)
            c.put(TextWidth.truncate(title, to: box.width), x: box.x, y: box.y, fg: i == 2 ? RGB.accent : nil, attrs: .bold)
            if let raster {
                grid.draw(raster, at: slot, into: &c, mode: s.colorMode)
            } else {
                let none = i == 4 && s.forward.prediction != nil && !s.model.hasNullClass
                c.put(none ? "no null class" : s.forward.failure == nil ? "computing…" : "failed", x: box.x, y: box.y + 2, fg: RGB.dim, maxWidth: box.width)
            }
        }
    }

    /// The top of the (ε̂ − ε)² image's colour scale: its own largest value, so where the error
    /// sits shows at every t (the loss line says how large it is).
    static func errorScale(_ err: Planes?) -> Double { Double(max(1e-12, err?.values.max() ?? 1)) }

    /// The training loss at this t: mean (ε̂ − ε)², with the class and with the null class.
    static func loss(_ s: ExplorerState, _ c: inout Canvas, x: Int, y: Int, width: Int) {
        let f = s.forward
        guard let p = f.prediction, p.t == f.t else {
            c.put(f.failure.map { "failed: \($0)" } ?? "computing ε̂(x_t, t, y) at t = \(f.t)…", x: x, y: y, fg: RGB.dim, maxWidth: width)
            return
        }
        var cx = c.put("loss ‖ε̂ − ε‖²/d = \(Format.f(Double(p.mseCond), 4)) with class \(f.label)", x: x, y: y, attrs: .bold, maxWidth: width)
        if let null = p.mseNull { cx = c.put(" · \(Format.f(Double(null), 4)) null class", x: cx, y: y, maxWidth: x + width - cx) }
        cx = c.put("   (ε̂−ε)² shown 0…\(Format.g(errorScale(f.squaredError)))", x: cx, y: y, fg: RGB.dim, maxWidth: x + width - cx)
        c.put("   the model only ever learns to predict ε at a random t", x: cx, y: y, fg: RGB.dim, maxWidth: x + width - cx)
    }

    /// ᾱ_t | log SNR (linear and cosine) | MSE(t) of this image, the current t marked on each.
    static func plots(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let f = s.forward, ascii = s.colorMode == .ascii, gap = 2, w = (r.width - 2 * gap) / 3
        let mark = Double(f.t) / Double(GaussianDiffusion.numTrainTimesteps - 1)
        let lin = ForwardProcess.linear, cos = ForwardProcess.cosine, T = lin.numTimesteps
        let logSNR = { (p: ForwardProcess) in (0..<T).map { Optional(log(p.snr($0))) } }
        let snrL = logSNR(lin), snrC = logSNR(cos)
        let all = (snrL + snrC).compactMap { $0 }, lo = all.min() ?? -1, hi = all.max() ?? 1
        let curve = ForwardState.curveTimesteps.map { t in f.curve[t].map(Double.init) }
        let top = max(0.1, curve.compactMap { $0 }.max() ?? 1)
        let boxes: [(String, [Plot.Series], Double, Double)] = [
            ("ᾱ_t 0…1  ● linear ● cosine", [Plot.Series(cos.alphasCumprod.map { $0 }, color: cosineColor, glyph: "o"),
                                            Plot.Series(lin.alphasCumprod.map { $0 }, color: linearColor, glyph: "*")], 0, 1),
            ("log SNR \(Format.f(lo, 0))…\(Format.f(hi, 0))", [Plot.Series(snrC, color: cosineColor, glyph: "o"),
                                                                Plot.Series(snrL, color: linearColor, glyph: "*")], lo, hi),
            ("MSE(t) 0…\(Format.f(top, 2))  \(f.curve.count)/\(curve.count) t, \(ForwardState.curveDraws) ε",
             [Plot.Series(curve, color: RGB.good, glyph: "*")], 0, top),
        ]
        for (i, (title, series, lo, hi)) in boxes.enumerated() {
            let x = r.x + i * (w + gap)
            let tx = c.put(TextWidth.truncate(title, to: w), x: x, y: r.y, attrs: .bold)
            if i < 2 && !ascii {   // colour the two bullets of the legend
                recolor(&c, "●", from: x, to: tx, y: r.y, colors: [linearColor, cosineColor])
            }
            Plot.draw(&c, Rect(x: x, y: r.y + 1, width: w, height: r.height - 1), series: series, lo: lo, hi: hi, mark: mark, ascii: ascii)
        }
    }

    static func recolor(_ c: inout Canvas, _ glyph: Character, from x0: Int, to x1: Int, y: Int, colors: [RGB]) {
        var n = 0
        for x in x0..<x1 where c[x, y].glyph == glyph && n < colors.count {
            c[x, y] = Cell(glyph, fg: colors[n]); n += 1
        }
    }

    /// The SDEdit run: x at the start step, then evenly spaced frames to the sample.
    static func sdedit(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let f = s.forward
        let y = f.sdeditLabel ?? f.label
        guard let run = f.sdedit else {
            c.put("SDEdit", x: r.x, y: r.y, attrs: .bold)
            c.put("  r: noise x_0 to the step nearest t and sample from there with \(s.model.className(y)) (y Y: another class)",
                  x: r.x + 6, y: r.y, fg: RGB.dim, maxWidth: r.width - 6)
            return
        }
        let status = run.done ? "done" : "\(run.frames.count - 1)/\(run.total) steps"
        c.put("SDEdit from step k = \(run.start) (t = \(run.timestep)) with \(s.model.className(run.label)) · \(status)",
              x: r.x, y: r.y, attrs: .bold, maxWidth: r.width)
        let labels = r.height >= 7 ? 1 : 0                       // "k=…" over each frame when there is room
        let side = max(2, (r.height - 1 - labels) * 2), w = side + 1
        let n = max(1, min(r.width / w, run.total + 1))
        for i in 0..<n {
            let j = n == 1 ? run.total : i * run.total / (n - 1)   // frame j: x after j steps, at step start + j
            let x = r.x + i * w, y = r.y + 1 + labels
            if labels > 0 {
                c.put(j == run.total ? "x_0" : "k=\(run.start + j)", x: x, y: r.y + 1, fg: j == 0 ? RGB.accent : RGB.dim, maxWidth: side)
            }
            guard j < run.frames.count else { c.put("…", x: x, y: y, fg: RGB.dim); continue }
            Blit.fitted(Images.image(run.frames[j]), into: &c, rect: Rect(x: x, y: y, width: side, height: r.maxY - y), mode: s.colorMode)
        }
    }

    /// The export: the six panels in a row.
    static func picture(_ s: ExplorerState, scale k: Int) -> Raster? {
        guard s.forward.x0 != nil, s.forward.real?.fits(s.model.config) == true else { return nil }
        return ExportImages.tile([panels(s).map(\.1)], side: s.model.config.inputSize * k, gap: k)
    }
}

extension ForwardView {
    static let pane = PaneSpec(title: "Forward", shortTitle: "Fwd", tinyTitle: "Fwd",
                               keys: (Keymap.forwardGroup, Keymap.forward), replacesTrajectoryKeys: true, draw: { s, c, layout in
        draw(s, &c, layout.body)
    })
}
