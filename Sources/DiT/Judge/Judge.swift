// The judge of sample quality: the Fashion-MNIST classifier (SmallCNN) with the real data's
// statistics, as shipped in assets/models/fashion-classifier by training/export_classifier.py:
//   config.json         architecture, class names, real test accuracy
//   model.safetensors   the classifier's state dict
//   stats.safetensors   F64: test_mu (F,), test_sigma (F, F), train_mu, train_sigma (all 10,000 test and
//                       60,000 training images' penultimate features); test_pixel_mean/std (classes,)
import Foundation

public struct JudgeConfig: Codable, Sendable {
    public var arch: String
    public var inputChannels: Int
    public var inputSize: Int
    public var channels: [Int]
    public var hidden: Int
    public var batchnormEps: Double
    public var numClasses: Int
    public var classNames: [String]
    public var testAccuracy: Double
    public var perClassTestAccuracy: [Double]

    enum CodingKeys: String, CodingKey {
        case arch, channels, hidden
        case inputChannels = "input_channels", inputSize = "input_size", batchnormEps = "batchnorm_eps"
        case numClasses = "num_classes", classNames = "class_names", testAccuracy = "test_accuracy"
        case perClassTestAccuracy = "per_class_test_accuracy"
    }

    func validate(file: String) throws {
        func need(_ ok: Bool, _ field: String, _ what: String) throws { if !ok { throw DiTError(file: file, field: field, what) } }
        try need(arch == "SmallCNN", "arch", "expected \"SmallCNN\", found \"\(arch)\"")
        try need((1...64).contains(inputChannels), "input_channels", "expected 1…64, found \(inputChannels)")
        try need((2...1024).contains(inputSize), "input_size", "expected 2…1024, found \(inputSize)")
        try need(!channels.isEmpty && channels.count <= 8 && channels.allSatisfy { (1...4096).contains($0) }, "channels",
                 "expected 1…8 block widths in 1…4096, found \(channels)")
        try need(inputSize >> channels.count >= 1, "channels", "expected at most log2(input_size) blocks, found \(channels.count)")
        try need((1...65536).contains(hidden), "hidden", "expected 1…65536, found \(hidden)")
        try need(batchnormEps.isFinite && batchnormEps > 0, "batchnorm_eps", "expected a positive number, found \(batchnormEps)")
        try need((1...100_000).contains(numClasses), "num_classes", "expected 1…100000, found \(numClasses)")
        try need(classNames.count == numClasses, "class_names", "expected \(numClasses) names, found \(classNames.count)")
    }
}

public final class Judge: @unchecked Sendable {
    public let directory: String
    public let config: JudgeConfig
    public let classifier: SmallCNN
    public let realTest: FeatureGaussian     // all test images
    public let realTrain: FeatureGaussian    // all training images
    public let realPixelMean: [Double], realPixelStd: [Double]   // (classes,) over the test set
    /// FID of the real training set against the real test set: the lowest score a model can hope for.
    public let fidFloor: Double

    public init(directory: String) throws {
        self.directory = directory
        let dir = URL(fileURLWithPath: directory)
        let configPath = dir.appendingPathComponent("config.json").path
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw DiTError(file: configPath, "cannot read the judge's config; expected assets/models/fashion-classifier/config.json")
        }
        // The strict reader (duplicate keys, mistyped numbers refused), the field named on failure.
        do { config = try JSONValueDecoder().decode(JudgeConfig.self, from: [UInt8](data)) } catch let e as JSON.ParseError {
            throw DiTError(file: configPath, field: e.field, "expected a JSON object: \(e)")
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw DiTError(file: configPath, field: (ctx.codingPath + [key]).map(\.stringValue).joined(separator: "."), "missing")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw DiTError(file: configPath, field: ctx.codingPath.map(\.stringValue).joined(separator: "."), ctx.debugDescription)
        } catch {
            throw DiTError(file: configPath, "expected the judge's config (\(error))")
        }
        try config.validate(file: configPath)
        let modelPath = dir.appendingPathComponent("model.safetensors").path
        classifier = try SmallCNN(store: SafeTensorsStore(files: [SafeTensorsFile(path: modelPath)]), file: modelPath,
                                  inputChannels: config.inputChannels, inputSize: config.inputSize,
                                  channels: config.channels, hidden: config.hidden, numClasses: config.numClasses,
                                  batchNormEps: config.batchnormEps)
        let statsPath = dir.appendingPathComponent("stats.safetensors").path
        let stats = try SafeTensorsFile(path: statsPath)
        func values(_ key: String, _ shape: [Int]) throws -> [Double] {
            guard let info = stats.tensors[key], info.shape == shape else {
                throw DiTError(file: statsPath, field: key, "missing or misshapen; expected shape \(shape)")
            }
            let v = stats.doubles(key)
            guard v.allSatisfy(\.isFinite) else { throw DiTError(file: statsPath, field: key, "expected finite values") }
            return v
        }
        let f = config.hidden, k = config.numClasses
        realTest = FeatureGaussian(mu: try values("test_mu", [f]), sigma: try values("test_sigma", [f, f]))
        realTrain = FeatureGaussian(mu: try values("train_mu", [f]), sigma: try values("train_sigma", [f, f]))
        realPixelMean = try values("test_pixel_mean", [k])
        realPixelStd = try values("test_pixel_std", [k])
        fidFloor = try FrechetDistance.distance(realTrain, realTest)
    }

    /// Whether the judge scores this model's samples: its classes and image shape.
    public func scores(_ c: DiTConfig) -> Bool {
        config.numClasses == c.numClasses && config.inputChannels == c.inChannels && config.inputSize == c.inputSize
    }

    /// Softmax probabilities (N, classes) and features (N, hidden) of images x (N, C, S, S).
    public func judge(_ x: Tensor) throws -> (probabilities: Tensor, features: Tensor) {
        let (logits, features) = try classifier.forward(x)
        let k = config.numClasses
        for r in 0..<logits.shape[0] {
            let row = logits.data + r * k
            var m = -Float.infinity
            for j in 0..<k { m = max(m, row[j]) }
            var sum: Float = 0
            for j in 0..<k { row[j] = expf(row[j] - m); sum += row[j] }
            for j in 0..<k { row[j] /= sum }
        }
        return (logits, features)
    }
}
