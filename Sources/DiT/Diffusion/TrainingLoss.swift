// The ε-prediction term of gaussian_diffusion.py training_losses (loss_type MSE, learned range):
//   x_t = q_sample(x_0, t, ε);  out = model(x_t, t, y);  ε̂ = out[:, :C]
//   terms["mse"] = mean_flat((ε − ε̂)²)
// The model sees the original timestep (training never respaces). The variance channels, trained
// only through the VLB term, are returned as they are (out[:, C:]) for whoever shows them.

public struct TrainingLoss {
    public var xt: Tensor          // (N, C, H, W) the noised input
    public var output: Tensor      // (N, outC, H, W) the model's raw output, copied
    public var mse: [Float]        // (N) mean over C, H, W of (ε̂ − ε)²

    /// One model call on q_sample(x0, t, noise) with labels y (the null class allowed).
    /// `source` names x0 in messages (the CLI: its flag).
    public init(model: DiTModel, x0: Tensor, t: [Int], labels y: [Int], noise: Tensor,
                process: ForwardProcess = .linear, source: String = "x_0") throws {
        xt = try process.qSample(x0: x0, t: t, noise: noise)
        try model.validate(x: xt, t: t.map(Float.init), y: y, source: source)
        output = try model.forward(x: xt, t: t.map(Float.init), y: y).copy()
        mse = TrainingLoss.meanSquaredError(output, noise)
    }

    /// mean over C, H, W of (out[:, :C] − ε)² per row; the sum is float64, the result float32.
    public static func meanSquaredError(_ out: Tensor, _ eps: Tensor) -> [Float] {
        let n = eps.shape[0], plane = n == 0 ? 0 : eps.count / n, outPlane = n == 0 ? 0 : out.count / n
        return (0..<n).map { row in
            var sum = 0.0
            for j in 0..<plane {
                let d = Double(out.data[row * outPlane + j]) - Double(eps.data[row * plane + j])
                sum += d * d
            }
            return Float(sum / Double(max(1, plane)))
        }
    }

    /// ε̂ of row n: the first C output channels (C, H, W) as a flat array.
    public func predictedNoise(_ row: Int) -> [Float] {
        let plane = xt.count / max(1, xt.shape[0]), outPlane = output.count / max(1, output.shape[0])
        return Array(UnsafeBufferPointer(start: output.data + row * outPlane, count: plane))
    }
}
