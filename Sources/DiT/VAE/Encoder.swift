// diffusers Encoder (models/autoencoders/vae.py) with double_z: the image to the moments of the
// posterior, mean and log-variance of 2·latent_channels:
//   conv_in                           (N, 3, H, W) → (C0, H, W)
//   down_blocks.i: resnets.j, then downsamplers.0 but in the last block   (Ci, H/2^i, W/2^i)
//   mid_block                         (C_last, h, w)
//   conv_norm_out, SiLU, conv_out     (2·latent, h, w)

extension AutoencoderKL {
    // Nested: a top-level Decoder would hide Swift.Decoder in this module.
    struct Encoder {
        let convIn: Conv2d                  // encoder.conv_in (C0, in, 3, 3)
        let downBlocks: [(resnets: [ResnetBlock2D], downsampler: Downsample2D?)]   // encoder.down_blocks.i
        let midBlock: UNetMidBlock2D        // encoder.mid_block
        let convNormOut: GroupNorm          // encoder.conv_norm_out (C_last)
        let convOut: Conv2d                 // encoder.conv_out (2·latent, C_last, 3, 3)

        init(_ r: WeightReader, _ c: AutoencoderKLConfig) throws {
            let chans = c.blockOutChannels, g = c.normNumGroups
            convIn = try Conv2d(r, "encoder.conv_in", in: c.inChannels, out: chans[0], kernel: 3, padding: .all(1))
            var cin = chans[0]
            downBlocks = try chans.enumerated().map { i, cout in
                let p = "encoder.down_blocks.\(i)"
                let resnets = try (0..<c.layersPerBlock).map { j in
                    try ResnetBlock2D(r, "\(p).resnets.\(j)", in: j == 0 ? cin : cout, out: cout, groups: g)
                }
                cin = cout
                return (resnets: resnets,
                        downsampler: i == chans.count - 1 ? nil : try Downsample2D(r, "\(p).downsamplers.0", channels: cout))
            }
            midBlock = try UNetMidBlock2D(r, "encoder.mid_block", channels: chans.last!, groups: g, addAttention: c.midBlockAddAttention)
            convNormOut = try GroupNorm(r, "encoder.conv_norm_out", channels: chans.last!, groups: g)
            convOut = try Conv2d(r, "encoder.conv_out", in: chans.last!, out: 2 * c.latentChannels, kernel: 3, padding: .all(1))
        }

        /// The latent side for an image side, or nil when a downsampler's kernel would not fit.
        func latentSize(_ h: Int, _ w: Int) -> (Int, Int)? {
            var size: (Int, Int)? = (h, w)
            for block in downBlocks { if let d = block.downsampler, let s = size { size = d.outSize(s.0, s.1) } }
            return size
        }

        /// Moments (2·latent, h, w) of one image x (in, H, W), left current in the flow.
        func forward(_ f: inout FeatureFlow) {
            let s = f.scratch
            f.step(channels: convIn.outChannels) { convIn.run($0, $2, $3, s, into: $1) }
            for block in downBlocks {
                for resnet in block.resnets {
                    f.step(channels: resnet.outChannels) { resnet.forward($0, $2, $3, s, into: $1) }
                }
                if let d = block.downsampler, let (oh, ow) = d.outSize(f.height, f.width) {
                    f.step(channels: f.channels, height: oh, width: ow) { d.forward($0, $2, $3, s, into: $1) }
                }
            }
            midBlock.forward(&f)
            f.step(channels: convNormOut.channels) { convNormOut.forward($0, hw: $2 * $3, silu: true, into: $1) }
            f.step(channels: convOut.outChannels) { convOut.run($0, $2, $3, s, into: $1) }
        }
    }
}
