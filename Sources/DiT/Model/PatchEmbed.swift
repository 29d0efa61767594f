// PatchEmbed (timm, as used by models.py): a Conv2d with kernel = stride = p, done as a GEMM on
// patches laid out (c, i, j) to match the conv weight (D, C, p, p). Tokens are row-major over
// the (I/p, I/p) grid, as flatten(2).transpose(1, 2) gives. unpatchify is its inverse for the
// final layer's (p, p, outC) token layout.

enum PatchEmbed {
    /// x (N, C, I, I) -> patches (N, T, C·p·p)
    static func patchify(_ x: UnsafePointer<Float>, n: Int, channels C: Int, size I: Int, patch p: Int,
                         into out: UnsafeMutablePointer<Float>) {
        let g = I / p, T = g * g, P = C * p * p
        for s in 0..<n {
            for gi in 0..<g {
                for gj in 0..<g {
                    let tok = out + (s * T + gi * g + gj) * P
                    for c in 0..<C {
                        for i in 0..<p {
                            let src = x + ((s * C + c) * I + gi * p + i) * I + gj * p
                            (tok + (c * p + i) * p).update(from: src, count: p)
                        }
                    }
                }
            }
        }
    }
}

enum Unpatchify {
    /// tokens (N, T, p·p·outC) -> image (N, outC, I, I); einsum 'nhwpqc->nchpwq' in models.py
    static func apply(_ tokens: UnsafePointer<Float>, n: Int, channels C: Int, size I: Int, patch p: Int,
                      into out: UnsafeMutablePointer<Float>) {
        let g = I / p, T = g * g, P = p * p * C
        for s in 0..<n {
            for gi in 0..<g {
                for gj in 0..<g {
                    let tok = tokens + (s * T + gi * g + gj) * P
                    for i in 0..<p {
                        for j in 0..<p {
                            for c in 0..<C {
                                out[((s * C + c) * I + gi * p + i) * I + gj * p + j] = tok[(i * p + j) * C + c]
                            }
                        }
                    }
                }
            }
        }
    }
}
