// diffusers Upsample2D(use_conv=True) as the VAE's up blocks build it: F.interpolate(scale_factor=2,
// mode="nearest"), then a 3×3 conv with padding 1: (C, H, W) → (C, 2H, 2W).

struct Upsample2D {
    let conv: Conv2d    // PREFIX.conv (C, C, 3, 3)
    let channels: Int

    init(_ r: WeightReader, _ prefix: String, channels c: Int) throws {
        conv = try Conv2d(r, prefix + ".conv", in: c, out: c, kernel: 3, padding: .all(1))
        channels = c
    }

    /// out (C, 2h, 2w); uses slot t3 for the upsampled map.
    func forward(_ x: UnsafePointer<Float>, _ h: Int, _ w: Int, _ s: VAEScratch, into out: UnsafeMutablePointer<Float>) {
        let up = s(.t3, channels * 4 * h * w)          // (C, 2h, 2w)
        for c in 0..<channels {
            let src = x + c * h * w, dst = up + c * 4 * h * w
            for y in 0..<(2 * h) {
                let line = src + (y / 2) * w, row = dst + y * 2 * w
                for xx in 0..<(2 * w) { row[xx] = line[xx / 2] }
            }
        }
        conv.run(up, 2 * h, 2 * w, s, into: out)
    }
}
