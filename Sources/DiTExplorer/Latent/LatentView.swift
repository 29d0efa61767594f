// A latent model's pictures: the four (latent_channels) channels of x_t, ε̂ and x̂0 as a 2×2 grid
// of small panels, grey over ±3 (the scaled latents are about unit variance) or coolwarm for ε̂,
// and the decoded x̂0 in colour with the step it is from and the decoder's state.
import DiTRender

/// One picture of the Denoising row (and of lesson 1): an image, or a latent's channels.
struct DenoisingPanel {
    var title: String
    var picture: Raster?                  // what the PNG export tiles; nil: not there yet
    var channels: [Raster]? = nil         // a latent's channels, each drawn in its own cell of a grid
    var note: String? = nil               // said in place of a missing picture

    init(_ title: String, _ picture: Raster?, note: String? = nil) {
        self.title = title; self.picture = picture; self.note = note
    }

    /// A latent's channels, one raster each; the export gets them tiled with one-pixel gaps.
    init(_ title: String, channels: [Raster]?) {
        self.title = title; self.channels = channels; picture = channels.map(LatentView.composite)
    }

    /// Draws the picture (or the channel grid) fitted into `area`; returns the cells it covers.
    func draw(into c: inout Canvas, _ area: Rect, mode: ColorMode) -> Rect {
        if let channels { return LatentView.grid(channels, into: &c, rect: area, mode: mode) }
        return picture.map { Blit.fitted($0, into: &c, rect: area, mode: mode) } ?? Rect(x: area.x, y: area.y, width: 0, height: 0)
    }
}

enum LatentView {
    /// The grey range of x_t and x̂0, and the coolwarm range of ε̂: three standard deviations.
    static let range = 3.0

    /// Each channel of a latent as a raster: grey over ±range, or coolwarm for a signed field.
    static func channels(_ p: Planes, signed: Bool, range: Double = range, first n: Int? = nil) -> [Raster] {
        (0..<min(n ?? p.channels, p.channels)).map { ch in
            Raster(width: p.width, height: p.height) { x, y in
                let v = Double(p.at(ch, y, x))
                return signed ? ColorMap.coolwarm.color(v, lo: -range, hi: range) : RGB(grey: (v + range) / (2 * range))
            }
        }
    }

    /// Channels two to a row, one pixel of panel colour between them: the export's picture.
    static func composite(_ channels: [Raster]) -> Raster {
        guard let first = channels.first else { return Raster(width: 0, height: 0) }
        let w = first.width, h = first.height, rows = (channels.count + 1) / 2
        var out = Raster(width: 2 * w + 1, height: rows * h + rows - 1, fill: RGB.panel)
        for (i, r) in channels.enumerated() {
            for y in 0..<h { for x in 0..<w { out[(i % 2) * (w + 1) + x, (i / 2) * (h + 1) + y] = r[x, y] } }
        }
        return out
    }

    /// Channels two to a row in `rect`, each fitted into its own quarter, one cell between them.
    @discardableResult
    static func grid(_ channels: [Raster], into c: inout Canvas, rect r: Rect, mode: ColorMode) -> Rect {
        guard let first = channels.first else { return Rect(x: r.x, y: r.y, width: 0, height: 0) }
        let rows = (channels.count + 1) / 2
        let px = Blit.fit(width: first.width, height: first.height, cols: (r.width - 1) / 2, rows: (r.height - (rows - 1)) / rows)
        guard px.width > 0 else { return Rect(x: r.x, y: r.y, width: 0, height: 0) }
        let (w, h) = Blit.cells(width: px.width, height: px.height)
        let x0 = r.x + (r.width - (2 * w + 1)) / 2
        for (i, ch) in channels.enumerated() {
            Blit.draw(ch.resized(width: px.width, height: px.height), into: &c, x: x0 + (i % 2) * (w + 1), y: r.y + (i / 2) * (h + 1),
                      mode: mode, source: ch)
        }
        return Rect(x: x0, y: r.y, width: 2 * w + 1, height: rows * h + rows - 1)
    }

    /// x̂0 decoded: the picture nearest step k of branch b, titled with the step it is from.
    static func decodedPanel(_ s: ExplorerState, _ b: Branch) -> DenoisingPanel {
        guard let (j, image) = b.decodedPicture(near: s.k) else {
            let l = s.latent
            let note = l?.running != nil ? "decoding step \(l!.running!.k)…" : l?.failure != nil ? "decode failed: d retries"
                : "d decodes; steps " + LatentState.automaticSteps(s.stepCount).map(String.init).joined(separator: ", ") + " decode as they come"
            return DenoisingPanel("decoded x̂0 (VAE)", nil, note: note)
        }
        return DenoisingPanel("decoded x̂0 · k=\(j)", Images.image(image))
    }

    /// The line under the decoded picture: the decode running, the one to ask for, or the cost.
    static func caption(_ s: ExplorerState, _ b: Branch) -> (String, RGB) {
        guard let l = s.latent else { return ("", RGB.dim) }
        if let r = l.running { return ("decoding step \(r.k)…", RGB.accent) }
        if let f = l.failure { return ("decode failed: " + f, RGB.bad) }
        let shown = b.decodedPicture(near: s.k)?.k
        if shown != s.k { return (b.step(s.k) == nil ? "step \(s.k) not computed" : "d: decode step \(s.k)", RGB.link) }
        let ms = l.milliseconds.map { $0 >= 1000 ? " · " + Format.f($0 / 1000, 1) + " s" : " · " + Format.f($0, 0) + " ms" } ?? ""
        return ("VAE ×\(l.vae.downsampleFactor)" + ms, RGB.dim)
    }
}
