// TimestepEmbedder (models.py): t -> sinusoid (256) -> Linear -> SiLU -> Linear -> (N, D).
// The sinusoid (timestep_embedding): 256 frequencies, max period 10000, cos then sin, computed in
// float32 as the reference does (freqs and t·freqs are float32 tensors), so large t round the
// same way. Diffusers' Timesteps(256, flip_sin_to_cos=True, downscale_freq_shift=1) is the same
// with the exponent divided by 127 instead of 128 (config.timestepDownscaleFreqShift).
import Foundation

/// t_embedder and y_embedder together: what c = t_embedder(t) + y_embedder(y) needs. Diffusers
/// stores one per block (transformer_blocks.i.norm1.emb, a CombinedTimestepLabelEmbeddings).
public struct ConditionEmbedderWeights {
    public var mlp0: LinearWeights      // t_embedder.mlp.0 (D, 256), (D)
    public var mlp2: LinearWeights      // t_embedder.mlp.2 (D, D), (D)
    public var labelTable: Tensor       // y_embedder.embedding_table (classes + 1, D); row num_classes = null
    var tensors: [Tensor] { mlp0.tensors + mlp2.tensors + [labelTable] }
}

enum TimestepEmbedder {
    /// s.c (N, D) = t_embedder(t); the label embedding is added to it next (LabelEmbedder).
    static func apply(_ t: [Float], _ e: ConditionEmbedderWeights, _ s: RunState, _ c: DiTConfig) {
        let N = s.n, D = c.hiddenSize
        TimestepEmbedding.sinusoid(t, into: s.tFreq.data, downscaleFreqShift: c.timestepDownscaleFreqShift)               // (N, 256)
        BLAS.linear(s.tFreq.data, rows: N, e.mlp0.weight, e.mlp0.bias, into: s.tHidden.data)  // (N, D)
        Ops.silu(s.tHidden.data, count: N * D, into: s.tHidden.data)
        BLAS.linear(s.tHidden.data, rows: N, e.mlp2.weight, e.mlp2.bias, into: s.c.data)                   // (N, D)
    }
}

public enum TimestepEmbedding {
    /// out (N, 256) for timesteps t (N).
    public static func sinusoid(_ t: [Float], into out: UnsafeMutablePointer<Float>,
                                dim: Int = DiTConfig.frequencyEmbeddingSize, maxPeriod: Float = 10000,
                                downscaleFreqShift: Int = 0) {
        let half = dim / 2
        let logMax = Float(log(Double(maxPeriod)))
        for (n, tn) in t.enumerated() {
            let row = out + n * dim
            for k in 0..<half {
                let freq = expf(-logMax * Float(k) / Float(half - downscaleFreqShift))
                let arg = tn * freq
                row[k] = cosf(arg)
                row[half + k] = sinf(arg)
            }
        }
    }
}
