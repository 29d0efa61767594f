// diffusers UNetMidBlock2D as the VAE's encoder and decoder build it (temb None,
// attention_head_dim = C, so one head): resnets.0 → attentions.0 → resnets.1, all at C channels.
// mid_block_add_attention = false leaves the attention out.

struct UNetMidBlock2D {
    let resnets: [ResnetBlock2D]       // PREFIX.resnets.{0,1}
    let attention: AttentionBlock?     // PREFIX.attentions.0

    init(_ r: WeightReader, _ prefix: String, channels c: Int, groups: Int, addAttention: Bool) throws {
        resnets = try (0..<2).map { try ResnetBlock2D(r, "\(prefix).resnets.\($0)", in: c, out: c, groups: groups) }
        attention = addAttention ? try AttentionBlock(r, prefix + ".attentions.0", channels: c, groups: groups) : nil
    }

    func forward(_ f: inout FeatureFlow) {
        let (c, s) = (f.channels, f.scratch)
        f.step(channels: c) { resnets[0].forward($0, $2, $3, s, into: $1) }
        if let attention { f.step(channels: c) { attention.forward($0, $2, $3, s, into: $1) } }
        f.step(channels: c) { resnets[1].forward($0, $2, $3, s, into: $1) }
    }
}
