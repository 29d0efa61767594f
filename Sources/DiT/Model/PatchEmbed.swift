// PatchEmbed (timm, as used by models.py): a Conv2d with kernel = stride = p, done as a GEMM on
// patches laid out (c, i, j) to match the conv weight (D, C, p, p). Tokens are row-major over
// the (I/p, I/p) grid, as flatten(2).transpose(1, 2) gives. Unpatchify (Unpatchify.swift) is
// the inverse for the final layer's tokens, through the same PatchLayout.

enum PatchLayout {
    case channelFirst   // token vector (c, i, j): the conv weight's order
    case channelLast    // token vector (i, j, c): the final linear layer's order

    /// Visits every element as (offset in the (N, C, I, I) image, offset in the (N, T, C·p·p) tokens).
    @inline(__always)
    func forEach(n: Int, channels C: Int, size I: Int, patch p: Int, _ body: (Int, Int) -> Void) {
        let g = I / p, P = C * p * p
        for s in 0..<n {
            for gi in 0..<g {
                for gj in 0..<g {
                    let tok = (s * g * g + gi * g + gj) * P
                    for c in 0..<C {
                        for i in 0..<p {
                            for j in 0..<p {
                                let within = self == .channelFirst ? (c * p + i) * p + j : (i * p + j) * C + c
                                body(((s * C + c) * I + gi * p + i) * I + gj * p + j, tok + within)
                            }
                        }
                    }
                }
            }
        }
    }
}

enum PatchEmbed {
    /// x (N, C, I, I) -> patches (N, T, C·p·p)
    static func patchify(_ x: UnsafePointer<Float>, n: Int, channels C: Int, size I: Int, patch p: Int,
                         into out: UnsafeMutablePointer<Float>) {
        PatchLayout.channelFirst.forEach(n: n, channels: C, size: I, patch: p) { img, tok in out[tok] = x[img] }
    }
}
