// nn.Conv2d (any stride, zero padding that may differ per side, optional bias) as im2col + GEMM,
// for the judge's small CNN and the VAE (diffusers' Downsample2D pads (0, 1, 0, 1) and then
// convolves with stride 2 and no padding):
//   col (Cin·k·k, rows·Wo)   the receptive fields of a band of output rows, zeros where padded
//   y   (Cout, rows·Wo)     = W (Cout, Cin·k·k) @ col (+ b)
// The product runs on the engine's packed kernel (GEMM.swift), col packed as its panels: the
// same speed on every CPU, where Debian's OpenBLAS falls back to SSE3 kernels on CPUs it does
// not know (the VAE decode took 36 s at 256 × 256 on one such machine).
// Output rows are cut into bands so that a column buffer stays small (a 3×3 conv over 256
// channels at 256 × 256 would need 600 MB at once); the bands of all samples are spread over the
// cores, each core with its own slice of the workspace. A 1×1 conv with stride 1 and no padding
// needs no columns: it is the GEMM on x itself.

import CKernels

public struct Conv2d: Sendable {
    /// Zero padding of each side, as F.pad's (left, right, top, bottom) writes it.
    public struct Padding: Sendable, Equatable {
        public var top: Int, left: Int, bottom: Int, right: Int
        public init(top: Int, left: Int, bottom: Int, right: Int) {
            self.top = top; self.left = left; self.bottom = bottom; self.right = right
        }
        public static func all(_ p: Int) -> Padding { Padding(top: p, left: p, bottom: p, right: p) }
    }

    public let weight: Tensor          // (Cout, Cin, k, k), read as (Cout, Cin·k·k)
    public let bias: Tensor?           // (Cout)
    public let outChannels: Int, inChannels: Int, kernel: Int, stride: Int
    public let padding: Padding

    /// Floats of im2col one core fills at a time (8 MB): large enough for GEMMs of hundreds of columns.
    static let bandBudget = 1 << 21

    public init(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Padding) {
        precondition(weight.shape.count == 4 && weight.shape[2] == weight.shape[3], "Conv2d weight (Cout, Cin, k, k)")
        precondition(bias == nil || bias!.count == weight.shape[0], "Conv2d bias (Cout)")
        self.weight = weight; self.bias = bias
        outChannels = weight.shape[0]; inChannels = weight.shape[1]; kernel = weight.shape[2]
        self.stride = stride; self.padding = padding
    }

    public init(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int) {
        self.init(weight: weight, bias: bias, stride: stride, padding: .all(padding))
    }

    /// Output (Ho, Wo) for an input (H, W), as PyTorch floors it; nil when the kernel does not fit.
    public func outSize(height h: Int, width w: Int) -> (height: Int, width: Int)? {
        let ph = h + padding.top + padding.bottom, pw = w + padding.left + padding.right
        guard ph >= kernel, pw >= kernel else { return nil }
        return ((ph - kernel) / stride + 1, (pw - kernel) / stride + 1)
    }

    /// Output side of a square input (the judge's images).
    public func outSize(_ size: Int) -> Int { outSize(height: size, width: size)?.height ?? 0 }

    var isPointwise: Bool { kernel == 1 && stride == 1 && padding == .all(0) }

    /// Output rows per band for an output width.
    func bandRows(outHeight ho: Int, outWidth wo: Int) -> Int {
        max(1, min(ho, Conv2d.bandBudget / max(1, inChannels * kernel * kernel * wo)))
    }

    /// Floats of one core's workspace: a band's columns, then the same packed for the kernel.
    func sliceCount(outHeight ho: Int, outWidth wo: Int) -> Int {
        let K = inChannels * kernel * kernel, cols = bandRows(outHeight: ho, outWidth: wo) * wo
        return K * cols + Int(dit_packed_count(Int32(cols), Int32(K)))
    }

    /// Floats of workspace `forward` needs for inputs of (H, W): one band per core.
    public func workspaceCount(height h: Int, width w: Int) -> Int {
        guard !isPointwise, let (ho, wo) = outSize(height: h, width: w) else { return 0 }
        return Parallel.cores * sliceCount(outHeight: ho, outWidth: wo)
    }

