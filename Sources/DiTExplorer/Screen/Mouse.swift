// Clicks, through the same Layout the views draw with: a tab, a step on the timeline, a patch.
import DiTRender

extension Explorer {
    static func click(_ s: inout ExplorerState, x: Int, y: Int, size: (Int, Int)) -> [Effect] {
        let frame = Layout(width: size.0, height: size.1, for: s)
        if let pane = frame.tabs.first(where: { $0.1.contains(x, y) })?.0 { s.pane = pane; return [] }
        if s.pane == .denoising && frame.timeline.contains(x, y) && y > frame.timeline.y {
            return jump(&s, to: frame.timelineStep(column: x, of: s.stepCount))
        }
        guard s.pane == .patches || s.pane == .attention else { return [] }
        let I = s.model.config.inputSize
        let (cells, px) = Blit.placement(width: I, height: I, in: frame.mainImage)
        guard cells.contains(x, y), px.width > 0 else { return [] }
        s.cursorX = min(I - 1, (x - cells.x) * I / px.width)
        s.cursorY = min(I - 1, 2 * (y - cells.y) * I / px.height)
        return []
    }
}
