// The live pane beside each chapter's text: what the text says, drawn from the running model.
import DiTRender

enum LessonPanes {
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect) {
        if let pane = s.lesson.chapter.livePane { return embed(s, &c, r) { pane.spec.draw(s, &$0, $1) } }
        switch s.lesson.chapter {
        case .latentDiffusion: LatentPane.draw(s, &c, r)
        case .patchify: PatchifyPane.draw(s, &c, r)
        case .positionEmbeddings: PositionPane.draw(s, &c, r)
        case .conditioning: ConditioningPane.draw(s, &c, r)
        case .decoder: DecoderPane.draw(s, &c, r)
        case .scaling: ScalingPane.draw(s, &c, r)
        case .transformerBlock, .sampling, .trainingObjective: break   // the panes above
        }
    }

    /// An explorer pane drawn into `r`: the view lays itself out on a screen whose body is `r`,
    /// and that body is copied across.
    static func embed(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect, _ view: (inout Canvas, Layout) -> Void) {
        let layout = Layout(width: r.width, height: r.height + 3, for: s)
        var sub = Canvas(width: layout.width, height: layout.height)
        view(&sub, layout)
        for y in 0..<r.height { for x in 0..<r.width { c[r.x + x, r.y + y] = sub[x, layout.body.y + y] } }
    }

    /// A bold caption line in the lesson's language; returns the next row.
    @discardableResult
    static func caption(_ s: ExplorerState, _ c: inout Canvas, _ english: String, x: Int, y: Int, width: Int,
                        suffix: String = "", fg: RGB? = nil) -> Int {
        let label = LessonBook.caption(english, s.lesson.language), room = width - TextWidth.of(suffix)
        // Too narrow: the label is shortened, never the suffix's numbers (issue 27).
        let short = room >= 2 ? TextWidth.truncate(label, to: room) + suffix : String(suffix.drop { $0 == " " })
        c.put(Format.fitting([label + suffix, short], width), x: x, y: y, fg: fg, attrs: .bold, maxWidth: width)
        return y + 1
    }

    /// The cleanest image the sampler has at step k: x̂0 once computed, x_t before.
    static func cleanest(_ s: ExplorerState) -> Planes { s.view?.predX0 ?? s.xt }
}
