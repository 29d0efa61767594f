// Calculator: the paper's cost arithmetic for a chosen shape. The fields, T, parameters and
// Gflops with the paper's own number beside them where it lists the shape, each part's share
// as a bar, and S/B/L/XL × p at the same shape. Two columns when there is room, else one.
import DiT
import DiTRender

enum CalculatorView {
    /// Lines written downwards in a column: the first `skip` scrolled past, those below its
    /// bottom dropped. put returns the row it drew on, for what goes beside the text.
    struct Column {
        var x: Int, y: Int, width: Int, bottom: Int, skip = 0, lines = 0
        init(_ r: Rect, skip: Int = 0) { x = r.x; y = r.y; width = r.width; bottom = r.maxY; self.skip = skip }
        @discardableResult
        mutating func put(_ c: inout Canvas, _ text: String, _ fg: RGB? = nil, _ attrs: Attrs = []) -> Int? {
            lines += 1
            if skip > 0 { skip -= 1; return nil }
            defer { y += 1 }
            guard y < bottom else { return nil }
            c.put(text, x: x, y: y, fg: fg, attrs: attrs, maxWidth: width)
            return y
        }
        mutating func gap() { lines += 1; if skip > 0 { skip -= 1 } else { y += 1 } }
    }

    static func draw(_ calc: CalculatorState, _ c: inout Canvas, _ r: Rect, ascii: Bool) {
        var scratch = c
        let lines = column(calc, &scratch, r, ascii: ascii, skip: calc.scroll)
        // One column (narrow screens) scrolls with PgDn / PgUp, no further than its last line.
        _ = column(calc, &c, r, ascii: ascii, skip: max(0, min(calc.scroll, lines - r.height)))
    }

    /// Draws the pane with the first `skip` lines of the one-column layout scrolled past;
    /// returns how many lines that column has (0 with two columns, which fit).
    static func column(_ calc: CalculatorState, _ c: inout Canvas, _ r: Rect, ascii: Bool, skip: Int) -> Int {
        let inner = Rect(x: r.x + 1, y: r.y, width: r.width - 2, height: r.height)
        let split = inner.width >= 88
        let (l, rest) = inner.splitLeft(split ? 46 : inner.width)
        var left = Column(l, skip: split ? 0 : skip)
        left.put(&c, "Cost calculator: one forward pass, one sample", nil, .bold)
        for f in CalculatorState.Field.allCases { field(calc, f, &left, &c) }
        let s = calc.size
        left.put(&c, "  \(s.name): D = \(s.hidden), depth \(s.depth), \(s.heads) heads", RGB.dim)
        left.gap()
        guard let e = calc.estimate else {
            left.put(&c, invalid(calc), RGB.bad)
            return 0
        }
        summary(e, &left, &c)
        left.gap()
        var right = split ? Column(Rect(x: rest.x + 2, y: rest.y, width: rest.width - 2, height: rest.height)) : left
        parts(e, &right, &c, ascii: ascii)
        if !split { left = right; left.gap() }
        table(calc, &left, &c)
        return split ? 0 : left.lines
    }

    static func field(_ calc: CalculatorState, _ f: CalculatorState.Field, _ col: inout Column, _ c: inout Canvas) {
        let on = f == calc.field, value = text(calc, f), i = calc.choice[f]!   // ‹ › only where ← → have a choice to go to
        let arrows = on ? (i > 0 ? "‹ " : "  ") + value + (i + 1 < calc.count(f) ? " ›" : "") : "  " + value
        col.put(&c, (on ? "▶ " : "  ") + TextWidth.pad(f.title, to: 14) + arrows,
                on ? RGB.accent : nil, on ? .bold : [])
    }

    static func text(_ calc: CalculatorState, _ f: CalculatorState.Field) -> String {
        switch f {
        case .model: return calc.size.name
        case .imageSize: return "\(calc.value(.imageSize)) px"
        case .vaeFactor: return calc.value(.vaeFactor) == 1 ? "1 (pixel space)" : "\(calc.value(.vaeFactor)) (latents)"
        case .conditioning: return calc.conditioning.rawValue
        default: return "\(calc.value(f))"
        }
    }

