// Chapter 4: the four conditioning designs of the paper (Fig. 3) as block diagrams with their
// cost, and the live adaLN-Zero gates α of this model at step k, block by block.
import DiT
import DiTRender

enum ConditioningPane {
    /// Title, the design, diagram; words in the diagrams are translated as captions.
    static let designs: [(String, Conditioning, [String])] = [
        ("In-context", .inContext, ["[t][y][x₁ … x_T]", " ↓ self-attn, MLP", "[·][·][x₁' … x_T']", " drop t, y tokens"]),
        ("Cross-attention", .crossAttention, ["x → self-attn", " → cross-attn ← t,y", " → MLP → x'", ""]),
        ("adaLN", .adaLN, ["c = t_emb + y_emb", "c → MLP → γ, β", "LN(x)·(1+γ)+β → f", "x' = x + f"]),
        ("adaLN-Zero", .adaLNZero, ["c → MLP → γ, β, α", "α = 0 at init, so", "x' = x + α·f = x:", "block = identity"]),
    ]

    /// The paper's comparison (Fig. 5) is made on DiT-XL/2: its Gflops under each design, from the
    /// cost model, and the change against adaLN-Zero.
    static func cost(_ v: Conditioning) -> String {
        let xl2 = DiTPreset.xl2.config()
        let g = FLOPs(xl2, conditioning: v).gflops, base = FLOPs(xl2).gflops
        return String(format: "%.1f Gflops", g) + (v == .adaLNZero ? "" : String(format: " (%+.1f %%)", 100 * (g / base - 1)))
    }

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        // Two columns down to 22-cell boxes: the diagrams are at most 20 cells wide.
        let columns = r.width >= 45 ? 2 : 1, w = (r.width - (columns - 1)) / columns, h = 7
        for (i, (title, design, lines)) in designs.enumerated() {
            let box = Rect(x: r.x + (i % columns) * (w + 1), y: r.y + (i / columns) * h, width: w, height: h)
            guard box.maxY <= r.maxY else { break }
            let zero = title == "adaLN-Zero"
            let inside = Widgets.box(&c, box, title: title, color: zero ? RGB.accent : RGB.dim, titleColor: zero ? RGB.accent : nil)
            let pad = inside.width > 20 ? 1 : 0, text = Rect(x: inside.x + pad, y: inside.y, width: inside.width - pad, height: inside.height)
            c.put(cost(design), x: text.x, y: text.y, fg: RGB.link, maxWidth: text.width)
            for (j, line) in lines.enumerated() {
                c.put(LessonBook.caption(line, s.lesson.language), x: text.x, y: text.y + 1 + j, maxWidth: text.width)
            }
        }
        gates(s, &c, Rect(x: r.x, y: r.y + (designs.count + columns - 1) / columns * h + 1, width: r.width,
                          height: r.maxY - r.y - (designs.count + columns - 1) / columns * h - 1))
    }

    /// RMS of gate_msa and gate_mlp of every block at this step, as bars on one scale.
    static func gates(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        guard r.height >= 2 else { return }
        let D = s.model.config.hiddenSize
        var y = LessonPanes.caption(s, &c, "gates α now, RMS per block", x: r.x, y: r.y, width: r.width, suffix: " (t = \(Format.t(s.schedule.timesteps[min(s.k, s.stepCount - 1)])))")
        guard let mod = s.view?.modulation else {
            c.put(LessonBook.caption("not computed yet", s.lesson.language), x: r.x, y: y, fg: RGB.dim, maxWidth: r.width)
            return
        }
        let rms = mod.map { m in Modulation.gates.map { AdaLNView.rms($0.slice(m, D)) } }
        let hi = max(1e-9, rms.flatMap { $0 }.max() ?? 0)
        let bar = max(4, (r.width - 7 - 2 * 13) / 2)
        for (b, g) in rms.enumerated() where y < r.maxY {
            c.put("blk \(b)", x: r.x, y: y, fg: RGB.dim)
            for (j, (name, v)) in zip(["attn", "mlp"], g).enumerated() {
                let x = r.x + 7 + j * (bar + 13)
                c.put(name, x: x, y: y, fg: RGB.accent)
                Widgets.bar(&c, x: x + 5, y: y, width: bar, fraction: v / hi, ascii: s.colorMode == .ascii)
                c.put(Format.f(v, 3), x: x + 6 + bar, y: y, fg: RGB.dim)
            }
            y += 1
        }
    }
}
