// Under the Denoising timeline: the judge's class probabilities on x̂0 at every step, column by
// column as the timeline (same step ↔ column mapping), the requested class highlighted and the
// step from which it stays on top marked. Tall screens get a row per class, 80 × 24 one row:
// p(requested class) as heat, each cell's glyph the top class.
import DiT
import DiTRender

enum ClassStripView {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        guard r.height >= 2, r.width > 4 else { return }
        let b = s.current, requested = b.settings.labels.first ?? 0
        let classes = s.model.config.numClasses
        guard b.steps.contains(where: { $0.classProbabilities != nil }) || b.steps.isEmpty else {
            c.put("class probabilities: no judge for this model (it scores \(classes == 10 ? "Fashion-MNIST" : "other") images only)",
                  x: r.x, y: r.y, fg: RGB.dim, maxWidth: r.width)
            return
        }
        let decided = ClassDecision.firstDecided(b.steps, requested: requested)
        let K = s.stepCount, w = max(1, min(r.width, K))
        var x = c.put("judge on x̂0 ", x: r.x, y: r.y, attrs: .bold)
        let verdict: String
        if requested >= classes { verdict = "unconditional sample: no class requested" }
        else if let decided { verdict = "\(s.model.className(requested)) on top from step \(decided) on (▼)" }
        else { verdict = b.steps.isEmpty ? "scored as steps arrive" : "\(s.model.className(requested)) not (yet) on top" }
        x = c.put(verdict, x: x, y: r.y, fg: decided != nil ? RGB.good : RGB.dim, maxWidth: r.maxX - x)
        if let p = b.step(s.k)?.classProbabilities {
            let t = Judge.top(p)
            c.put("   step \(s.k): \(s.model.className(t)) \(Format.f(Double(100 * p[t]), 0)) %", x: x, y: r.y, fg: RGB.dim, maxWidth: r.maxX - x)
        }
        let rows = r.height - 1 >= classes ? Array(0..<classes) : [requested]
        for (i, cls) in rows.enumerated() {
            let y = r.y + 1 + i
            for col in 0..<w {
                let k0 = col * K / w, k1 = max(k0 + 1, (col + 1) * K / w)
                guard let p = b.step(k1 - 1)?.classProbabilities, cls < p.count else {
                    c[r.x + col, y] = Cell("·", fg: RGB.panel); continue
                }
                let v = Double(p[cls]), topClass = Judge.top(p)
                let mark = decided.map { (k0..<k1).contains($0) } ?? false
                if s.colorMode == .ascii {
                    c[r.x + col, y] = Cell(mark && i == 0 ? "v" : Blit.ramp[max(0, min(Blit.ramp.count - 1, Int(v * Double(Blit.ramp.count))))])
                } else if rows.count == 1 {
                    let glyph: Character = mark ? "▼" : Character(topClass < 10 ? String(topClass) : "+")
                    c[r.x + col, y] = Cell(glyph, fg: topClass == cls ? RGB.white : RGB.dim, bg: ColorMap.viridis.color(v))
                } else {
                    c[r.x + col, y] = Cell(mark && cls == requested ? "▼" : " ", fg: RGB.white, bg: ColorMap.viridis.color(v))
                }
            }
            let name = rows.count > 1 ? s.model.className(cls)
                : "p(\(s.model.className(cls)))" + (s.colorMode == .ascii ? "" : "; digit: top class")
            if r.x + w + 1 < r.maxX {
                c.put(name, x: r.x + w + 1, y: y, fg: cls == requested ? RGB.accent : RGB.dim,
                      attrs: cls == requested ? .bold : [], maxWidth: r.maxX - r.x - w - 1)
            }
        }
    }
}
