// The Calculator pane's keys: in pane 5 they take precedence over the keys' other meanings.
extension Keymap {
    static let calculatorGroup = "Calculator (pane 5)"
    static let calculator = [
        Binding([.down: .calculatorFieldNext, .up: .calculatorFieldPrevious], label: "↓ ↑", help: "next / previous field"),
        Binding([.right: .calculatorIncrease, .char("+"): .calculatorIncrease, .char("="): .calculatorIncrease,
                 .left: .calculatorDecrease, .char("-"): .calculatorDecrease], label: "→ ← + -", help: "next / previous value of the field"),
        Binding(keys: [.char("r")], label: "r", command: .calculatorReset, help: "back to the loaded model's shape"),
        Binding([.pageDown: .calculatorScrollDown, .pageUp: .calculatorScrollUp], label: "PgDn PgUp", help: "scroll the pane (small screens)"),
    ]
}
