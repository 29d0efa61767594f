// adaLN-Zero: every block turns the conditioning c = t_emb(t) + y_emb(y) into six vectors
// (shift, scale, gate for attention and for the MLP). Here: those vectors for the current t and
// class, block by block, and how the gates' size changes over the trajectory. An adaLN model
// (Fig. 5) has four (no gates) and shows its scales over the trajectory; the cross-attention and
// in-context designs show where the patches attend to t and y (ConditioningAttentionView).
import DiT
import DiTRender

enum AdaLNView {
    static func rms(_ v: ArraySlice<Float>) -> Double {
        (v.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, v.count))).squareRoot()
    }

    static func maxAbs(_ v: ArraySlice<Float>) -> Double { Double(v.reduce(0) { max($0, abs($1)) }) }

    /// One symmetric range per vector kind (max |v| over all blocks), so blocks compare at a glance.
    static func ranges(_ mod: [[Float]], _ D: Int, _ design: Conditioning) -> [Double] {
        design.modulationChunks.map { v in mod.reduce(1e-9) { m, b in max(m, maxAbs(v.slice(b, D, in: design))) } }
    }

    /// What the trajectory table follows: the gates α (adaLN-Zero), else the scales γ.
    static func tracked(_ design: Conditioning) -> [Modulation] {
        design == .adaLNZero ? Modulation.gates : [.scaleMSA, .scaleMLP]
    }

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let cfg = s.model.config, D = cfg.hiddenSize, ascii = s.colorMode == .ascii, design = cfg.conditioning
        guard design.modulationVectors > 0 else { return ConditioningAttentionView.draw(s, &c, r) }
        let chunks = design.modulationChunks
        var y = r.y
        c.put("\(design.rawValue) at step \(s.k) (t = \(Format.t(s.view?.timestep ?? s.schedule.timesteps[min(s.k, s.stepCount - 1)]))), \(s.model.className(s.label))",
              x: r.x + 1, y: y, attrs: .bold, maxWidth: r.width - 2)
        y += 1
        guard let mod = s.view?.modulation else {
            c.put("step \(s.k) not computed yet", x: r.x + 1, y: y, fg: RGB.dim)
            return
        }
        let update = design == .adaLNZero ? "x += gate·f(LN(x)·(1+scale) + shift)" : "x += f(LN(x)·(1+scale) + shift), no gates"
        c.put("c = t_emb + y_emb → SiLU → Linear(D, \(chunks.count)D): \(update)   D = \(D)",
              x: r.x + 1, y: y, fg: RGB.dim, maxWidth: r.width - 2)
        y += 1
        let label = 7, colW = max(4, (r.width - 2 - label) / chunks.count - 1)
        for (j, v) in chunks.enumerated() {
            c.put(TextWidth.truncate(v.name, to: colW), x: r.x + 1 + label + j * (colW + 1), y: y, fg: v.isGate ? RGB.accent : nil)
        }
        y += 1
        // Both tables show the same blocks: all of them when they fit, else a window that follows
        // the selected block (] [), half the free rows each (80×24 with 12 blocks: 6 and 6).
        let free = r.maxY - y - 6   // RMS, legend, gap, the gates' title, names and cursor rows
        let shown = min(mod.count, 2 * mod.count <= free ? mod.count : max(1, free / 2))
        let first = max(0, min(s.block - shown / 2, mod.count - shown))
        let blocks = first..<first + shown
        let ranges = self.ranges(mod, D, design)
        for (b, m) in mod.enumerated() where blocks.contains(b) {
            let off = s.settings.ablations.items.contains { AblationCycle.isBranchOf(b, $0) }   // switched off (X): marked ×
            c.put("blk \(b)" + (off ? "×" : ""), x: r.x + 1, y: y, fg: off ? RGB.bad : b == s.block ? RGB.accent : RGB.dim, attrs: b == s.block ? .bold : [])
            for (j, v) in chunks.enumerated() {
                Widgets.strip(&c, x: r.x + 1 + label + j * (colW + 1), y: y, width: colW,
                              values: v.slice(m, D, in: design).map(Double.init), map: .coolwarm,
                              lo: -ranges[j], hi: ranges[j], ascii: ascii)
            }
            y += 1
        }
        // RMS of each vector of the selected block, under its column.
        let sel = mod[min(s.block, mod.count - 1)]
        c.put("RMS \(s.block)", x: r.x + 1, y: y, fg: RGB.accent)
        for (j, v) in chunks.enumerated() {
            c.put(Format.f(rms(v.slice(sel, D, in: design)), 3), x: r.x + 1 + label + j * (colW + 1), y: y, fg: RGB.dim, maxWidth: colW)
        }
        y += 1
        Widgets.legend(&c, x: r.x + 1, y: y, width: min(40, r.width - 2), map: .coolwarm, lo: "−max|v|", hi: "+max|v|", ascii: ascii)
        y += 2
        let lower = Rect(x: r.x + 1, y: y, width: r.width - 2, height: r.maxY - y)
        if s.ablationMap.shown { AblationMapView.draw(s, &c, lower, blocks: blocks) } else { trajectory(s, &c, lower, blocks: blocks) }
    }

    /// RMS of gate_msa and gate_mlp (adaLN: scale_msa and scale_mlp), block (rows) × step
    /// (columns), for the computed steps.
    static func trajectory(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect, blocks: Range<Int>) {
        guard r.height >= 4 else { return }
        let cfg = s.model.config, D = cfg.hiddenSize, K = s.stepCount, ascii = s.colorMode == .ascii
        let design = cfg.conditioning, tracked = self.tracked(design)
        let which = blocks.count < cfg.depth ? ", blocks \(blocks.lowerBound)–\(blocks.upperBound - 1) of \(cfg.depth) (] [)" : ""
        let title = design == .adaLNZero ? "gates over the trajectory: RMS(gate)" : "no gates; scales over the trajectory: RMS(scale)"
        c.put(title + ", block ↓ × step k →" + which, x: r.x, y: r.y, attrs: .bold, maxWidth: r.width)
        let w = max(1, min(K, (r.width - 7 - 3) / 2)), rows = min(blocks.count, r.height - 3)
        var hi = 1e-9
        let table: [[[Double]]] = s.steps.map { st in
            guard let m = st.modulation else { return [] }
            return tracked.map { v in m.map { rms(v.slice($0, D, in: design)) } }
        }
        for t in table { for g in t { hi = max(hi, g.max() ?? 0) } }
        for (n, j) in tracked.map(\.name).enumerated() {
            let x0 = r.x + 7 + n * (w + 3)   // after "blk 10 "
            c.put(j, x: x0, y: r.y + 1, fg: RGB.accent, maxWidth: w)
            for (row, b) in blocks.prefix(rows).enumerated() {
                if n == 0 { c.put("blk \(b)", x: r.x, y: r.y + 2 + row, fg: b == s.block ? RGB.accent : RGB.dim) }
                for col in 0..<w {
                    let k = min(K - 1, col * K / w)
                    let cell: Cell
                    if k < table.count, !table[k].isEmpty {
                        let v = table[k][n][b] / hi
                        cell = ascii ? Cell(Blit.ramp[min(Blit.ramp.count - 1, Int(v * Double(Blit.ramp.count)))])
                                     : Cell(" ", bg: ColorMap.viridis.color(v))
                    } else { cell = Cell("·", fg: RGB.panel) }
                    c[x0 + col, r.y + 2 + row] = cell
                }
            }
            let cursor = s.k * w / max(1, K)
            c[x0 + min(w - 1, cursor), r.y + 2 + rows] = Cell("▲", fg: RGB.white)
        }
    }
}

extension AdaLNView {
    /// Named after the model's block design: what its conditioning is.
    static let pane = PaneSpec(title: "adaLN-Zero", shortTitle: "adaLN", tinyTitle: "aLN", titles: { design in
        switch design {
        case .adaLNZero: return ("adaLN-Zero", "adaLN", "aLN")
        case .adaLN: return ("adaLN", "adaLN", "aLN")
        case .crossAttention: return ("Cross-attn", "xAttn", "xAt")
        case .inContext: return ("In-context", "inCtx", "inC")
        }
    }, keys: (Keymap.adaLNGroup, Keymap.adaLN), draw: { s, c, layout in draw(s, &c, layout.body) })
}
