// Fixed 2-D sin-cos position embedding (models.py get_2d_sincos_pos_embed, after MAE).
// For the token at grid row i, column j: the first D/2 dims embed the column j, the last D/2
// the row i (np.meshgrid(grid_w, grid_h) puts w first). Computed in float64, stored float32.
import Foundation

public enum PosEmbed {
    /// (1, T, D) with T = gridSize².
    public static func sinCos2D(dim: Int, gridSize: Int) -> Tensor {
        let out = Tensor([1, gridSize * gridSize, dim])
        let half = dim / 2, quarter = half / 2
        for i in 0..<gridSize {
            for j in 0..<gridSize {
                let row = out.data + (i * gridSize + j) * dim
                for (offset, pos) in [(0, j), (half, i)] {
                    for k in 0..<quarter {
                        let omega = 1 / pow(10000.0, Double(k) / Double(quarter))
                        let a = Double(pos) * omega
                        row[offset + k] = Float(sin(a))            // sin first, then cos
                        row[offset + quarter + k] = Float(cos(a))
                    }
                }
            }
        }
        return out
    }
}
