// Classifier-free guidance as DiT's forward_with_cfg: the batch is doubled with the null class,
// guidance mixes only the first C (ε) channels, ε = ε_uncond + s · (ε_cond − ε_uncond), and the
// variance channels come from the conditional half. (The official code slices the first 3
// channels, right for its 4-channel latents; the ε channels are the first C in general.)
// Scale 1 is the plain conditional model: no doubled batch. This is the one place guidance is
// applied: every solver's evaluations come through Denoiser.evaluate.
//
// Where and how much (Guidance): an interval [lo, hi] of model timesteps outside which the
// conditional ε is used alone (Kynkäänniemi et al. 2024, "Applying guidance in a limited
// interval"), and a schedule that ramps the scale s over t ∈ [0, 999]:
//   constant  s_t = s
//   linear    s_t = 1 + (s − 1) · (1 − t/999)              no guidance at t = 999, s at t = 0
//   cosine    s_t = 1 + (s − 1) · ½ (1 + cos(π t/999))     the same ends, flat near both
import Foundation

public enum GuidanceSchedule: String, CaseIterable, Sendable {
    case constant, linear, cosine

    /// s_t for the nominal scale s at model timestep t.
    public func scale(_ s: Float, at t: Float) -> Float {
        let u = Double(t) / Double(GaussianDiffusion.numTrainTimesteps - 1)
        switch self {
        case .constant: return s
        case .linear: return 1 + (s - 1) * Float(1 - u)
        case .cosine: return 1 + (s - 1) * Float(0.5 * (1 + cos(Double.pi * u)))
        }
    }
}

/// Classifier-free guidance settings: the scale, where it applies, and its ramp.
public struct Guidance: Equatable, Sendable {
    public var scale: Float
    public var interval: ClosedRange<Float>?   // model timesteps guided; nil: all
    public var schedule: GuidanceSchedule

    public init(scale: Float, interval: ClosedRange<Float>? = nil, schedule: GuidanceSchedule = .constant) {
        self.scale = scale; self.interval = interval; self.schedule = schedule
    }

    /// The scale at model timestep t, or nil where the conditional ε is used alone.
    public func scale(at t: Float) -> Float? {
        guard scale != 1 else { return nil }
        if let interval, !interval.contains(t) { return nil }
        return schedule.scale(scale, at: t)
    }
}

public final class Denoiser: @unchecked Sendable {
    public let model: DiTModel
    private var doubled: Tensor?   // (2N, C, H, W) guided input, allocated once per batch shape
    /// Batch size of the last model call (2N when guided): where its probes are.
    public private(set) var lastBatch = 0

    public init(model: DiTModel) { self.model = model }

    /// The (guided) model output (N, outC, H, W) for x_t at original timestep t and labels y.
    public func predict(x: Tensor, timestep t: Int, labels y: [Int], cfgScale s: Float) throws -> Tensor {
        try evaluate(x: x, t: Float(t), labels: y, guidance: Guidance(scale: s)).output
    }

    /// One network evaluation at x_t (N, C, H, W) and model timestep t, guided as `g` says at t,
    /// with `ablations` in both halves of a guided batch (as zeroed weights would be).
    public func evaluate(x: Tensor, t: Float, labels y: [Int], guidance g: Guidance, ablations: AblationSet = .none) throws -> Evaluation {
        let n = x.shape[0]
        guard let s = g.scale(at: t) else {
            lastBatch = n
            return Evaluation(output: try model.forward(x: x, t: Array(repeating: t, count: n), y: y, ablations: ablations).copy(),
                              epsCond: nil, epsUncond: nil, scale: nil)
        }
        guard model.hasNullClass else {
            throw SettingError(.cfgScale, "\(g.scale)", expected: "1: this model has no null class (its label table has num_classes rows), so no guidance")
        }
        if doubled?.shape.first != 2 * n || doubled?.count != 2 * x.count {
            doubled = Tensor([2 * n] + x.shape.dropFirst())
        }
        let xx = doubled!
        lastBatch = 2 * n
        xx.data.update(from: x.data, count: x.count)
        (xx.data + x.count).update(from: x.data, count: x.count)
        let out2 = try model.forward(x: xx, t: Array(repeating: t, count: 2 * n),
                                     y: y + Array(repeating: model.nullClass, count: n), ablations: ablations)  // (2N, outC, H, W)
        let outC = out2.shape[1], hw = out2.shape[2] * out2.shape[3], epsLen = model.config.inChannels * hw
        let out = Tensor([n, outC, out2.shape[2], out2.shape[3]])
        let epsShape = [n, model.config.inChannels, out2.shape[2], out2.shape[3]]
        let cond = Tensor(epsShape), uncond = Tensor(epsShape)
        for b in 0..<n {
            let c = out2.data + b * outC * hw, u = out2.data + (n + b) * outC * hw
            let o = out.data + b * outC * hw
            for j in 0..<epsLen { o[j] = u[j] + s * (c[j] - u[j]) }
            (o + epsLen).update(from: c + epsLen, count: (outC * hw) - epsLen)
            (cond.data + b * epsLen).update(from: c, count: epsLen)
            (uncond.data + b * epsLen).update(from: u, count: epsLen)
        }
        return Evaluation(output: out, epsCond: cond, epsUncond: uncond, scale: s)
    }
}