    /// Workspace for the judge's square images.
    public func columnCount(size: Int) -> Int { workspaceCount(height: size, width: size) }

    /// y (N, Cout, Ho, Wo) = conv(x (N, Cin, H, W)); `workspace` holds workspaceCount(H, W) floats.
    public func forward(_ x: UnsafePointer<Float>, batch n: Int, height h: Int, width w: Int,
                        workspace: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        guard let (ho, wo) = outSize(height: h, width: w) else { preconditionFailure("Conv2d: kernel larger than the padded input") }
        let K = inChannels * kernel * kernel, inLen = inChannels * h * w, outLen = outChannels * ho * wo
        if isPointwise {   // y_b (Cout, HW) = W (Cout, Cin) @ x_b (Cin, HW), split by columns
            for b in 0..<n {
                BLAS.gemmNNColumns(m: outChannels, n: h * w, k: K, weight.data, x + b * inLen, bias: bias?.data, y + b * outLen)
            }
            return
        }
        let rows = bandRows(outHeight: ho, outWidth: wo), bands = (ho + rows - 1) / rows
        let slice = sliceCount(outHeight: ho, outWidth: wo)
        Parallel.indexedChunks(n * bands, grain: 1) { part, range in
            let col = workspace + part * slice, packed = col + K * rows * wo
            for item in range {
                let b = item / bands, r0 = (item % bands) * rows, r1 = min(ho, r0 + rows)
                let cols = (r1 - r0) * wo
                im2col(x + b * inLen, h: h, w: w, rows: r0..<r1, outWidth: wo, into: col)
                dit_pack_nn(Int32(cols), Int32(K), col, Int32(cols), packed)   // col (K, cols) as the kernel's panels of colᵀ
                let out = y + b * outLen + r0 * wo
                // (Cout, K) @ (K, rows·Wo) -> (Cout, rows·Wo), rows of y strided by Ho·Wo; then + b per row
                dit_gemm_packed(Int32(outChannels), Int32(cols), Int32(K), weight.data, Int32(K), packed, nil, out, Int32(ho * wo),
                                0, Int32((cols + 31) / 32))
                if let bias { for o in 0..<outChannels { let row = out + o * ho * wo; for j in 0..<cols { row[j] += bias[o] } } }
            }
        }
    }

    /// The judge's square images.
    public func forward(_ x: UnsafePointer<Float>, batch n: Int, size: Int,
                        columns: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        forward(x, batch: n, height: size, width: size, workspace: columns, into: y)
    }

    /// col (Cin·k·k, rows·Wo): row (c, ky, kx) holds input pixel (oy·s + ky − top, ox·s + kx − left), or 0.
    private func im2col(_ src: UnsafePointer<Float>, h: Int, w: Int, rows: Range<Int>, outWidth wo: Int,
                        into col: UnsafeMutablePointer<Float>) {
        let kk = kernel * kernel, cols = rows.count * wo
        for c in 0..<inChannels {
            let plane = src + c * h * w
            for ky in 0..<kernel {
                for kx in 0..<kernel {
                    let row = col + (c * kk + ky * kernel + kx) * cols
                    // Output columns whose input column lies inside: ox·s + kx − left ∈ [0, w).
                    let shift = kx - padding.left
                    let lo = min(wo, max(0, (-shift + stride - 1) / stride))
                    let hi = w - 1 - shift < 0 ? lo : max(lo, min(wo, (w - 1 - shift) / stride + 1))
                    for (i, oy) in rows.enumerated() {
                        let iy = oy * stride + ky - padding.top, dst = row + i * wo
                        guard iy >= 0 && iy < h else { dst.update(repeating: 0, count: wo); continue }
                        let line = plane + iy * w
                        if lo > 0 { dst.update(repeating: 0, count: lo) }
                        if stride == 1 {
                            (dst + lo).update(from: line + lo + shift, count: hi - lo)
                        } else {
                            for ox in lo..<hi { dst[ox] = line[ox * stride + shift] }
                        }
                        if hi < wo { (dst + hi).update(repeating: 0, count: wo - hi) }
                    }
                }
            }
        }
    }
}
