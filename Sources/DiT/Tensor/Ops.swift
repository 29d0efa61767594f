// Element-wise stages of the DiT forward pass, each fused where the reference composes two
// ops on the same tensor (LayerNorm + modulate, gate + residual). All work in place or into
// caller-owned buffers: nothing here allocates.
import Foundation

public enum Ops {
    /// out[n, t, :] = LayerNorm(x[n, t, :]) · (1 + scale[n]) + shift[n]
    /// LayerNorm without affine, eps 1e-6 (DiT's norm1/norm2/norm_final). x, out: (N, T, D);
    /// shift, scale: rows of the modulation buffer with stride `modStride` per sample.
    public static func layerNormModulate(_ x: UnsafePointer<Float>, n: Int, t: Int, d: Int,
                                         shift: UnsafePointer<Float>, scale: UnsafePointer<Float>,
                                         modStride: Int, into out: UnsafeMutablePointer<Float>) {
        let invD = 1 / Float(d)
        for s in 0..<n {
            let sh = shift + s * modStride, sc = scale + s * modStride
            for tok in 0..<t {
                let row = x + (s * t + tok) * d, o = out + (s * t + tok) * d
                var mean: Float = 0
                for i in 0..<d { mean += row[i] }
                mean *= invD
                var v: Float = 0
                for i in 0..<d { let c = row[i] - mean; v += c * c }
                let rstd = 1 / (v * invD + 1e-6).squareRoot()
                for i in 0..<d { o[i] = (row[i] - mean) * rstd * (1 + sc[i]) + sh[i] }
            }
        }
    }

    /// x[n, t, :] += gate[n] · y[n, t, :]   (adaLN-Zero's gated residual)
    public static func gatedResidual(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>,
                                     gate: UnsafePointer<Float>, modStride: Int, n: Int, t: Int, d: Int) {
        for s in 0..<n {
            let g = gate + s * modStride
            for tok in 0..<t {
                let o = (s * t + tok) * d
                for i in 0..<d { x[o + i] += g[i] * y[o + i] }
            }
        }
    }

    /// out = SiLU(x) = x · σ(x)
    public static func silu(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<count { let v = x[i]; out[i] = v / (1 + expf(-v)) }
    }

    /// In place: GELU with the tanh approximation (nn.GELU(approximate="tanh")).
    public static func geluTanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let k0: Float = 0.7978845608028654  // √(2/π)
        let k1: Float = 0.044715
        for i in 0..<count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + tanhf(k0 * (v + k1 * v * v * v)))
        }
    }

    /// In place: softmax over each row of a (rows, cols) matrix.
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let row = x + r * cols
            var m = -Float.infinity
            for j in 0..<cols { m = max(m, row[j]) }
            var sum: Float = 0
            for j in 0..<cols { let e = expf(row[j] - m); row[j] = e; sum += e }
            let inv = 1 / sum
            for j in 0..<cols { row[j] *= inv }
        }
    }
}
