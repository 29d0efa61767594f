// Classifier-free guidance as DiT's forward_with_cfg: the batch is doubled with the null class,
// guidance mixes only the first C (ε) channels, ε = ε_uncond + s · (ε_cond − ε_uncond), and the
// variance channels come from the conditional half. (The official code slices the first 3
// channels, right for its 4-channel latents; the ε channels are the first C in general.)
// Scale 1 is the plain conditional model: no doubled batch.

public final class Denoiser: @unchecked Sendable {
    public let model: DiTModel
    private var doubled: Tensor?   // (2N, C, H, W) guided input, allocated once per batch shape
    /// Batch size of the last model call (2N when guided): where its probes are.
    public private(set) var lastBatch = 0

    public init(model: DiTModel) { self.model = model }

    /// The (guided) model output (N, outC, H, W) for x_t at original timestep t and labels y.
    public func predict(x: Tensor, timestep t: Int, labels y: [Int], cfgScale s: Float) throws -> Tensor {
        let n = x.shape[0]
        guard s != 1 else {
            lastBatch = n
            return try model.forward(x: x, t: Array(repeating: Float(t), count: n), y: y).copy()
        }
        guard model.hasNullClass else {
            throw SettingError(.cfgScale, "\(s)", expected: "1: this model has no null class (its label table has num_classes rows), so no guidance")
        }
        if doubled?.shape.first != 2 * n || doubled?.count != 2 * x.count {
            doubled = Tensor([2 * n] + x.shape.dropFirst())
        }
        let xx = doubled!
        lastBatch = 2 * n
        xx.data.update(from: x.data, count: x.count)
        (xx.data + x.count).update(from: x.data, count: x.count)
        let out2 = try model.forward(x: xx, t: Array(repeating: Float(t), count: 2 * n),
                                     y: y + Array(repeating: model.nullClass, count: n))  // (2N, outC, H, W)
        let outC = out2.shape[1], hw = out2.shape[2] * out2.shape[3], epsLen = model.config.inChannels * hw
        let out = Tensor([n, outC, out2.shape[2], out2.shape[3]])
        for b in 0..<n {
            let cond = out2.data + b * outC * hw, uncond = out2.data + (n + b) * outC * hw
            let o = out.data + b * outC * hw
            for j in 0..<epsLen { o[j] = uncond[j] + s * (cond[j] - uncond[j]) }
            (o + epsLen).update(from: cond + epsLen, count: (outC * hw) - epsLen)
        }
        return out
    }
}
