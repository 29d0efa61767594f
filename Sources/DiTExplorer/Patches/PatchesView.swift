// Patches: the image cut into p×p patches, as PatchEmbed does before the transformer sees
// anything. The patch under the cursor is enlarged with its values; p = 2/4/8 show how the
// token count T = (I/p)², and with it the Gflops, would change.
import DiTRender

enum PatchesView {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ layout: Layout) {
        let cfg = s.model.config, I = cfg.inputSize, p = s.gridPatch, g = I / p
        let planes = sourcePlanes(s)
        let row = s.cursorY / p, col = s.cursorX / p
        c.put("\(s.source.rawValue) at step \(s.k), patch grid p = \(p)" + (s.overlayPatch == nil ? " (the model's)" : " (what a p=\(p) model would see)"),
              x: layout.body.x + 1, y: layout.body.y, attrs: .bold, maxWidth: layout.mainImage.width)
        let full = Images.of(planes, s.source)
        let pic = picture(s, full, in: layout.mainImage)
        pic.draw(into: &c, mode: s.colorMode)
        if s.colorMode == .ascii { pic.asciiGrid(into: &c, patch: p, cursor: (row, col)) }

        let r = layout.sidePanel
        var y = r.y
        func line(_ text: String, _ fg: RGB? = nil, _ attrs: Attrs = []) {
            c.put(text, x: r.x, y: y, fg: fg, attrs: attrs, maxWidth: r.width); y += 1
        }
        line("Patchify", nil, .bold)
        line("I=\(I), p=\(p): T = (I/p)² = \(g)² = \(g * g) tokens")
        line("token: C·p·p = \(cfg.inChannels * p * p) values → Linear → D=\(cfg.hiddenSize)", RGB.dim)
        y += 1
        line("patch (row \(row), col \(col)) → token \(row * g + col)", RGB.accent, .bold)
        line("token = row·(I/p) + col = \(row)·\(g) + \(col)", RGB.dim)
        y += 1
        // The patch itself, enlarged, and its numbers (channel 0).
        let patch = Raster(width: p, height: p) { x, yy in full[col * p + x, row * p + yy] }
        let side = min(r.width / 2, 16)
        let placed = Blit.fitted(patch, into: &c, rect: Rect(x: r.x, y: y, width: side, height: side / 2), mode: s.colorMode)
        if p <= 8 {
            for yy in 0..<p {
                let values = (0..<p).map { Format.signed(Double(planes.at(0, row * p + yy, col * p + $0)), 1) }
                c.put(values.joined(separator: " "), x: r.x + placed.width + 1, y: y + yy, fg: RGB.dim,
                      maxWidth: r.width - placed.width - 1)
            }
        }
        y += max(placed.height, p <= 8 ? p : 0) + 1
        line("patch size vs cost (same D, depth)", nil, .bold)
        for q in [2, 4, 8] where I % q == 0 {
            let mark = q == cfg.patchSize ? "◀ this model" : q == p ? "◀ grid shown" : ""
            line("p=\(q)  T=\((I / q) * (I / q))".padding(toLength: 12, withPad: " ", startingAt: 0)
                 + "  \(Format.f(s.model.gflops(patch: q), 3)) Gflops  \(mark)", q == cfg.patchSize ? RGB.accent : nil)
        }
        if let norms = s.view?.tokenNorms, s.overlayPatch == nil {
            y += 1
            let tok = s.token
            line("‖x‖ of token \(tok) after each block", nil, .bold)
            let values = norms.map { Double($0[tok]) }
            Widgets.strip(&c, x: r.x, y: y, width: min(r.width, values.count * 3), values: values, map: .viridis,
                          lo: 0, hi: values.max() ?? 1, ascii: s.colorMode == .ascii)
            y += 1
            line("block 0 → \(values.count - 1)   max \(Format.f(values.max() ?? 0, 1))", RGB.dim)
        }
    }

    /// The image under its patch grid, the cursor's patch outlined, fitted to `rect` (cells).
    static func picture(_ s: ExplorerState, in rect: Rect) -> Picture { picture(s, Images.of(sourcePlanes(s), s.source), in: rect) }

    /// The same for an image already made from the state (the pane also reads its patch).
    static func picture(_ s: ExplorerState, _ image: Raster, in rect: Rect) -> Picture {
        let p = s.gridPatch
        var pic = Picture(image, in: rect)
        pic.grid(patch: p)
        pic.outline(row: s.cursorY / p, col: s.cursorX / p, patch: p)
        return pic
    }

    static func sourcePlanes(_ s: ExplorerState) -> Planes {
        switch s.source {
        case .xt: return s.xt
        case .predX0: return s.view?.predX0 ?? s.xt
        case .eps: return s.view?.eps ?? s.xt
        }
    }
}

extension PatchesView {
    static let pane = PaneSpec(title: "Patches", shortTitle: "Patch", tinyTitle: "Pat", draw: { s, c, layout in draw(s, &c, layout) })
}
