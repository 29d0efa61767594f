// Fig. 5's "in-context" block (training/dit_model.py InContextBlock): t_emb and y_emb are two
// more tokens in front of the patches, s.x is (N, T + 2, D), and the block is a standard pre-LN
// ViT block with affine LayerNorms:
//   x = x + attn(norm1(x));  x = x + mlp(norm2(x))

enum InContextBlock {
    /// off: what ablations leave out of this block (nil: nothing); the t and y tokens pass unchanged too.
    static func apply(_ w: DiTBlockWeights, norm1: LayerNormWeights, norm2: LayerNormWeights, index: Int, _ s: RunState, _ c: DiTConfig,
                      _ off: BlockAblation? = nil) {
        let rows = s.n * c.sequenceLength, D = c.hiddenSize
        let add = { Ops.residual(s.x.data, s.branch.data, count: rows * D) }
        BlockParts.branch(off?.attention == true, probed: s.probes.attention[index] != nil, compute: {
            Ops.layerNorm(s.x.data, rows: rows, d: D, weight: norm1.weight.data, bias: norm1.bias.data, into: s.h.data)
            BlockParts.selfAttention(w, index: index, s, c, zeroing: off?.heads ?? [])
        }, add: add)

        BlockParts.branch(off?.mlp == true, compute: {
            Ops.layerNorm(s.x.data, rows: rows, d: D, weight: norm2.weight.data, bias: norm2.bias.data, into: s.h.data)
            BlockParts.mlp(w, s, c)
        }, add: add)
        BlockParts.recordTokenNorms(index: index, s, c)
    }
}
