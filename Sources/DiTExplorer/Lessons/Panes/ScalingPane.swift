// Chapter 8: the paper's twelve configurations, their Gflops and parameters computed by FLOPs
// for 32×32×4 latents and 1000 classes beside the paper's Table 4, this model, and the measured
// picture: FID against Gflops of small DiTs trained to equal steps (assets/experiments/scaling).
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

    /// The measured scaling at equal steps (training/findings.py): FID at CFG 1, as the paper's
    /// scaling plots, of each config at the last step they all reached, fewest Gflops first; the
    /// bar is the FID (shorter is better), beside the judge's accuracy.
    static func measured(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let lang = s.lesson.language
        guard r.height >= 2 else { return }
        guard let m = s.scalingResults, case let step = m.commonStep, step > 0 else {
            c.put(LessonBook.caption("measured: assets/experiments/scaling/results.json is not shipped", lang), x: r.x, y: r.y,
                  fg: RGB.dim, maxWidth: r.width)
            return
        }
        let points = m.at(step)
        let numbers = " (\(step); FID, CFG 1, N \(m.samples))"   // the numbers stay, the words go first
        let title = [LessonBook.caption("measured here, all at the same step", lang) + numbers, "step" + numbers]
            .first { TextWidth.of($0) <= r.width } ?? "step" + numbers
        c.put(title, x: r.x, y: r.y, attrs: .bold, maxWidth: r.width)
        let top = points.map(\.point.fid).max() ?? 1, barW = max(0, r.width - 48)
        for (i, (name, p)) in points.enumerated() where i + 1 < r.height {
            // Narrow panes drop words, never digits: "D128-L4/8 0.013 GF FID 99.1 95%".
            let wide = name.padding(toLength: 15, withPad: " ", startingAt: 0)
                + (Format.f(p.gflops, 3) + " Gflops").padding(toLength: 13, withPad: " ", startingAt: 0)
                + ("FID " + Format.f(p.fid, 1)).padding(toLength: 11, withPad: " ", startingAt: 0)
                + "acc \(Format.f(100 * p.accuracy, 0)) %"
            let narrow = "\(name.replacingOccurrences(of: "DiT-", with: "")) \(Format.f(p.gflops, 3)) GF FID \(Format.f(p.fid, 1)) \(Format.f(100 * p.accuracy, 0))%"
            let text = TextWidth.of(wide) <= r.width ? wide : narrow
            c.put(text, x: r.x, y: r.y + 1 + i, maxWidth: r.width)
            if barW > 0 {
                Widgets.bar(&c, x: r.x + 48, y: r.y + 1 + i, width: barW, fraction: p.fid / max(1e-9, top), ascii: s.colorMode == .ascii)
            }
        }
    }
}
