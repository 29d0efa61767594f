// diffusers Downsample2D(use_conv=True, padding=0) as the VAE's down blocks build it: F.pad by
// (0, 1, 0, 1) (one zero column right, one zero row at the bottom), then a 3×3 conv with
// stride 2 and no padding: (C, H, W) → (C, ⌊(H − 2)/2⌋ + 1, ⌊(W − 2)/2⌋ + 1), H/2 for even H.

struct Downsample2D {
    let conv: Conv2d    // PREFIX.conv (C, C, 3, 3)

    init(_ r: WeightReader, _ prefix: String, channels c: Int) throws {
        conv = try Conv2d(r, prefix + ".conv", in: c, out: c, kernel: 3, stride: 2,
                          padding: Conv2d.Padding(top: 0, left: 0, bottom: 1, right: 1))
    }

    func outSize(_ h: Int, _ w: Int) -> (Int, Int)? { conv.outSize(height: h, width: w) }

    @discardableResult
    func forward(_ x: UnsafePointer<Float>, _ h: Int, _ w: Int, _ s: VAEScratch, into out: UnsafeMutablePointer<Float>) -> (Int, Int) {
        conv.run(x, h, w, s, into: out)
    }
}
