// The ablation key, X, in the two panes where it has a target: the selected block (or branch) in
// the adaLN-Zero pane, the selected head in the Attention pane. Elsewhere X means nothing.
extension Keymap {
    static let adaLNGroup = "adaLN-Zero (pane 4)", attentionGroup = "Attention (pane 3)"
    static let adaLN = [
        Binding(keys: [.char("X")], label: "X", command: .ablate, help: "block ] [ off: whole, attn, mlp, on (branches at k)"),
        Binding(keys: [.char("H")], label: "H", command: .ablationMap, help: "which blocks matter when: the ablation map / the gates"),
    ]
    static let attention = [
        Binding(keys: [.char("X")], label: "X", command: .ablate, help: "head } { off / on (branches at k)"),
    ]
}
