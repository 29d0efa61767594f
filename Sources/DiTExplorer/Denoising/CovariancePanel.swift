// Denoising, beside x_t, ε̂ and x̂0: the learned covariance of step k (the decoder's second C
// channels): the fraction v between log β̃_t and log β_t per pixel, and the σ it gives.
import DiTRender

enum CovariancePanel {
    /// v and σ of step k (nil rasters: not computed yet); none for a model without learned σ
    /// (or a step that came without them).
    static func panels(_ s: ExplorerState, _ step: StepView?) -> [(String, Raster?)] {
        guard s.model.config.learnSigma, step == nil || step?.variance != nil else { return [] }
        return [
            ("v  log σ² from β̃ (0) to β (1)", step?.variance.map { v in heat(v.fraction, lo: 0, hi: 1) }),
            ("σ  learned std. deviation", step?.variance.map { v in
                heat(v.sigma, lo: Double(v.sigmaRange.lowerBound), hi: Double(v.sigmaRange.upperBound)) }),
        ]
    }

    static func heat(_ p: Planes, lo: Double, hi: Double) -> Raster {
        Raster(width: p.width, height: p.height) { x, y in
            ColorMap.viridis.color(hi > lo ? (Double(p.at(0, y, x)) - lo) / (hi - lo) : 0.5)
        }
    }

    /// The line under panel `i` (0 = v, 1 = σ): the scale and the range.
    static func caption(_ i: Int, _ step: StepView?, _ c: inout Canvas, x: Int, y: Int, width w: Int, ascii: Bool) {
        guard let v = step?.variance else { return }
        if i == 0 {
            Widgets.legend(&c, x: x, y: y, width: min(w, 24), map: .viridis, lo: "β̃ 0", hi: "1 β", ascii: ascii)
        } else {
            let r = v.sigmaRange, range = "σ \(Format.g(Double(r.lowerBound)))…\(Format.g(Double(r.upperBound)))"
            let lo = Format.g(v.bounds.lowerBound), hi = Format.g(v.bounds.upperBound)   // the labels go before the numbers (issue 27)
            c.put(Format.fitting([range + " in [√β̃ \(lo), √β \(hi)]", range + " in [\(lo), \(hi)]", range], w), x: x, y: y, fg: RGB.dim, maxWidth: w)
        }
    }

    /// What a fixed-variance model says instead of the two panels.
    static let none = "no learned σ (learn_sigma false): σ_t² = β_t, fixed"
}
