// The Fashion-MNIST judge of training/classifier.py, in eval mode:
//   3 × [Conv2d 3×3 (padding 1, no bias) → BatchNorm2d → ReLU → MaxPool2d 2]   (N, 1, 32, 32) → (N, 64, 4, 4)
//   Flatten → Dropout (identity) → Linear(64·4·4, hidden) → ReLU = features     (N, hidden)
//   Linear(hidden, classes) = logits                                            (N, classes)
// Key names as the PyTorch state dict: features.i.0.weight (block i's conv), features.i.1.* (its BatchNorm),
// head.2 and head.4 (Linears). BatchNorm uses the running statistics: y = (x − mean)/√(var + eps)·w + b.
import Foundation

public final class SmallCNN: @unchecked Sendable {
    public struct Block: Sendable {
        public let conv: Conv2d
        public let scale: [Float], shift: [Float]   // BatchNorm folded: y = x · scale + shift, per channel
    }

    public let blocks: [Block]
    public let inputChannels: Int, inputSize: Int
    public let fc1W: Tensor, fc1B: Tensor      // head.2 (hidden, C·s·s), (hidden)
    public let fc2W: Tensor, fc2B: Tensor      // head.4 (classes, hidden), (classes)
    public var hidden: Int { fc1W.shape[0] }
    public var numClasses: Int { fc2W.shape[0] }

    /// Block i is the Sequential features.i = (conv, BatchNorm, ReLU, max-pool).
    public init(store: SafeTensorsStore, file: String, inputChannels: Int, inputSize: Int,
                channels: [Int], hidden: Int, numClasses: Int, batchNormEps: Double) throws {
        func tensor(_ key: String, _ shape: [Int]) throws -> Tensor {
            guard let info = store.tensors[key] else { throw DiTError(file: file, field: key, "missing; expected a tensor of shape \(shape)") }
            guard info.shape == shape else { throw DiTError(file: file, field: key, "expected shape \(shape), found \(info.shape)") }
            return Tensor(shape, store.floats(key))
        }
        var blocks: [Block] = [], cin = inputChannels, size = inputSize
        for (i, c) in channels.enumerated() {
            let conv = Conv2d(weight: try tensor("features.\(i).0.weight", [c, cin, 3, 3]), padding: 1)
            let bn = "features.\(i).1"
            let w = try tensor("\(bn).weight", [c]), b = try tensor("\(bn).bias", [c])
            let mean = try tensor("\(bn).running_mean", [c]), variance = try tensor("\(bn).running_var", [c])
            // PyTorch's eval BatchNorm computes in float32: invstd = 1/√(var + eps), then (x − mean)·invstd·w + b.
            let invstd = (0..<c).map { 1 / (variance[$0] + Float(batchNormEps)).squareRoot() }
            let scale = (0..<c).map { invstd[$0] * w[$0] }
            blocks.append(Block(conv: conv, scale: scale, shift: (0..<c).map { b[$0] - mean[$0] * scale[$0] }))
            cin = c; size /= 2
        }
        guard size >= 1 else { throw DiTError(file: file, field: "channels", "expected at most log2(input_size) blocks") }
        self.blocks = blocks
        self.inputChannels = inputChannels; self.inputSize = inputSize
        fc1W = try tensor("head.2.weight", [hidden, cin * size * size]); fc1B = try tensor("head.2.bias", [hidden])
        fc2W = try tensor("head.4.weight", [numClasses, hidden]); fc2B = try tensor("head.4.bias", [numClasses])
    }

    /// Logits (N, classes) and penultimate features (N, hidden) of images x (N, C, S, S) in [-1, 1].
    public func forward(_ x: Tensor) throws -> (logits: Tensor, features: Tensor) {
        guard x.shape.count == 4, x.shape[1] == inputChannels, x.shape[2] == inputSize, x.shape[3] == inputSize else {
            throw DiTError(file: "images", field: "shape", "expected (N, \(inputChannels), \(inputSize), \(inputSize)) for the judge, found \(x.shape)")
        }
        let n = x.shape[0]
        var h = x, size = inputSize
        for block in blocks {
            let conv = block.conv, o = conv.outSize(size)
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: max(1, conv.columnCount(size: size)))
            defer { columns.deallocate() }
            let y = Tensor([n, conv.outChannels, o, o])                 // (N, Cout, S, S)
            conv.forward(h.data, batch: n, size: size, columns: columns, into: y.data)
            let pooled = Tensor([n, conv.outChannels, o / 2, o / 2])    // (N, Cout, S/2, S/2)
            Self.normReLUPool(y, scale: block.scale, shift: block.shift, into: pooled)
            h = pooled; size = o / 2
        }
        let flat = h.count / max(n, 1)
        let features = Tensor([n, hidden])
        BLAS.linear(h.data, rows: n, in: flat, fc1W.data, fc1B.data, out: hidden, into: features.data)
        for i in 0..<features.count { features.data[i] = max(features.data[i], 0) }
        let logits = Tensor([n, numClasses])
        BLAS.linear(features.data, rows: n, in: hidden, fc2W.data, fc2B.data, out: numClasses, into: logits.data)
        return (logits, features)
    }

    /// BatchNorm (folded), ReLU and 2 × 2 max-pooling (stride 2, odd edge dropped as PyTorch does).
    static func normReLUPool(_ y: Tensor, scale: [Float], shift: [Float], into out: Tensor) {
        let n = y.shape[0], c = y.shape[1], s = y.shape[2], p = out.shape[2]
        for plane in 0..<(n * c) {
            let ch = plane % c, src = y.data + plane * s * s, dst = out.data + plane * p * p
            let a = scale[ch], b = shift[ch]
            for py in 0..<p {
                for px in 0..<p {
                    var m = -Float.infinity
                    for dy in 0..<2 { for dx in 0..<2 { m = max(m, src[(2 * py + dy) * s + 2 * px + dx] * a + b) } }
                    dst[py * p + px] = max(m, 0)   // ReLU and max commute
                }
            }
        }
    }
}
