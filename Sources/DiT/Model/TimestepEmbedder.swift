// TimestepEmbedder's sinusoid (models.py timestep_embedding): 256 frequencies, max period 10000,
// cos then sin. Computed in float32 as the reference does (freqs and t·freqs are float32 tensors),
// so large t round the same way. The Linear-SiLU-Linear MLP runs in DiTModel.forward.
import Foundation

public enum TimestepEmbedding {
    /// out (N, 256) for timesteps t (N).
    public static func sinusoid(_ t: [Float], into out: UnsafeMutablePointer<Float>,
                                dim: Int = DiTConfig.frequencyEmbeddingSize, maxPeriod: Float = 10000) {
        let half = dim / 2
        let logMax = Float(log(Double(maxPeriod)))
        for (n, tn) in t.enumerated() {
            let row = out + n * dim
            for k in 0..<half {
                let freq = expf(-logMax * Float(k) / Float(half))
                let arg = tn * freq
                row[k] = cosf(arg)
                row[half + k] = sinf(arg)
            }
        }
    }
}
