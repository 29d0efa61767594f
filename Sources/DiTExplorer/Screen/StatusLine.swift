// The two status rows: the model (name, parameters, Gflops, T), then the sampler, class, CFG
// (with its interval and ramp), seed, network evaluations so far, step time and the worker's
// progress or the last message.
import DiTRender

enum StatusLine {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let m = s.model, cfg = m.config, st = s.settings
        c.fill(r, with: Cell(" ", bg: RGB.panel))
        let summary = " \(m.name)" + (m.preset.map { " (\($0))" } ?? "") + " · \(Format.params(m.parameters)) params · \(Format.f(m.gflops, 3)) Gflops · T = \(cfg.tokenCount)"
        let model = Format.fitting([summary + " · I=\(cfg.inputSize) p=\(cfg.patchSize) D=\(cfg.hiddenSize) depth \(cfg.depth)", summary], r.width)   // the shape goes whole or not at all
        c.put(model, x: 0, y: r.y, fg: RGB.white, bg: RGB.panel, maxWidth: r.width)
        let mode = ["truecolor": "24-bit", "256": "256 colours", "ascii": "ASCII"][s.colorMode.rawValue] ?? ""
        if TextWidth.of(model) + mode.count + 3 < r.width { c.put(mode + " ", x: r.maxX - mode.count - 1, y: r.y, fg: RGB.dim, bg: RGB.panel) }
        let ms = s.steps.last.map { String(format: "%.0f ms/step", $0.milliseconds) } ?? "– ms/step"
        let nfe = s.steps.reduce(0) { $0 + $1.nfe }
        // The fields, then the least needed first to go; the active ablations stay with the sampler's settings.
        let off = st.ablations.isEmpty ? "" : " │ off \(st.ablations)"
        let fields = " \(Format.sampler(st)) · \(st.steps) steps │ \(m.className(s.label)) │ \(Format.guidance(st))" + off
        var x = c.put(Format.fitting([fields + " │ seed \(st.seed) │ NFE \(nfe) │ \(ms) │ ", fields + " │ seed \(st.seed) │ NFE \(nfe) │ ",
                                      fields + " │ NFE \(nfe) │ ", fields + " │ "], r.width),
                      x: 0, y: r.y + 1, fg: RGB.white, bg: RGB.panel, maxWidth: r.width)
        if let failure = s.failure {
            c.put("error: " + failure, x: x, y: r.y + 1, fg: RGB.bad, bg: RGB.panel, attrs: .bold, maxWidth: r.maxX - x)
            return
        }
        if s.busy {
            let done = s.steps.count, want = min(s.target, s.stepCount)
            x = c.put(s.playing ? "▶ " : "⋯ ", x: x, y: r.y + 1, fg: RGB.accent, bg: RGB.panel)
            x = c.put("computing \(done)/\(want) ", x: x, y: r.y + 1, fg: RGB.accent, bg: RGB.panel)
            let w = min(20, r.maxX - x - 1)
            Widgets.bar(&c, x: x, y: r.y + 1, width: w, fraction: Double(done) / Double(max(1, want)), ascii: s.colorMode == .ascii)
            x += max(0, w) + 1
        } else if s.playing {
            x = c.put("▶ playing ", x: x, y: r.y + 1, fg: RGB.good, bg: RGB.panel)
        }
        if let msg = s.message { message(msg, &c, r, after: x, keeping: mode) }
    }

    /// The message after the fields when it fits there; else it takes the model's row, and the
    /// sampler's too when it needs both: a message is never cut to its first letters (issue 27).
    static func message(_ msg: String, _ c: inout Canvas, _ r: Rect, after x: Int, keeping mode: String) {
        if TextWidth.of(msg) <= r.maxX - x - 1 {
            c.put(msg, x: x, y: r.y + 1, fg: RGB.link, bg: RGB.panel)
            return
        }
        var lines = TextWidth.wrap(msg, width: r.width - 2)
        if lines.count > r.height {   // longer than the whole status bar: its end, marked as cut, on the last row
            lines = Array(lines.prefix(r.height))
            lines[r.height - 1] = TextWidth.truncate(lines[r.height - 1] + " …", to: r.width - 2)
        }
        for (i, line) in lines.enumerated() {
            c.fill(Rect(x: r.x, y: r.y + i, width: r.width, height: 1), with: Cell(" ", bg: RGB.panel))
            c.put(" " + line, x: r.x, y: r.y + i, fg: RGB.link, bg: RGB.panel)
        }
        if TextWidth.of(lines[0]) + mode.count + 3 < r.width {   // the colour mode stays where there is room
            c.put(mode + " ", x: r.maxX - mode.count - 1, y: r.y, fg: RGB.dim, bg: RGB.panel)
        }
    }
}
