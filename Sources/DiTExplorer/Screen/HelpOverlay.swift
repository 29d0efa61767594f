// `?`: every key, straight from the keymap, in a box over the pane; in two columns (split at a
// group) when one does not fit the height and two do without cutting the text (124 columns or
// more), else one column that scrolls (↓ ↑ j k PgDn PgUp) with the position in the bottom border.
import DiTRender

enum HelpOverlay {
    /// Keys that scroll the overlay while it is open (any other closes it).
    static let scrollKeys: [Key: Int] = [.down: 1, .char("j"): 1, .up: -1, .char("k"): -1, .pageDown: 10, .pageUp: -10]

    static func draw(_ c: inout Canvas, _ area: Rect, groups: [(String, [Binding])] = Keymap.groups,
                     note: String = "mouse: click a patch, a tab or the timeline; wheel steps", scroll: Int = 0) {
        var lines: [(String, String, Bool)] = []
        for (group, bindings) in groups {
            lines.append((group, "", true))
            lines += bindings.map { ($0.label, $0.help, false) }
        }
        let half = lines.indices.filter { lines[$0].2 }.min { max($0, lines.count - $0) < max($1, lines.count - $1) }!
        let two = lines.count + 2 > area.height && area.width >= 124 && max(half, lines.count - half) + 2 <= area.height
        let split = two ? half : lines.count
        let columns = [Array(lines[..<split]), Array(lines[split...])].filter { !$0.isEmpty }
        let colW = two ? (area.width - 4) / 2 : min(area.width - 2, 72) - 2
        let w = colW * columns.count + 2, h = min(area.height, columns.map(\.count).max()! + 2)
        let box = Rect(x: area.x + (area.width - w) / 2, y: area.y + max(0, (area.height - h) / 2), width: w, height: h)
        c.fill(box, with: Cell(" ", bg: RGB.panel))
        let inside = Widgets.box(&c, box, title: "keys", color: RGB.accent, titleColor: RGB.accent)
        c.style(box, bg: RGB.panel)
        let first = max(0, min(scroll, lines.count - inside.height))   // one column only: two fit
        // The note in the bottom border; the scroll position, when it scrolls, in the top one.
        c.put(" " + note + " ", x: box.x + 2, y: box.maxY - 1, fg: RGB.white, bg: RGB.panel, maxWidth: max(0, box.width - 4))
        if !two && lines.count > inside.height {
            let position = " ↓↑ \(first + 1)–\(first + inside.height) of \(lines.count) "
            c.put(position, x: max(box.x + 9, box.maxX - 2 - TextWidth.of(position)), y: box.y, fg: RGB.accent, bg: RGB.panel,
                  maxWidth: max(0, box.maxX - 1 - (box.x + 9)))
        }
        for (n, column) in columns.enumerated() {
            let x = inside.x + n * colW
            for (i, (keys, help, header)) in column.dropFirst(two ? 0 : first).prefix(inside.height).enumerated() {
                let y = inside.y + i
                if header { c.put(keys, x: x + 1, y: y, fg: RGB.accent, bg: RGB.panel, attrs: .bold); continue }
                c.put(TextWidth.pad(keys, to: 9), x: x + 2, y: y, fg: RGB.white, bg: RGB.panel, attrs: .bold)
                c.put(help, x: x + 12, y: y, fg: RGB.white, bg: RGB.panel, maxWidth: colW - 12)
            }
        }
    }
}
