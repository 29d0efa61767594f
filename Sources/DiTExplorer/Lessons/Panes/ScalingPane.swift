// Chapter 8: the paper's twelve configurations, their Gflops and parameters computed by FLOPs
// for 32×32×4 latents and 1000 classes beside the paper's Table 4, and this model.
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
    }
}