    static func invalid(_ calc: CalculatorState) -> String {
        guard let I = calc.inputSize else {
            return "image \(calc.value(.imageSize)) px is not a multiple of the VAE factor \(calc.value(.vaeFactor))"
        }
        return "latent side I = \(I) is not a multiple of p = \(calc.value(.patchSize))"
    }

    /// T, the totals, and the paper's number with Δ where it has one.
    static func summary(_ e: CostEstimate, _ col: inout Column, _ c: inout Canvas) {
        let cfg = e.config, g = cfg.gridSize, S = e.flops.sequenceLength
        col.put(&c, "I = \(cfg.inputSize)   T = (I/p)² = \(g)² = \(cfg.tokenCount) tokens")
        if S != cfg.tokenCount { col.put(&c, "+ \(S - cfg.tokenCount) condition tokens: \(S) through each block", RGB.dim) }
        col.put(&c, "Gflops \(Format.g(e.flops.gflops))   params \(Format.params(e.parameters.total))", RGB.accent, .bold)
        guard let ref = e.reference, let dg = e.deltaGflops else {
            col.put(&c, "paper: no entry for this shape", RGB.dim)
            col.put(&c, "(Table 4: 256 px → 32×32×4, 1000 classes)", RGB.dim)
            return
        }
        let source = e.conditioning == .adaLNZero ? "Table 4" : "Fig. 5"
        col.put(&c, "paper (\(source)): \(Format.f(ref.gflops, 2)) Gflops" + (ref.paramsM.map { ", \(Int($0))M params" } ?? ""))
        col.put(&c, "Δ \(Format.signed(dg, 2)) % Gflops" + (e.deltaParams.map { ", \(Format.signed($0, 2)) % params" } ?? ""),
                abs(dg) <= 0.5 ? RGB.good : RGB.bad)
    }

    /// Each part: Gflops, a bar of its share, the share, parameters.
    static func parts(_ e: CostEstimate, _ col: inout Column, _ c: inout Canvas, ascii: Bool) {
        let f = e.flops, n = e.parameters, barW = max(4, min(16, col.width - 42))
        col.put(&c, TextWidth.pad("per part", to: 17) + TextWidth.pad("Gflops", to: 10) + TextWidth.pad("share", to: barW + 8) + "params", nil, .bold)
        for part in CostPart.allCases where f[part] > 0 || n[part] > 0 {
            let share = Double(f[part]) / Double(max(1, f.total))
            let y = col.put(&c, TextWidth.pad(part.title, to: 17) + TextWidth.pad(Format.g(Double(f[part]) / 1e9), to: 10)
                    + String(repeating: " ", count: barW + 1) + TextWidth.pad(Format.f(100 * share, 1) + "%", to: 7) + Format.params(n[part]))
            if let y { Widgets.bar(&c, x: col.x + 27, y: y, width: barW, fraction: share, ascii: ascii) }
        }
        col.put(&c, TextWidth.pad("total", to: 17) + TextWidth.pad(Format.g(f.gflops), to: 10 + barW + 8)
                + Format.params(n.total), nil, .bold)
    }

    /// Gflops of S/B/L/XL × p = 2/4/8 at the chosen input, channels, classes and conditioning.
    static func table(_ calc: CalculatorState, _ col: inout Column, _ c: inout Canvas) {
        let ps = [2, 4, 8]
        col.put(&c, "Gflops of S/B/L/XL × p at this shape", nil, .bold)
        col.put(&c, TextWidth.pad("", to: 12) + ps.map { TextWidth.pad("p=\($0)", to: 10) }.joined(), RGB.dim)
        for s in calc.sizes {
            guard let y = col.put(&c, s.name) else { continue }
            for (i, p) in ps.enumerated() {
                let cfg = calc.config(s, patch: p)
                let here = s == calc.size && p == calc.value(.patchSize)
                c.put(cfg.map { Format.g(FLOPs($0, conditioning: calc.conditioning).gflops) } ?? "—",
                      x: col.x + 12 + 10 * i, y: y, fg: here ? RGB.accent : nil, attrs: here ? [.bold, .reverse] : [])
            }
        }
    }
}

extension CalculatorView {
    static let pane = PaneSpec(title: "Calculator", shortTitle: "Calc", tinyTitle: "Calc",
                               keys: (Keymap.calculatorGroup, Keymap.calculator), draw: { s, c, layout in
        draw(s.calculator, &c, layout.body, ascii: s.colorMode == .ascii)
    })
}
