// `?`: every key, straight from the keymap, in a box over the pane; in two columns (split at a
// group, long helps wrapped under themselves) when one does not fit the height and the screen
// is wide enough.
import DiTRender

enum HelpOverlay {
    static func draw(_ c: inout Canvas, _ area: Rect, groups: [(String, [Binding])],
                     note: String = "mouse: click a patch, a tab or the timeline; wheel steps") {
        let count = groups.reduce(1) { $0 + 1 + $1.1.count }
        let two = count + 2 > area.height && area.width >= 100
        let helpW = (two ? (area.width - 4) / 2 : min(area.width - 2, 72) - 2) - 12
        var lines: [(String, String, Bool)] = []
        for (group, bindings) in groups {
            lines.append((group, "", true))
            for b in bindings {
                let wrapped = two ? TextWidth.wrap(b.help, width: helpW) : [b.help]
                lines += wrapped.enumerated().map { ($0.offset == 0 ? b.label : "", $0.element, false) }
            }
        }
        lines += (two ? TextWidth.wrap(note, width: helpW) : [note]).map { ("", $0, false) }
        let split = two ? lines.indices.filter { lines[$0].2 }.min { max($0, lines.count - $0) < max($1, lines.count - $1) }! : lines.count
        let columns = [Array(lines[..<split]), Array(lines[split...])].filter { !$0.isEmpty }
        let colW = two ? (area.width - 4) / 2 : min(area.width - 2, 72) - 2
        let w = colW * columns.count + 2, h = min(area.height, columns.map(\.count).max()! + 2)
        let box = Rect(x: area.x + (area.width - w) / 2, y: area.y + max(0, (area.height - h) / 2), width: w, height: h)
        c.fill(box, with: Cell(" ", bg: RGB.panel))
        let inside = Widgets.box(&c, box, title: "keys", color: RGB.accent, titleColor: RGB.accent)
        c.style(box, bg: RGB.panel)
        for (n, column) in columns.enumerated() {
            let x = inside.x + n * colW
            for (i, (keys, help, header)) in column.prefix(inside.height).enumerated() {
                let y = inside.y + i
                if header { c.put(keys, x: x + 1, y: y, fg: RGB.accent, bg: RGB.panel, attrs: .bold); continue }
                c.put(TextWidth.pad(keys, to: 9), x: x + 2, y: y, fg: RGB.white, bg: RGB.panel, attrs: .bold)
                c.put(help, x: x + 12, y: y, fg: RGB.white, bg: RGB.panel, maxWidth: colW - 12)
            }
        }
    }
}
