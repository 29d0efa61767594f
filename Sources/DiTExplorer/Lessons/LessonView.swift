// The lesson screen: a header with the chapter, the chapter's text on the left (wrapped by
// display width, so Japanese lines fit their column), the live pane on the right, the
// explorer's status line underneath.
import DiTRender

enum LessonView {
    /// Below this width there is no room for a live pane beside the text.
    static let paneMinimumWidth = 76
    /// The width text is wrapped to in the narrowest column (bounds scrolling).
    static let narrowestText = 30

    /// Columns of the text box (border included) on a screen `width` wide.
    static func textColumn(_ width: Int) -> Int {
        width < paneMinimumWidth ? width : min(54, max(narrowestText + 4, width * 2 / 5))
    }

    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ layout: Layout) {
        let lang = s.lesson.language, ch = s.lesson.chapter
        let page = LessonBook.text(ch, lang, s), words = LessonBook.strings(lang)
        let number = "\(ch.rawValue + 1)/\(Chapter.allCases.count)"
        header(&c, layout, "\(words.lesson) · \(number) · \(page.title)")

        let body = layout.body, textW = s.lesson.fullText ? layout.width : textColumn(layout.width)
        let box = Rect(x: body.x, y: body.y, width: textW, height: body.height)
        let inside = Widgets.box(&c, box, title: "\(number) \(page.title)", color: RGB.accent, titleColor: RGB.accent)
        let pane = Rect(x: box.maxX + 1, y: body.y, width: layout.width - box.maxX - 1, height: body.height)
        column(s, page, words, pane.width > 0 || s.lesson.fullText ? words.keys : words.keys + "\n" + words.narrow, &c, inside)
        if pane.width > 0 { LessonPanes.draw(s, &c, pane) }

        StatusLine.draw(s, &c, layout.statusBar)
        if s.showHelp {
            let lang = s.lesson.language
            let groups = Keymap.lessonGroups.map { name, bindings in
                (LessonBook.caption(name, lang), bindings.map { $0.with(help: LessonBook.caption($0.help, lang)) })
            }
            HelpOverlay.draw(&c, body, groups: groups, note: LessonBook.caption("mouse wheel: scroll the text", lang), scroll: s.helpScroll)
        }
    }

    static func header(_ c: inout Canvas, _ layout: Layout, _ title: String) {
        c.fill(layout.tabBar, with: Cell(" ", bg: RGB.panel))
        let end = c.put(" " + title + " ", x: 0, y: 0, fg: RGB.accent, bg: RGB.panel, attrs: .bold, maxWidth: layout.width)
        let hint = layout.hint
        if end + hint.count < layout.width { c.put(hint, x: layout.width - hint.count, y: 0, fg: RGB.dim, bg: RGB.panel) }
    }

    /// The text, scrolled, with the try-it prompt and the footer (keys) pinned to the bottom.
    static func column(_ s: ExplorerState, _ page: LessonText, _ words: LessonStrings, _ footer: String,
                       _ c: inout Canvas, _ r: Rect) {
        let w = r.width - 2
        guard w > 0 else { return }
        let keys = TextWidth.wrap(footer, width: w)
        let prompt = TextWidth.wrap("▶ \(words.tryIt): \(page.tryIt)", width: w)
        let foot = min(max(0, r.height - 3), prompt.count + keys.count)
        let rows = r.height - foot - (foot > 0 ? 1 : 0)
        let text = lines(page.body, width: w)
        let top = max(0, min(s.lesson.scroll, text.count - rows))
        for (i, line) in text.dropFirst(top).prefix(rows).enumerated() {
            c.put(line, x: r.x + 1, y: r.y + i, maxWidth: w)
        }
        if top > 0 { c.put("↑", x: r.maxX - 1, y: r.y, fg: RGB.accent) }
        if top + rows < text.count { c.put("↓", x: r.maxX - 1, y: r.y + rows - 1, fg: RGB.accent) }
        for (i, line) in (prompt + keys).prefix(foot).enumerated() {
            c.put(line, x: r.x + 1, y: r.maxY - foot + i, fg: i < prompt.count ? RGB.accent : RGB.dim,
                  attrs: i < prompt.count ? .bold : [], maxWidth: w)
        }
    }

    /// The body wrapped to `width`: paragraphs as they are, bullets ("• ") with a hanging indent.
    static func lines(_ body: String, width: Int) -> [String] {
        body.split(separator: "\n", omittingEmptySubsequences: false).flatMap { p -> [String] in
            let paragraph = String(p)
            guard paragraph.hasPrefix("• "), width > 4 else { return TextWidth.wrap(paragraph, width: width) }
            let wrapped = TextWidth.wrap(String(paragraph.dropFirst(2)), width: width - 2)
            return wrapped.enumerated().map { ($0.offset == 0 ? "• " : "  ") + $0.element }
        }
    }

    /// While trying a chapter out: where L leads back to, at the right of the status line.
    static func returnHint(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        let hint = " " + LessonBook.strings(s.lesson.language).back
            .replacingOccurrences(of: "{n}", with: "\(s.lesson.chapter.rawValue + 1)") + " "
        let w = TextWidth.of(hint)
        guard r.width > w else { return }
        c.put(hint, x: r.maxX - w, y: r.y + 1, fg: RGB.black, bg: RGB.accent, attrs: .bold)
    }
}
