// What `dit eval` reports about a set of class-conditional samples, scored by the judge:
// classifier accuracy (overall, per class, confusion), FID of the judge's penultimate features
// against the real test set's Gaussian, and per-class pixel mean / std (ddof = 1) beside the real ones.

public struct SampleQuality: Sendable {
    public var count: Int
    public var accuracy: Double              // 0…1
    public var perClassAccuracy: [Double]    // (classes,)
    public var confusion: [[Int]]            // [requested][predicted]
    public var fid: Double
    public var fidFloor: Double              // real train vs real test
    public var pixelMean: [Double], pixelStd: [Double]          // (classes,) of the samples
    public var realPixelMean: [Double], realPixelStd: [Double]  // (classes,) of the real test set

    /// Scores samples x (N, C, S, S) that were asked for classes `labels` (N,).
    public init(samples x: Tensor, labels: [Int], judge: Judge) throws {
        let k = judge.config.numClasses, n = labels.count
        guard x.shape.first == n, n >= 2 else {
            throw DiTError(file: "samples", field: "shape", "expected N ≥ 2 samples with one label each, found \(x.shape) and \(n) labels")
        }
        guard x.allFinite else { throw DiTError(file: "samples", "the samples hold non-finite values; expected finite pixels") }
        if let bad = labels.first(where: { $0 < 0 || $0 >= k }) {
            throw DiTError(file: "labels", field: "\(bad)", "expected classes of the judge, 0…\(k - 1)")
        }
        let (probabilities, features) = try Self.judged(x, judge: judge)
        var confusion = Array(repeating: Array(repeating: 0, count: k), count: k)
        for i in 0..<n {
            confusion[labels[i]][Judge.top(UnsafeBufferPointer(start: probabilities.data + i * k, count: k))] += 1
        }
        let counts = confusion.map { $0.reduce(0, +) }
        self.count = n
        accuracy = Double((0..<k).reduce(0) { $0 + confusion[$1][$1] }) / Double(n)
        perClassAccuracy = (0..<k).map { counts[$0] == 0 ? .nan : Double(confusion[$0][$0]) / Double(counts[$0]) }
        self.confusion = confusion
        fid = try FrechetDistance.distance(FeatureGaussian(features: features), judge.realTest)
        fidFloor = try judge.fidFloor()
        let per = x.count / n
        var sum = [Double](repeating: 0, count: k), sumSq = [Double](repeating: 0, count: k)
        for i in 0..<n {
            for j in 0..<per { let v = Double(x.data[i * per + j]); sum[labels[i]] += v; sumSq[labels[i]] += v * v }
        }
        pixelMean = (0..<k).map { counts[$0] == 0 ? .nan : sum[$0] / Double(counts[$0] * per) }
        pixelStd = (0..<k).map { c in
            let m = Double(counts[c] * per)
            return m < 2 ? .nan : (Swift.max(0, sumSq[c] - sum[c] * sum[c] / m) / (m - 1)).squareRoot()
        }
        realPixelMean = judge.realPixelMean; realPixelStd = judge.realPixelStd
    }

    /// The judge over x in batches of 500 (bounded memory for any N): probabilities (N, k), features (N, F).
    static func judged(_ x: Tensor, judge: Judge) throws -> (Tensor, Tensor) {
        let n = x.shape[0], per = x.count / n, k = judge.config.numClasses, f = judge.config.hidden
        let probabilities = Tensor([n, k]), features = Tensor([n, f])
        for start in stride(from: 0, to: n, by: 500) {
            let m = Swift.min(500, n - start)
            let chunk = Tensor([m] + x.shape.dropFirst())
            chunk.data.update(from: x.data + start * per, count: m * per)
            let (p, feat) = try judge.judge(chunk)
            (probabilities.data + start * k).update(from: p.data, count: m * k)
            (features.data + start * f).update(from: feat.data, count: m * f)
        }
        return (probabilities, features)
    }
}

/// Samples for an evaluation: N images, classes in blocks (sample i has class i / (N / classes)),
/// drawn in chunks that bound memory; the noise of chunk b is the window of one batch of all N
/// (NoiseSource.offset), so the result does not depend on the chunk size and equals
/// `dit sample --seed S` with the same labels.
public enum EvaluationSampling {
    public static func labels(samples n: Int, classes: Int) -> [Int] {
        (0..<n).map { $0 / (n / classes) }
    }

    /// Samples per chunk: about 8,192 tokens per model call (the doubled batch when guided).
    public static func chunkSize(model: DiTModel, guided: Bool) -> Int {
        let p = model.config.patchSize, side = model.config.inputSize / p
        return Swift.max(1, 8192 / (side * side * (guided ? 2 : 1)))
    }

    /// x_0 (N, C, S, S) for `labels` with `settings` (its labels are replaced chunk by chunk);
    /// `progress(done, total)` after each chunk.
    public static func sample(model: DiTModel, settings: SamplerSettings, labels: [Int], chunk: Int? = nil,
                              progress: ((Int, Int) -> Void)? = nil) throws -> Tensor {
        let c = model.config, n = labels.count, per = c.inChannels * c.inputSize * c.inputSize
        let out = Tensor([n, c.inChannels, c.inputSize, c.inputSize])
        let chunk = Swift.max(1, chunk ?? chunkSize(model: model, guided: settings.cfgScale != 1))
        for start in stride(from: 0, to: n, by: chunk) {
            let m = Swift.min(chunk, n - start)
            var s = settings
            s.labels = Array(labels[start..<start + m])
            let sampler = try Sampler(model: model, settings: s,
                                      noise: NoiseSource(seed: settings.seed, offset: start * per))
            let x0 = try sampler.run()
            (out.data + start * per).update(from: x0.data, count: m * per)
            progress?(start + m, n)
        }
        return out
    }
}
