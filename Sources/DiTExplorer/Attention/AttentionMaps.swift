// What the Attention pane plots, computed from a step's probes for one query token:
// one head's row of softmax(QKᵀ/√d), its mean over heads, and attention rollout
// (Abnar & Zuidema 2020): Ã_b = ½(Ā_b + I), rollout through block b = Ã_b ⋯ Ã_0, of which the
// query's row is taken by multiplying a one-hot vector from the left, O(depth · T²).

public enum AttentionMaps {
    /// Row `query` of head h of a (heads, T, T) block.
    public static func head(_ a: [Float], tokens T: Int, head h: Int, query q: Int) -> [Float] {
        Array(a[(h * T + q) * T..<(h * T + q + 1) * T])
    }

    /// Row `query` of the mean over heads.
    public static func mean(_ a: [Float], tokens T: Int, heads: Int, query q: Int) -> [Float] {
        var out = [Float](repeating: 0, count: T)
        for h in 0..<heads {
            let base = (h * T + q) * T
            for j in 0..<T { out[j] += a[base + j] }
        }
        return out.map { $0 / Float(heads) }
    }

    /// Row `query` of the rollout through blocks 0…last.
    public static func rollout(_ blocks: [[Float]], tokens T: Int, heads: Int, query q: Int, through last: Int) -> [Float] {
        var v = [Float](repeating: 0, count: T)
        v[q] = 1
        for b in stride(from: min(last, blocks.count - 1), through: 0, by: -1) {
            var out = [Float](repeating: 0, count: T)
            let a = blocks[b]
            for i in 0..<T where v[i] != 0 {
                let w = v[i] / Float(heads) * 0.5
                for h in 0..<heads {
                    let base = (h * T + i) * T
                    for j in 0..<T { out[j] += w * a[base + j] }
                }
                out[i] += 0.5 * v[i]
            }
            v = out
        }
        return v
    }

    /// The map the pane shows for the state's block, head, mode and query token.
    public static func selected(_ s: ExplorerState) -> [Float]? {
        guard let att = s.view?.attention, s.block < att.count else { return nil }
        let c = s.model.config, T = c.tokenCount
        switch s.attentionMode {
        case .head: return head(att[s.block], tokens: T, head: s.head, query: s.token)
        case .mean: return mean(att[s.block], tokens: T, heads: c.numHeads, query: s.token)
        case .rollout: return rollout(att, tokens: T, heads: c.numHeads, query: s.token, through: s.block)
        }
    }
}
