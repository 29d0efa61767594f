// The decoder's second half: with learn_sigma the model outputs, per pixel, where log σ² sits
// between log β̃_t (the posterior variance, the smallest sensible) and log β_t (the largest):
//   v = (model_var_values + 1) / 2,   log σ² = v · log β_t + (1 − v) · log β̃_t
// (gaussian_diffusion.py p_mean_variance, LEARNED_RANGE). A snapshot for the Denoising pane.
import DiT
import Foundation

public struct LearnedVariance: Equatable, Sendable {
    public var fraction: Planes                 // v per pixel (C, H, W); 0 = β̃_t, 1 = β_t
    public var sigma: Planes                    // σ = exp(½ log σ²) per pixel
    public var bounds: ClosedRange<Double>      // √β̃_t … √β_t: the σ that v = 0 and v = 1 give

    public init(fraction: Planes, sigma: Planes, bounds: ClosedRange<Double>) {
        self.fraction = fraction; self.sigma = sigma; self.bounds = bounds
    }

    /// From a sampler step (nil when the model has a fixed variance).
    init?(_ r: StepRecord, _ d: GaussianDiffusion) {
        guard let v = r.varianceFraction, let lv = r.logVariance else { return nil }
        let logVar = Planes(lv)
        fraction = Planes(v)
        sigma = Planes(channels: logVar.channels, height: logVar.height, width: logVar.width,
                       values: logVar.values.map { expf(0.5 * $0) })
        let b = d.logVarianceBounds(index: d.numSteps - 1 - r.k)   // respaced index i = K − 1 − k
        bounds = exp(0.5 * b.lowerBound)...exp(0.5 * b.upperBound)
    }

    /// The smallest and largest σ of the image.
    public var sigmaRange: ClosedRange<Float> { (sigma.values.min() ?? 0)...(sigma.values.max() ?? 0) }
}
