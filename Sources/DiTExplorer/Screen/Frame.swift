// render(state, size) -> Canvas: tab bar, the pane, the status line, the help overlay.
import DiTRender

extension Explorer {
    public static let minimumSize = (width: 60, height: 20)

    public static func render(_ s: ExplorerState, width: Int, height: Int) -> Canvas {
        var c = Canvas(width: width, height: height)
        let layout = Layout(width: width, height: height, for: s)
        guard width >= minimumSize.width, height >= minimumSize.height else {
            c.put("terminal too small: \(width)×\(height), need \(minimumSize.width)×\(minimumSize.height)", x: 0, y: 0)
            c.put("q quits", x: 0, y: 1, fg: RGB.dim)
            return c
        }
        if s.lesson.open { LessonView.draw(s, &c, layout); return c }
        tabBar(s, &c, layout)
        s.pane.spec.draw(s, &c, layout)
        StatusLine.draw(s, &c, layout.statusBar)
        if s.lesson.trying { LessonView.returnHint(s, &c, layout.statusBar) }
        if let q = s.classSearch { ClassSearchView.draw(s, q, &c, layout.body) }
        if s.showHelp { HelpOverlay.draw(&c, layout.body, groups: Keymap.groups(in: s.pane), scroll: s.helpScroll) }
        return c
    }

    static func tabBar(_ s: ExplorerState, _ c: inout Canvas, _ layout: Layout) {
        c.fill(layout.tabBar, with: Cell(" ", bg: RGB.panel))
        c.put(layout.title, x: 0, y: 0, fg: RGB.accent, bg: RGB.panel, attrs: .bold)
        for (p, r) in layout.tabs {
            let on = p == s.pane
            c.put(layout.tabLabel(p), x: r.x, y: 0, fg: on ? RGB.black : RGB.white, bg: on ? RGB.accent : RGB.panel,
                  attrs: on ? .bold : [])
        }
        let hint = layout.hint, end = layout.tabs.last.map { $0.1.maxX } ?? 0
        if end + hint.count < layout.width { c.put(hint, x: layout.width - hint.count, y: 0, fg: RGB.dim, bg: RGB.panel) }
    }
}
