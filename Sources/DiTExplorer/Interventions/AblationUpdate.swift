// Interventions in the explorer: X switches the selected block (or one of its branches) off and
// on in the adaLN-Zero pane, the selected head in the Attention pane. The ablations are a sampler
// setting (SamplerSettings.ablations), so the trajectory branches at the step on screen as for
// any other setting (Trajectory.swift), and recordings replay them through the same key.
import DiT

extension Explorer {
    static func toggleAblation(_ s: inout ExplorerState) -> [Effect] {
        let k = s.block
        var items = s.settings.ablations.items, switched: Ablation?
        let wasOn: Bool
        switch s.pane {
        case .adaLN:   // off → whole block → attention → (cross-attention) → MLP → on again
            let cycle = AblationCycle.block(k, s.model.config)
            let now = items.first { AblationCycle.isBranchOf(k, $0) }
            let next = cycle[((cycle.firstIndex(of: now) ?? 0) + 1) % cycle.count]
            items.removeAll { AblationCycle.isBranchOf(k, $0) }
            if let next { items.append(next) }
            switched = next ?? now
            wasOn = next == nil
        case .attention:
            guard s.attentionMode == .head else { s.message = "X switches one head off: press a for a single head"; return [] }
            let h = Ablation.head(block: k, head: s.head)
            wasOn = items.contains(h)
            if wasOn { items.removeAll { $0 == h } } else { items.append(h) }
            switched = h
        default:
            s.message = "X: a block in adaLN-Zero (4), a head in Attention (3)"
            return []
        }
        var new = s.settings
        new.ablations = AblationSet(items)
        let effects = branch(&s, new)
        if let switched { s.message = "\(switched) \(wasOn ? "on" : "off") from step \(s.k)" }
        return effects
    }
}

/// What X steps through on a block.
enum AblationCycle {
    static func block(_ k: Int, _ c: DiTConfig) -> [Ablation?] {
        [nil, .block(k), .branch(k, .attn)] + (c.conditioning == .crossAttention ? [.branch(k, .cross)] : []) + [.branch(k, .mlp)]
    }

    /// A whole-block or branch ablation of block k (not a head).
    static func isBranchOf(_ k: Int, _ a: Ablation) -> Bool {
        if case .head = a { return false }
        return a.blockIndex == k
    }
}
