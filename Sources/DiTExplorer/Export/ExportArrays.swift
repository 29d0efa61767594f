// The trajectory and the attention as arrays for NumPy: the same float32 values the sampler
// produced (no colour map, no scaling), in the reference's NCHW order.
import DiT

public enum ExportArrays {
    /// x_t of every computed step and the one after the last, (n + 1, C, H, W); x̂0 and ε̂ of
    /// every computed step, (n, C, H, W). Nil before the first step is computed.
    public static func trajectory(_ s: ExplorerState) -> (xt: Tensor, predX0: Tensor, eps: Tensor)? {
        let steps = s.current.steps
        guard !steps.isEmpty else { return nil }
        return (stack([s.current.xT] + steps.map(\.next)), stack(steps.map(\.predX0)), stack(steps.map(\.eps)))
    }

    /// The attention probabilities of step k, (blocks, heads, T, T); nil when not kept.
    public static func attention(_ s: ExplorerState) -> Tensor? {
        guard let a = s.view?.attention, !a.isEmpty, a.allSatisfy({ !$0.isEmpty }) else { return nil }
        let c = s.model.config, T = c.tokenCount
        return Tensor([a.count, c.numHeads, T, T], a.flatMap { $0 })
    }

    /// Images of one shape, stacked along a new first axis.
    static func stack(_ planes: [Planes]) -> Tensor {
        let p = planes[0]
        return Tensor([planes.count, p.channels, p.height, p.width], planes.flatMap(\.values))
    }
}
