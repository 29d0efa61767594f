// The class picker (`/`) in a box over the pane: the query, how many classes match, and the
// matching names (synonyms too), the part that matched in colour, the choice highlighted and
// kept in view; the class in use marked ●.
import DiTRender

enum ClassSearchView {
    static func draw(_ s: ExplorerState, _ q: ClassSearch, _ c: inout Canvas, _ area: Rect) {
        let total = s.model.config.numClasses + (s.model.hasNullClass ? 1 : 0)
        let w = min(area.width - 2, 100), h = min(area.height, total + 4)   // as tall as every class needs: no jumps while typing
        guard w >= 20, h >= 5 else { return }
        let box = Rect(x: area.x + (area.width - w) / 2, y: area.y, width: w, height: h)
        c.fill(box, with: Cell(" ", bg: RGB.panel))
        let inside = Widgets.box(&c, box, title: "class", color: RGB.accent, titleColor: RGB.accent)
        c.style(box, bg: RGB.panel)
        var x = c.put("/ ", x: inside.x + 1, y: inside.y, fg: RGB.accent, bg: RGB.panel, attrs: .bold)
        x = c.put(q.query, x: x, y: inside.y, fg: RGB.white, bg: RGB.panel, attrs: .bold, maxWidth: inside.maxX - x - 1)
        c.put("▏", x: x, y: inside.y, fg: RGB.accent, bg: RGB.panel)
        c.put("\(q.matches.count) of \(total) match · ↑↓ PgUp PgDn choose · Enter picks · Esc back",
              x: inside.x + 1, y: inside.y + 1, fg: RGB.dim, bg: RGB.panel, maxWidth: inside.width - 2)
        let rows = inside.height - 2
        guard rows > 0 else { return }
        if q.matches.isEmpty {
            c.put("no class name contains \"\(q.query)\" (Backspace edits)", x: inside.x + 1, y: inside.y + 2, fg: RGB.dim, bg: RGB.panel,
                  maxWidth: inside.width - 2)
            return
        }
        let top = max(0, min(q.matches.count - rows, q.selected - rows / 2))
        for (i, y) in q.matches.dropFirst(top).prefix(rows).enumerated() {
            let row = inside.y + 2 + i, chosen = top + i == q.selected
            let bg = chosen ? RGB.accent : RGB.panel, fg = chosen ? RGB.black : RGB.white
            if chosen { c.fill(Rect(x: inside.x, y: row, width: inside.width, height: 1), with: Cell(" ", bg: bg)) }
            c.put(y == s.label ? "●" : " ", x: inside.x + 1, y: row, fg: chosen ? RGB.black : RGB.good, bg: bg)
            line(s.model.className(y), match: q.query, &c, x: inside.x + 3, y: row, width: inside.width - 4, fg: fg, bg: bg, chosen: chosen)
        }
    }

    /// A class's name with the first occurrence of the query (ignoring case) in colour.
    static func line(_ name: String, match query: String, _ c: inout Canvas, x: Int, y: Int, width: Int, fg: RGB, bg: RGB, chosen: Bool) {
        guard !query.isEmpty, let r = name.lowercased().range(of: query.lowercased()),
              name.lowercased().count == name.count else {   // offsets into the lowercased name are offsets into the name
            c.put(name, x: x, y: y, fg: fg, bg: bg, maxWidth: width)
            return
        }
        let lower = name.lowercased()
        let a = lower.distance(from: lower.startIndex, to: r.lowerBound), n = lower.distance(from: r.lowerBound, to: r.upperBound)
        let parts = [String(name.prefix(a)), String(name.dropFirst(a).prefix(n)), String(name.dropFirst(a + n))]
        var cx = x
        for (i, part) in parts.enumerated() {
            cx = c.put(part, x: cx, y: y, fg: i == 1 ? (chosen ? RGB.black : RGB.accent) : fg, bg: bg,
                       attrs: i == 1 ? [.bold, .underline] : [], maxWidth: max(0, x + width - cx))
        }
    }
}
