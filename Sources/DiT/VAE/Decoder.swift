// diffusers Decoder (models/autoencoders/vae.py): latents back to an image:
//   conv_in                                         (latent, h, w) → (C_last, h, w)
//   mid_block                                       (C_last, h, w)
//   up_blocks.i over reversed(block_out_channels): layers_per_block + 1 resnets, then
//     upsamplers.0 but in the last block            (C_{n−1−i}, 2^(i+1)·h, …)
//   conv_norm_out, SiLU, conv_out                   (out, H, W), H = h · 2^(blocks − 1)

extension AutoencoderKL {
    // Nested: a top-level Decoder would hide Swift.Decoder in this module.
    struct Decoder {
        let convIn: Conv2d                  // decoder.conv_in (C_last, latent, 3, 3)
        let midBlock: UNetMidBlock2D        // decoder.mid_block
        let upBlocks: [(resnets: [ResnetBlock2D], upsampler: Upsample2D?)]   // decoder.up_blocks.i
        let convNormOut: GroupNorm          // decoder.conv_norm_out (C0)
        let convOut: Conv2d                 // decoder.conv_out (out, C0, 3, 3)

        init(_ r: WeightReader, _ c: AutoencoderKLConfig) throws {
            let chans = Array(c.blockOutChannels.reversed()), g = c.normNumGroups
            convIn = try Conv2d(r, "decoder.conv_in", in: c.latentChannels, out: chans[0], kernel: 3, padding: .all(1))
            midBlock = try UNetMidBlock2D(r, "decoder.mid_block", channels: chans[0], groups: g, addAttention: c.midBlockAddAttention)
            var cin = chans[0]
            upBlocks = try chans.enumerated().map { i, cout in
                let p = "decoder.up_blocks.\(i)"
                let resnets = try (0...c.layersPerBlock).map { j in
                    try ResnetBlock2D(r, "\(p).resnets.\(j)", in: j == 0 ? cin : cout, out: cout, groups: g)
                }
                cin = cout
                return (resnets: resnets,
                        upsampler: i == chans.count - 1 ? nil : try Upsample2D(r, "\(p).upsamplers.0", channels: cout))
            }
            convNormOut = try GroupNorm(r, "decoder.conv_norm_out", channels: chans.last!, groups: g)
            convOut = try Conv2d(r, "decoder.conv_out", in: chans.last!, out: c.outChannels, kernel: 3, padding: .all(1))
        }

        /// The image (out, H, W) of one latent z (latent, h, w) in the flow, left current.
        func forward(_ f: inout FeatureFlow) {
            let s = f.scratch
            f.step(channels: convIn.outChannels) { convIn.run($0, $2, $3, s, into: $1) }
            midBlock.forward(&f)
            for block in upBlocks {
                for resnet in block.resnets {
                    f.step(channels: resnet.outChannels) { resnet.forward($0, $2, $3, s, into: $1) }
                }
                if let u = block.upsampler {
                    f.step(channels: f.channels, height: 2 * f.height, width: 2 * f.width) { u.forward($0, $2, $3, s, into: $1) }
                }
            }
            f.step(channels: convNormOut.channels) { convNormOut.forward($0, hw: $2 * $3, silu: true, into: $1) }
            f.step(channels: convOut.outChannels) { convOut.run($0, $2, $3, s, into: $1) }
        }
    }
}
