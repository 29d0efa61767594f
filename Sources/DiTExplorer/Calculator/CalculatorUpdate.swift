// The Calculator pane's keys: select a field, change its value, reset to the loaded model.
import DiT

extension Explorer {
    /// Applies a calculator command; returns the message for the status line, if any.
    static func calculate(_ command: Command, _ calc: inout CalculatorState, model c: DiTConfig) -> String? {
        switch command {
        case .calculatorFieldNext: calc.select(1)
        case .calculatorFieldPrevious: calc.select(-1)
        case .calculatorIncrease, .calculatorDecrease:
            let up = command == .calculatorIncrease
            if !calc.change(up ? 1 : -1) { return "\(calc.field.title): already the \(up ? "last" : "first") choice" }
        case .calculatorScrollDown, .calculatorScrollUp:   // the view clamps it to what it has
            calc.scroll = max(0, min(40, calc.scroll + (command == .calculatorScrollDown ? 10 : -10)))
        case .calculatorReset:
            let field = calc.field
            calc = CalculatorState(model: c)
            calc.field = field
            return "calculator: back to the loaded model's shape"
        default: break
        }
        return nil
    }
}
