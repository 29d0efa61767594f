// diffusers ResnetBlock2D (models/resnet.py) as the VAE builds it: no time embedding, output_scale_factor 1,
// dropout 0, eps 1e-6:
//   h = conv1(SiLU(norm1(x)))              (Cout, H, W)
//   h = conv2(SiLU(norm2(h)))              (Cout, H, W)
//   out = conv_shortcut(x) + h             1×1 conv when Cin ≠ Cout, else x itself

struct ResnetBlock2D {
    let norm1: GroupNorm, conv1: Conv2d     // PREFIX.norm1 (Cin), PREFIX.conv1 (Cout, Cin, 3, 3)
    let norm2: GroupNorm, conv2: Conv2d     // PREFIX.norm2 (Cout), PREFIX.conv2 (Cout, Cout, 3, 3)
    let convShortcut: Conv2d?               // PREFIX.conv_shortcut (Cout, Cin, 1, 1)
    let inChannels: Int, outChannels: Int

    init(_ r: WeightReader, _ prefix: String, in cin: Int, out cout: Int, groups: Int) throws {
        norm1 = try GroupNorm(r, prefix + ".norm1", channels: cin, groups: groups)
        conv1 = try Conv2d(r, prefix + ".conv1", in: cin, out: cout, kernel: 3, padding: .all(1))
        norm2 = try GroupNorm(r, prefix + ".norm2", channels: cout, groups: groups)
        conv2 = try Conv2d(r, prefix + ".conv2", in: cout, out: cout, kernel: 3, padding: .all(1))
        convShortcut = cin == cout ? nil : try Conv2d(r, prefix + ".conv_shortcut", in: cin, out: cout, kernel: 1, padding: .all(0))
        inChannels = cin; outChannels = cout
    }

    /// out (Cout, h, w) = block(x (Cin, h, w)); uses slots t1, t2.
    func forward(_ x: UnsafePointer<Float>, _ h: Int, _ w: Int, _ s: VAEScratch, into out: UnsafeMutablePointer<Float>) {
        let hw = h * w
        let t1 = s(.t1, max(inChannels, outChannels) * hw), t2 = s(.t2, outChannels * hw)
        norm1.forward(x, hw: hw, silu: true, into: t1)          // (Cin, HW)
        conv1.run(t1, h, w, s, into: t2)                         // (Cout, HW)
        norm2.forward(t2, hw: hw, silu: true, into: t1)          // (Cout, HW)
        conv2.run(t1, h, w, s, into: out)                        // (Cout, HW)
        if let convShortcut {
            convShortcut.run(x, h, w, s, into: t2)               // (Cout, HW)
            for i in 0..<(outChannels * hw) { out[i] += t2[i] }
        } else {
            for i in 0..<(outChannels * hw) { out[i] += x[i] }
        }
    }
}
