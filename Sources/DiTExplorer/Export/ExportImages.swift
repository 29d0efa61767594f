// What an export shows, computed from the state alone (no files, no terminal): the current
// pane as an RGB picture, drawn with the views' own colour maps and overlays, each image pixel
// enlarged to a block so a 32×32 sample stays legible; and the trajectory as GIF frames.
import DiT
import DiTRender

public enum ExportImages {
    /// The integer enlargement: about 256 pixels a side.
    public static func scale(_ s: ExplorerState) -> Int { max(1, 256 / s.model.config.inputSize) }

    /// The pane whose picture is exported: in a lesson the chapter's pane; nil where the pane
    /// shows no picture of its own (the Calculator's numbers, the Compare pane's other models).
    public static func picturePane(_ s: ExplorerState) -> Pane? {
        let pane = s.lesson.open ? s.lesson.chapter.tryPane : s.pane
        return pane == .calculator || pane == .compare ? nil : pane
    }

    /// Chapter 3 of a lesson exports its own picture, the position table, not its try-it pane's.
    static func positionTable(_ s: ExplorerState) -> Bool { s.lesson.open && s.lesson.chapter == .positionEmbeddings }

    /// The file name, as what it shows: the pane and its step ("denoising-step3"), the Forward
    /// pane by its t ("forward-t500"), "position" for chapter 3's table; nil: no picture here.
    public static func pictureName(_ s: ExplorerState) -> String? {
        if positionTable(s) { return "position-step\(s.k)" }
        guard let pane = picturePane(s) else { return nil }
        switch pane {
        case .forward where ForwardView.picture(s, scale: 1) != nil: return "forward-t\(s.forward.t)"
        case .adaLN where adaLN(s, scale: 1) != nil: return "adaln-step\(s.k)"
        case .patches, .attention: return "\(pane)".lowercased() + "-step\(s.k)"
        default: return "denoising-step\(s.k)"   // what the pane falls back to before its own picture exists
        }
    }

    /// That pane's picture (the denoising grid where it has none of its own yet).
    public static func pane(_ s: ExplorerState) -> Raster {
        if positionTable(s) { return PositionPane.export(s.model.config) }
        let k = scale(s), side = s.model.config.inputSize * k
        let rect = Rect(x: 0, y: 0, width: side, height: side / 2)   // cells: two pixels a row
        switch picturePane(s) {
        case .patches: return PatchesView.picture(s, in: rect).raster
        case .attention: return AttentionView.picture(s, in: rect).raster
        case .adaLN: return adaLN(s, scale: k) ?? denoising(s, scale: k)
        case .forward: return ForwardView.picture(s, scale: k) ?? denoising(s, scale: k)
        case .denoising, .calculator, .compare, nil: return denoising(s, scale: k)
        }
    }

    /// x_t | ε̂ | x̂0 at step k, with the other branch underneath when comparing.
    public static func denoising(_ s: ExplorerState, scale k: Int) -> Raster {
        let branches = [s.current] + (s.compare ? s.other.map { [$0] } ?? [] : [])
        return tile(branches.map { DenoisingView.panels(s, $0).map(\.picture) }, side: s.model.config.inputSize * k, gap: k)
    }

    /// Rows of blocks, columns of the design's adaLN vectors (one pixel per hidden unit), coolwarm
    /// over each kind's symmetric range, as the pane draws them; nil before step k is computed.
    static func adaLN(_ s: ExplorerState, scale k: Int) -> Raster? {
        guard let mod = s.view?.modulation, !mod.isEmpty else { return nil }
        let D = s.model.config.hiddenSize, design = s.model.config.conditioning
        let chunks = design.modulationChunks, ranges = AdaLNView.ranges(mod, D, design), rowH = max(4, k)
        var r = Raster(width: chunks.count * (D + k) + k, height: mod.count * (rowH + k) + k, fill: RGB.panel)
        for (b, m) in mod.enumerated() {
            for (j, v) in chunks.enumerated() {
                let row = v.slice(m, D, in: design)
                for (d, value) in row.enumerated() {
                    let c = ColorMap.coolwarm.color(Double(value), lo: -ranges[j], hi: ranges[j])
                    for y in 0..<rowH { r[k + j * (D + k) + d, k + b * (rowH + k) + y] = c }
                }
            }
        }
        return r
    }

    /// One frame per computed step, x_t beside x̂0; then the sample x_0 beside the last x̂0.
    public static func trajectoryFrames(_ s: ExplorerState) -> [Raster] {
        let side = s.model.config.inputSize * scale(s), gap = scale(s), steps = s.current.steps
        var pairs = steps.map { [$0.xt, $0.predX0] }
        if let last = steps.last { pairs.append([last.next, last.predX0]) }
        return pairs.map { tile([$0.map(Images.image)], side: side, gap: gap) }
    }

    /// Pictures enlarged to side×side and laid out in rows, `gap` pixels of panel colour around
    /// each; a missing picture (not computed yet) stays panel-coloured.
    static func tile(_ rows: [[Raster?]], side: Int, gap: Int) -> Raster {
        let cols = rows.map(\.count).max() ?? 0
        var out = Raster(width: cols * (side + gap) + gap, height: rows.count * (side + gap) + gap, fill: RGB.panel)
        for (i, row) in rows.enumerated() {
            for (j, picture) in row.enumerated() {
                guard let big = picture?.resized(width: side, height: side) else { continue }
                for y in 0..<side { for x in 0..<side { out[gap + j * (side + gap) + x, gap + i * (side + gap) + y] = big[x, y] } }
            }
        }
        return out
    }
}
