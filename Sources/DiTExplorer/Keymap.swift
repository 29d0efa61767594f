// Every key binding, once: update() dispatches through it and the help overlay lists it.

public enum Command: Equatable, Sendable {
    case stepForward, stepBack, playPause, jumpStart, jumpEnd
    case pane(Pane), nextPane, previousPane
    case classNext, classPrevious, cfgUp, cfgDown, seedNext, seedPrevious
    case stepsMore, stepsFewer, samplerNext, samplerPrevious, etaUp, etaDown
    case karras, cfgIntervalNext, cfgIntervalPrevious, cfgSchedule, guidanceView
    case compare, swapBranches
    case cursorUp, cursorDown, cursorLeft, cursorRight
    case blockNext, blockPrevious, headNext, headPrevious, attentionMode, overlayPatch, imageSource
    case colorMode, help, quit
    case calculatorFieldNext, calculatorFieldPrevious, calculatorIncrease, calculatorDecrease, calculatorReset
    case export(ExportKind)
    case lesson(LessonCommand)   // the lesson's own keys: Keymap.lessonGroups
    case forward(ForwardCommand) // the Forward pane's own keys: Keymap.forward
}

public struct Binding: Sendable {
    public let keys: [Key]
    public let label: String       // how the help overlay writes the keys
    public let command: Command
    public let help: String
}

public enum Keymap {
    public static let groups: [(String, [Binding])] = [
        ("Trajectory", [
            Binding(keys: [.right, .char(".")], label: "→ .", command: .stepForward, help: "next step (computes it if needed)"),
            Binding(keys: [.left, .char(",")], label: "← ,", command: .stepBack, help: "previous step"),
            Binding(keys: [.char(" ")], label: "space", command: .playPause, help: "play / pause"),
            Binding(keys: [.home, .char("0")], label: "Home 0", command: .jumpStart, help: "jump to the first step (x_T)"),
            Binding(keys: [.end, .char("$")], label: "End $", command: .jumpEnd, help: "run to the end and follow"),
        ]),
        ("Parameters (branch at the current step)", [
            Binding(keys: [.char("c"), .char("C")], label: "c C", command: .classNext, help: "next / previous class"),
            Binding(keys: [.char("+"), .char("="), .char("-")], label: "+ -", command: .cfgUp, help: "CFG scale ± 0.5 (1 = no guidance)"),
            Binding(keys: [.char("m"), .char("M")], label: "m M", command: .samplerNext, help: "sampler: DDIM, DDPM, DPM++2M, Euler, Heun"),
            Binding(keys: [.char("K")], label: "K", command: .karras, help: "Karras σ on / off (DPM++2M, Euler, Heun: restarts)"),
            Binding(keys: [.char("e"), .char("E")], label: "e E", command: .etaUp, help: "DDIM η ± 0.1"),
            Binding(keys: [.char("s"), .char("S")], label: "s S", command: .seedNext, help: "seed ± 1 (new x_T: restarts)"),
            Binding(keys: [.char("n"), .char("N")], label: "n N", command: .stepsMore, help: "more / fewer steps (new schedule: restarts)"),
            Binding(keys: [.char("t"), .char("T")], label: "t T", command: .cfgIntervalNext, help: "guidance interval of t: " + Explorer.guidanceIntervals.map { $0.map { "\(Int($0.lowerBound))–\(Int($0.upperBound))" } ?? "all" }.joined(separator: ", ")),
            Binding(keys: [.char("u")], label: "u", command: .cfgSchedule, help: "guidance ramp over t: constant, linear, cosine"),
            Binding(keys: [.char("b")], label: "b", command: .compare, help: "compare with the other branch"),
            Binding(keys: [.char("x")], label: "x", command: .swapBranches, help: "swap to the other branch"),
        ]),
        ("Panes", [
            Binding(keys: [.char("1"), .char("2"), .char("3"), .char("4"), .char("5"), .char("6"), .char("7")], label: "1-7", command: .pane(.denoising), help: "Denoise, Patches, Attn, adaLN, Calc, Forward, Compare"),
            Binding(keys: [.tab, .backTab], label: "Tab", command: .nextPane, help: "next / previous pane"),
            Binding(keys: [.char("h"), .char("j"), .char("k"), .char("l"), .up, .down], label: "hjkl ↑↓", command: .cursorLeft, help: "move the patch cursor (or click a patch)"),
            Binding(keys: [.char("]"), .char("[")], label: "] [", command: .blockNext, help: "next / previous block"),
            Binding(keys: [.char("}"), .char("{")], label: "} {", command: .headNext, help: "next / previous head"),
            Binding(keys: [.char("a")], label: "a", command: .attentionMode, help: "attention: head / mean of heads / rollout"),
            Binding(keys: [.char("p")], label: "p", command: .overlayPatch, help: "grid patch size: model p, 2, 4, 8"),
            Binding(keys: [.char("i")], label: "i", command: .imageSource, help: "image under the grid: x_t / x̂0 / ε̂"),
            Binding(keys: [.char("G")], label: "G", command: .guidanceView, help: "Denoising: ε_cond, ε_uncond, s·(ε_cond − ε_uncond)"),
        ]),
        (calculatorGroup, calculator),
        (forwardGroup, forward),
        ("Screen", [
            Binding(keys: [.char("v")], label: "v", command: .colorMode, help: "colours: truecolor / 256 / ASCII"),
            Binding(keys: [.char("w"), .char("g"), .char("o"), .char("A")], label: "w g o A", command: .export(.png),
                    help: "export: pane PNG, trajectory GIF / .npy, screen ANSI"),
            Binding(keys: [.char("?")], label: "?", command: .help, help: "this help"),
            Binding(keys: [.char("L")], label: "L", command: .lesson(.open), help: "guided lessons on DiT (after try-it: back to the chapter)"),
            Binding(keys: [.char("q"), .escape], label: "q Esc", command: .quit, help: "quit (Esc closes help first)"),
        ]),
    ]

