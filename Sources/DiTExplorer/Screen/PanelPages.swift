// Panels that do not all fit on one page (PanelGrid): a note at the right of the pane's first
// row says which are on screen and how to reach the others (> <).
import DiTRender

enum PanelPages {
    /// Writes the note when the grid is paged; returns what is left of `row` for the row's text.
    static func note(_ grid: PanelGrid, first: Int, _ c: inout Canvas, _ row: Rect) -> Rect {
        guard grid.paged else { return row }
        let note = "< \(first + 1)–\(first + grid.perPage) of \(grid.total) >", w = TextWidth.of(note)
        c.put(note, x: row.maxX - w, y: row.y, fg: RGB.link)
        return Rect(x: row.x, y: row.y, width: row.width - w - 1, height: row.height)
    }
}
