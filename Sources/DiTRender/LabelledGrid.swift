// A grid of equally sized tiles with captions drawn in pixels (BitmapFont): a title line, a label
// over every column and beside every row. Contact sheets (`dit grid`) and heatmaps (`dit ablate`)
// are both this picture.

public enum LabelledGrid {
    /// tiles[r][c], every tile the size of tiles[0][0]; labels longer than a tile is wide are cut.
    /// `fontScale`: each font pixel fontScale × fontScale; `gap`: pixels between tiles.
    public static func compose(tiles: [[Raster]], rowLabels: [String], columnLabels: [String], title: String? = nil,
                               fontScale: Int = 1, gap: Int = 2, background: RGB = .black, ink: RGB = .white) -> Raster {
        let rows = tiles.count, cols = tiles.first?.count ?? 0
        guard rows > 0, cols > 0 else { return Raster(width: 0, height: 0) }
        let k = max(1, fontScale), pad = 2 * k
        let tw = tiles[0][0].width, th = tiles[0][0].height
        let line = BitmapFont.lineHeight * k
        let left = (rowLabels.map { BitmapFont.size($0, scale: k).width }.max() ?? 0) + 2 * pad
        let titleHeight = title == nil ? 0 : line + pad
        let top = titleHeight + line + pad
        let titleWidth = title.map { BitmapFont.size($0, scale: k).width + 2 * pad } ?? 0
        let width = max(left + cols * (tw + gap) + gap, titleWidth), height = top + rows * (th + gap) + gap
        var out = Raster(width: width, height: height, fill: background)
        if let title { out.draw(text: title, x: pad, y: pad, color: ink, scale: k) }
        let fits = max(1, (tw + BitmapFont.advance * k) / (BitmapFont.advance * k))   // characters over one tile
        for (c, label) in columnLabels.prefix(cols).enumerated() {
            let text = String(label.prefix(fits)), w = BitmapFont.size(text, scale: k).width
            out.draw(text: text, x: left + gap + c * (tw + gap) + max(0, (tw - w) / 2), y: titleHeight + pad / 2, color: ink, scale: k)
        }
        for r in 0..<rows {
            let y = top + gap + r * (th + gap)
            if r < rowLabels.count {
                out.draw(text: rowLabels[r], x: pad, y: y + max(0, (th - BitmapFont.glyphHeight * k) / 2), color: ink, scale: k)
            }
            for c in 0..<min(cols, tiles[r].count) { out.paste(tiles[r][c], x: left + gap + c * (tw + gap), y: y) }
        }
        return out
    }
}