    /// Only in the Calculator pane, where they take precedence over the keys' other meanings.
    static let calculatorGroup = "Calculator (pane 5)"
    static let calculator = [
        Binding(keys: [.down, .up], label: "↓ ↑", command: .calculatorFieldNext, help: "next / previous field"),
        Binding(keys: [.right, .char("+"), .char("="), .left, .char("-")], label: "→ ← + -", command: .calculatorIncrease,
                help: "next / previous value of the field"),
        Binding(keys: [.char("r")], label: "r", command: .calculatorReset, help: "back to the loaded model's shape"),
    ]

    /// The command a key means in `pane`.
    public static func command(for key: Key, in pane: Pane) -> Command? {
        if pane == .forward { return forwardCommand(for: key) ?? command(for: key) }
        guard pane == .calculator else { return command(for: key) }
        switch key {
        case .up: return .calculatorFieldPrevious
        case .left, .char("-"): return .calculatorDecrease
        default: return calculator.first { $0.keys.contains(key) }?.command ?? command(for: key)
        }
    }

    /// The command a key means outside the Calculator. Second keys of a pair are the reverse command.
    public static func command(for key: Key) -> Command? {
        switch key {
        case .char("C"): return .classPrevious
        case .char("-"): return .cfgDown
        case .char("E"): return .etaDown
        case .char("M"): return .samplerPrevious
        case .char("T"): return .cfgIntervalPrevious
        case .char("S"): return .seedPrevious
        case .char("N"): return .stepsFewer
        case .char("["): return .blockPrevious
        case .char("{"): return .headPrevious
        case .backTab: return .previousPane
        case .char("g"): return .export(.gif)
        case .char("o"): return .export(.npy)
        case .char("A"): return .export(.ansi)
        case .char("1"), .char("2"), .char("3"), .char("4"), .char("5"), .char("6"), .char("7"):
            if case .char(let c) = key, let n = c.wholeNumberValue, let p = Pane(rawValue: n - 1) { return .pane(p) }
            return nil
        case .char("h"): return .cursorLeft
        case .char("l"): return .cursorRight
        case .char("k"), .up: return .cursorUp
        case .char("j"), .down: return .cursorDown
        default:
            for (name, bindings) in groups where name != calculatorGroup && name != forwardGroup { for b in bindings where b.keys.contains(key) { return b.command } }
            return nil
        }
    }
}
