// The Forward pane's keys: in pane 6 they take precedence over the keys' other meanings.
import DiT
extension Keymap {
    static let forwardGroup = "Forward (pane 6)"
    static let forward = [
        Binding(keys: [.right, .left, .char("."), .char(",")], label: "→ ← . ,", command: .forward(.time(10)), help: "t ± 10 (arrows), ± 1 (. ,)"),
        Binding(keys: [.up, .down, .pageUp, .pageDown], label: "↑ ↓", command: .forward(.time(100)), help: "t ± 100"),
        Binding(keys: [.home, .end], label: "Home End", command: .forward(.timeTo(0)), help: "t = 0 / 999"),
        Binding(keys: [.char("c"), .char("C")], label: "c C", command: .forward(.imageClass(1)), help: "a real image of the next / previous class"),
        Binding(keys: [.char("i"), .char("I")], label: "i I", command: .forward(.image(1)), help: "next / previous image of the class"),
        Binding(keys: [.char("s"), .char("S")], label: "s S", command: .forward(.noise(1)), help: "another noise ε (seed ± 1)"),
        Binding(keys: [.char("y"), .char("Y")], label: "y Y", command: .forward(.sdeditClass(1)), help: "SDEdit class: next / previous"),
        Binding(keys: [.char("r"), .enter], label: "r ⏎", command: .forward(.sdedit), help: "SDEdit: sample from x_t (nearest step k)"),
    ]

    /// The groups the help lists in `pane`: a pane's own keys only there (the Forward pane's
    /// replace the trajectory's, whose arrows they take).
    static func groups(in pane: Pane) -> [(String, [Binding])] {
        if pane == .forward { return groups.filter { $0.0 == forwardGroup } + groups.filter { $0.0 != forwardGroup && $0.0 != calculatorGroup && $0.0 != "Trajectory" } }
        return groups.filter { $0.0 != forwardGroup && ($0.0 != calculatorGroup || pane == .calculator) }
    }

    /// What a key means in the Forward pane; the second keys of a binding go the other way.
    static func forwardCommand(for key: Key) -> Command? {
        switch key {
        case .left: return .forward(.time(-10))
        case .char("."): return .forward(.time(1))
        case .char(","): return .forward(.time(-1))
        case .down, .pageDown: return .forward(.time(-100))
        case .end: return .forward(.timeTo(GaussianDiffusion.numTrainTimesteps - 1))
        case .char("C"): return .forward(.imageClass(-1))
        case .char("I"): return .forward(.image(-1))
        case .char("S"): return .forward(.noise(-1))
        case .char("Y"): return .forward(.sdeditClass(-1))
        default: return forward.first { $0.keys.contains(key) }?.command
        }
    }
}
