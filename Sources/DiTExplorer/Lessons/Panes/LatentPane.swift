// Chapter 1: the paper's latent pipeline beside ours, and the live x_t and x̂0.
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
}
