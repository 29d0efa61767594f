// nn.Conv2d (stride 1, zero padding, no bias) as im2col + one GEMM per sample through BLAS:
//   col (Cin·k·k, H·W)   the receptive field of every output pixel, padded with zeros
//   y   (Cout, H·W)    = W (Cout, Cin·k·k) @ col
// Samples run concurrently, each with its own column buffer.

public struct Conv2d: Sendable {
    public let weight: Tensor          // (Cout, Cin, k, k)
    public let outChannels: Int, inChannels: Int, kernel: Int, padding: Int

    public init(weight: Tensor, padding: Int) {
        precondition(weight.shape.count == 4 && weight.shape[2] == weight.shape[3], "Conv2d weight (Cout, Cin, k, k)")
        self.weight = weight
        outChannels = weight.shape[0]; inChannels = weight.shape[1]; kernel = weight.shape[2]
        self.padding = padding
    }

    /// Output side for an input side (stride 1).
    public func outSize(_ size: Int) -> Int { size + 2 * padding - kernel + 1 }

    /// Column buffer length one sample needs, for `columns`.
    public func columnCount(size: Int) -> Int { inChannels * kernel * kernel * outSize(size) * outSize(size) }

    /// y (N, Cout, Ho, Wo) = conv(x (N, Cin, size, size)); `columns` holds N · columnCount(size).
    public func forward(_ x: UnsafePointer<Float>, batch n: Int, size: Int,
                        columns: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let o = outSize(size), hw = o * o, kk = kernel * kernel
        let inLen = inChannels * size * size, colLen = columnCount(size: size)
        Parallel.chunks(n, grain: 1) { range in
            for b in range {
                let src = x + b * inLen, col = columns + b * colLen
                for c in 0..<inChannels {
                    for ky in 0..<kernel {
                        for kx in 0..<kernel {
                            let row = col + ((c * kk) + ky * kernel + kx) * hw    // (Ho, Wo) of this tap
                            for oy in 0..<o {
                                let iy = oy + ky - padding
                                for ox in 0..<o {
                                    let ix = ox + kx - padding
                                    row[oy * o + ox] = iy >= 0 && iy < size && ix >= 0 && ix < size
                                        ? src[(c * size + iy) * size + ix] : 0
                                }
                            }
                        }
                    }
                }
                BLAS.gemmNN(m: outChannels, n: hw, k: inChannels * kk, weight.data, lda: inChannels * kk,
                            col, ldb: hw, y + b * outChannels * hw, ldc: hw)
            }
        }
    }
}
