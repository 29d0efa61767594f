// Element-wise stages of the DiT forward pass, each fused where the reference composes two
// ops on the same tensor (LayerNorm + modulate, gate + residual). All work in place or into
// caller-owned buffers: nothing here allocates.
import CKernels
import Foundation

public enum Ops {
    /// out[n, t, :] = LayerNorm(x[n, t, :]) · (1 + scale[n]) + shift[n]
    /// LayerNorm without affine, eps 1e-6 (DiT's norm1/norm2/norm_final; diffusers' norm3 before
    /// the MLP takes its config's norm_eps). x, out: (N, T, D); shift, scale: rows of the
    /// modulation buffer with stride `modStride` per sample.
    public static func layerNormModulate(_ x: UnsafePointer<Float>, n: Int, t: Int, d: Int,
                                         shift: UnsafePointer<Float>, scale: UnsafePointer<Float>,
                                         modStride: Int, eps: Float = 1e-6, into out: UnsafeMutablePointer<Float>) {
        Profile.time("LayerNorm + modulate") {
            Parallel.chunks(n * t, grain: 64) { range in
                dit_layer_norm(x, Int32(range.lowerBound), Int32(range.upperBound), Int32(d), eps, scale, shift, 1, Int32(t), modStride, out)
            }
        }
    }

    /// out[r, :] = LayerNorm(x[r, :]) · weight + bias: nn.LayerNorm(d, eps=1e-6) with its affine
    /// γ, β (the blocks of the cross-attention and in-context designs). x, out: (rows, d).
    public static func layerNorm(_ x: UnsafePointer<Float>, rows: Int, d: Int, weight: UnsafePointer<Float>,
                                 bias: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        Profile.time("LayerNorm (affine)") {
            Parallel.chunks(rows, grain: 64) { range in
                dit_layer_norm(x, Int32(range.lowerBound), Int32(range.upperBound), Int32(d), 1e-6, weight, bias, 0, 0, 0, out)
            }
        }
    }

    /// x += y over `count` values (the ungated residual of the adaLN, cross-attention and
    /// in-context designs).
    public static func residual(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        Profile.time("residual") {
            for i in 0..<count { x[i] += y[i] }
        }
    }

    /// x[n, t, :] += gate[n] · y[n, t, :]   (adaLN-Zero's gated residual)
    public static func gatedResidual(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>,
                                     gate: UnsafePointer<Float>, modStride: Int, n: Int, t: Int, d: Int) {
        Profile.time("gate + residual") { dit_gated_residual(x, y, gate, modStride, Int32(n), Int32(t), Int32(d)) }
    }

    /// out = SiLU(x) = x · σ(x)
    public static func silu(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<count { let v = x[i]; out[i] = v / (1 + expf(-v)) }
    }

    /// In place, vectorised: SiLU(x) = x / (1 + e^(−x)) over the VAE's feature maps (millions of values).
    public static func siluInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count { let v = load(x + i); store(v / (1 + vexp(-v)), x + i); i += 8 }
        while i < count { let v = x[i]; x[i] = v / (1 + expf(-v)); i += 1 }
    }

    /// In place: GELU with the tanh approximation (nn.GELU(approximate="tanh")), written as
    /// x · σ(2z) with z = √(2/π)(x + 0.044715x³), since ½(1 + tanh z) = σ(2z)
    /// (Sources/CKernels/elementwise.c, 16 or 8 lanes).
    public static func geluTanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        Profile.time("GELU (tanh)") {
            Parallel.chunks(count / 16, grain: 2048) { range in
                dit_gelu_tanh(x + range.lowerBound * 16, range.count * 16)
            }
            let done = count & ~15
            dit_gelu_tanh(x + done, count - done)
        }
    }

    /// In place: softmax(scale · x) over each row of a (rows, cols) matrix; scale > 0
    /// (Sources/CKernels/elementwise.c).
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, scale: Float = 1) {
        dit_softmax_rows(x, Int32(rows), Int32(cols), scale)
    }
}
