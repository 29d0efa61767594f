// `?`: every key, straight from the keymap, in a box over the pane.
import DiTRender

enum HelpOverlay {
    static func draw(_ c: inout Canvas, _ area: Rect, groups: [(String, [Binding])] = Keymap.groups,
                     note: String = "mouse: click a patch, a tab or the timeline; wheel steps") {
        var lines: [(String, String, Bool)] = []
        for (group, bindings) in groups {
            lines.append((group, "", true))
            lines += bindings.map { ($0.label, $0.help, false) }
        }
        lines.append(("", note, false))
        let w = min(area.width - 2, 72), h = min(area.height, lines.count + 2)
        let box = Rect(x: area.x + (area.width - w) / 2, y: area.y + max(0, (area.height - h) / 2), width: w, height: h)
        c.fill(box, with: Cell(" ", bg: RGB.panel))
        let inside = Widgets.box(&c, box, title: "keys", color: RGB.accent, titleColor: RGB.accent)
        c.style(box, bg: RGB.panel)
        for (i, (keys, help, header)) in lines.prefix(inside.height).enumerated() {
            let y = inside.y + i
            if header { c.put(keys, x: inside.x + 1, y: y, fg: RGB.accent, bg: RGB.panel, attrs: .bold); continue }
            c.put(TextWidth.pad(keys, to: 9), x: inside.x + 2, y: y, fg: RGB.white, bg: RGB.panel, attrs: .bold)
            c.put(help, x: inside.x + 12, y: y, fg: RGB.white, bg: RGB.panel, maxWidth: inside.width - 12)
        }
    }
}
