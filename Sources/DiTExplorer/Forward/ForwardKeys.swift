// The Forward pane's keys: in pane 6 they take precedence over the keys' other meanings.
import DiT
extension Keymap {
    static let forwardGroup = "Forward (pane 6)"
    static let forward = [
        Binding([.right: .forward(.time(10)), .left: .forward(.time(-10)), .char("."): .forward(.time(1)), .char(","): .forward(.time(-1))],
                label: "→ ← . ,", help: "t ± 10 (arrows), ± 1 (. ,)"),
        Binding([.up: .forward(.time(100)), .pageUp: .forward(.time(100)), .down: .forward(.time(-100)), .pageDown: .forward(.time(-100))],
                label: "↑ ↓", help: "t ± 100"),
        Binding([.home: .forward(.timeTo(0)), .end: .forward(.timeTo(GaussianDiffusion.numTrainTimesteps - 1))],
                label: "Home End", help: "t = 0 / 999"),
        Binding([.char("c"): .forward(.imageClass(1)), .char("C"): .forward(.imageClass(-1))], label: "c C", help: "a real image of the next / previous class"),
        Binding([.char("i"): .forward(.image(1)), .char("I"): .forward(.image(-1))], label: "i I", help: "next / previous image of the class"),
        Binding([.char("s"): .forward(.noise(1)), .char("S"): .forward(.noise(-1))], label: "s S", help: "another noise ε (seed ± 1)"),
        Binding([.char("y"): .forward(.sdeditClass(1)), .char("Y"): .forward(.sdeditClass(-1))], label: "y Y", help: "SDEdit class: next / previous"),
        Binding([.char("r"): .forward(.sdedit), .enter: .forward(.sdedit)], label: "r ⏎", help: "SDEdit: sample from x_t (nearest step k)"),
    ]
}
