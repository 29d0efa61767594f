// unpatchify (models.py): the final layer's tokens (N, T, p·p·C), laid out (i, j, c) per patch,
// back to images (N, C, I, I) (einsum 'nhwpqc->nchpwq'); PatchLayout is PatchEmbed's.

enum Unpatchify {
    /// tokens (N, T, p·p·C) -> image (N, C, I, I)
    static func apply(_ tokens: UnsafePointer<Float>, n: Int, channels C: Int, size I: Int, patch p: Int,
                      into out: UnsafeMutablePointer<Float>) {
        PatchLayout.channelLast.forEach(n: n, channels: C, size: I, patch: p) { img, tok in out[img] = tokens[tok] }
    }
}
