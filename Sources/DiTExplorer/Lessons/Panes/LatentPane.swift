// Chapter 1: the paper's latent pipeline beside ours, and the live x_t and x̂0 (a latent model:
// its latents channel by channel and x̂0 through its own VAE decoder).
import DiTRender

enum LatentPane {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let f = LessonBook.facts(s), side = f["latentSide"]!, cfg = s.model.config
        var y = LessonPanes.caption(s, &c, "paper", x: r.x, y: r.y, width: r.width, suffix: ":", fg: RGB.accent)
        for line in ["256×256×3 → VAE ÷\(f["vae"]!) → \(side)×\(side)×4 → DiT",
                     "  (\(f["paperPixels"]!) → \(f["paperLatent"]!), ×1/\(f["ratio"]!))",
                     "DiT → \(side)×\(side)×4 → VAE ×\(f["vae"]!) → 256×256×3"] {
            c.put(line, x: r.x + 2, y: y, maxWidth: r.width - 2); y += 1
        }
        if let l = s.latent { return latent(s, l, &c, Rect(x: r.x, y: y + 1, width: r.width, height: r.maxY - y - 1)) }
        y = LessonPanes.caption(s, &c, "here", x: r.x, y: y + 1, width: r.width, suffix: ":", fg: RGB.accent)
        c.put("\(cfg.inputSize)×\(cfg.inputSize)×\(cfg.inChannels) → DiT → \(cfg.inputSize)×\(cfg.inputSize)×\(cfg.inChannels)  ("
              + LessonBook.caption("no VAE", s.lesson.language) + ")", x: r.x + 2, y: y, maxWidth: r.width - 2)
        y += 2
        let w = (r.width - 2) / 2, h = r.maxY - y - 1
        guard h >= 3 else { return }
        let panels: [(String, Planes?)] = [("x_t at step", s.xt), ("x̂0, its guess", s.view?.predX0)]
        for (i, (name, planes)) in panels.enumerated() {
            let x = r.x + i * (w + 2)
            LessonPanes.caption(s, &c, name, x: x, y: y, width: w, suffix: i == 0 ? " \(s.k)" : "")
            if let planes { Blit.fitted(Images.image(planes), into: &c, rect: Rect(x: x, y: y + 1, width: w, height: h), mode: s.colorMode) }
            else { c.put(LessonBook.caption("not computed yet", s.lesson.language), x: x, y: y + 1, fg: RGB.dim, maxWidth: w) }
        }
    }

    /// A latent model: its own VAE in the pipeline, the live latents (every channel) of x_t and
    /// x̂0, and x̂0 decoded by that VAE in the background.
    static func latent(_ s: ExplorerState, _ l: LatentState, _ c: inout Canvas, _ r: Rect) {
        let cfg = s.model.config, v = l.vae, lang = s.lesson.language
        let I = cfg.inputSize, C = cfg.inChannels, H = I * v.downsampleFactor
        var y = LessonPanes.caption(s, &c, "here", x: r.x, y: r.y, width: r.width, suffix: ": " + v.name, fg: RGB.accent)
        for line in ["\(H)×\(H)×\(v.imageChannels) → VAE ÷\(v.downsampleFactor) → \(I)×\(I)×\(C) → DiT",
                     "DiT → \(I)×\(I)×\(C) → VAE ×\(v.downsampleFactor) → \(H)×\(H)×\(v.imageChannels)",
                     "  " + LessonBook.caption("decode", lang) + "(x̂0 / \(Format.f(v.scalingFactor, 5)))"] {
            c.put(line, x: r.x + 2, y: y, maxWidth: r.width - 2); y += 1
        }
        y += 1
        let w = (r.width - 4) / 3, h = r.maxY - y - 2
        guard h >= 3 else { return }
        let all = DenoisingView.panels(s, s.current)
        let decodedStep = s.current.decodedPicture(near: s.k).map { " k=\($0.k)" } ?? ""
        let shown: [(String, DenoisingPanel)] = [("x_t at step", all[0]), ("x̂0, its guess", all[2]), ("decoded", all[3])]
        for (i, (name, panel)) in shown.enumerated() {
            let x = r.x + i * (w + 2)
            LessonPanes.caption(s, &c, name, x: x, y: y, width: w, suffix: i == 0 ? " \(s.k)" : i == 2 ? decodedStep : "")
            guard panel.picture != nil else {
                c.put(panel.note ?? LessonBook.caption("not computed yet", lang), x: x, y: y + 1, fg: RGB.dim, maxWidth: w)
                continue
            }
            let placed = panel.draw(into: &c, Rect(x: x, y: y + 1, width: w, height: h), mode: s.colorMode)
            if i == 2 {
                let (text, color) = LatentView.caption(s, s.current)
                c.put(text, x: x, y: placed.maxY, fg: color, maxWidth: w)
            }
        }
    }
}
