// Chapter 8: the paper's twelve configurations, their Gflops and parameters computed by FLOPs
// for 32×32×4 latents and 1000 classes beside the paper's Table 4, this model, and the measured
// picture: FID against Gflops of the shipped models (dit eval's numbers in their eval.json).
import DiT
import DiTRender
import Foundation

enum ScalingPane {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let lang = s.lesson.language
        var y = r.y
        let head = "model      " + TextWidth.pad(LessonBook.caption("parameters", lang), to: 10)
            + " Gflops (" + LessonBook.caption("ours", lang) + " · " + LessonBook.caption("paper Table 4", lang) + ")"
        c.put(head, x: r.x, y: y, attrs: .bold, maxWidth: r.width)
        y += 1
        let rows = FLOPs.paperOrder.map { p -> (DiTPreset, Int, Double) in
            let config = p.config(inputSize: 32, inChannels: 4, numClasses: 1000)
            return (p, FLOPs.parameters(config), FLOPs(config).gflops)
        }
        // Bars on a log scale: the table spans more than two orders of magnitude.
        let lo = log(rows.map { $0.2 }.min() ?? 1), hi = log(rows.map { $0.2 }.max() ?? 2)
        let barW = max(0, r.width - 40)
        for (preset, params, gflops) in rows where y < r.maxY - 2 {
            let mine = preset.rawValue == s.model.preset
            let paper = FLOPs.paper[preset].map { Format.f($0.gflops, 2) } ?? "–"
            let text = preset.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + Format.params(params).padding(toLength: 11, withPad: " ", startingAt: 0)
                + Format.f(gflops, 2).padding(toLength: 8, withPad: " ", startingAt: 0) + paper
            c.put(text, x: r.x, y: y, fg: mine ? RGB.accent : nil, maxWidth: r.width)
            if barW > 0 {
                Widgets.bar(&c, x: r.x + 40, y: y, width: barW, fraction: (log(gflops) - lo) / max(1e-9, hi - lo),
                            ascii: s.colorMode == .ascii)
            }
            y += 1
        }
        y += 1
        let m = s.model, cfg = m.config
        c.put(LessonBook.caption("this model", lang) + ": \(m.preset ?? m.name), \(cfg.inputSize)×\(cfg.inputSize)×\(cfg.inChannels) · "
              + "\(Format.params(m.parameters)) · \(Format.f(m.gflops, 3)) Gflops · T = \(cfg.tokenCount)",
              x: r.x, y: y, fg: RGB.accent, attrs: .bold, maxWidth: r.width)
        measured(s, &c, Rect(x: r.x, y: y + 2, width: r.width, height: r.maxY - y - 2))
    }

    /// FID against Gflops for the models of the Compare pane, fewest Gflops first, at CFG 1 as
    /// the paper's scaling plots (or CFG 4 when more of the models were measured there): the bar
    /// is the FID (shorter is better), beside the accuracy.
    static func measured(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let lang = s.lesson.language
        let entries = s.comparison.entries
        guard r.height >= 2, !entries.isEmpty else { return }
        func count(_ cfg: Double) -> Int { entries.filter { $0.measured.best(cfg: cfg) != nil }.count }
        let cfg = count(1) >= count(4) ? 1.0 : 4.0
        let points = entries.compactMap { e in e.measured.best(cfg: cfg).map { (e, $0) } }
            .sorted { $0.0.gflops < $1.0.gflops }
        guard !points.isEmpty else {
            c.put(LessonBook.caption("measured: no dit eval numbers in the models' eval.json yet", lang), x: r.x, y: r.y, fg: RGB.dim, maxWidth: r.width)
            return
        }
        let q = points[0].1
        c.put(LessonBook.caption("measured here", lang) + " (dit eval: FID, CFG \(Format.f(cfg, 0)), \(q.sampler.uppercased()) \(q.steps), N \(q.samples))",
              x: r.x, y: r.y, attrs: .bold, maxWidth: r.width)
        let top = points.map(\.1.fid).max() ?? 1, barW = max(0, r.width - 46)
        for (i, (e, m)) in points.enumerated() where i + 1 < r.height {
            let text = (e.preset ?? e.name).padding(toLength: 11, withPad: " ", startingAt: 0)
                + (Format.f(e.gflops, 2) + " Gflops").padding(toLength: 14, withPad: " ", startingAt: 0)
                + ("FID " + Format.f(m.fid, 1)).padding(toLength: 11, withPad: " ", startingAt: 0)
                + "acc \(Format.f(100 * m.accuracy, 0)) %"
            c.put(text, x: r.x, y: r.y + 1 + i, fg: e.name == s.model.name ? RGB.accent : nil, maxWidth: r.width)
            if barW > 0 {
                Widgets.bar(&c, x: r.x + 46, y: r.y + 1 + i, width: barW, fraction: m.fid / max(1e-9, top), ascii: s.colorMode == .ascii)
            }
        }
    }
}
