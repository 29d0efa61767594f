// Every key binding, once: update() dispatches through it and the help overlay lists it. Each
// key's command is written in its row (c next class, C previous): no switch overrides a row.

public enum Command: Equatable, Sendable {
    case stepForward, stepBack, playPause, jumpStart, jumpEnd
    case pane(Pane), nextPane, previousPane
    case classNext, classPrevious, cfgUp, cfgDown, seedNext, seedPrevious
    case stepsMore, stepsFewer, samplerNext, samplerPrevious, etaUp, etaDown
    case karras, cfgIntervalNext, cfgIntervalPrevious, cfgSchedule, guidanceView
    case compare, swapBranches, ablate, ablationMap
    case cursorUp, cursorDown, cursorLeft, cursorRight
    case blockNext, blockPrevious, headNext, headPrevious, attentionMode, overlayPatch, imageSource
    case colorMode, help, back, quit, zoom, panels(Int)
    case classSearch, decode
    case calculatorFieldNext, calculatorFieldPrevious, calculatorIncrease, calculatorDecrease, calculatorReset
    case calculatorScrollDown, calculatorScrollUp
    case export(ExportKind), sheet
    case lesson(LessonCommand)   // the lesson's own keys: Keymap.lessonGroups
    case forward(ForwardCommand) // the Forward pane's own keys: Keymap.forward
}

public struct Binding: Sendable {
    public let keys: [Key]
    public let label: String       // how the help overlay writes the keys
    public let commands: [Command] // one per key
    public let help: String

    /// Every key means `command`.
    public init(keys: [Key], label: String, command: Command, help: String) {
        self.init(keys: keys, label: label, commands: keys.map { _ in command }, help: help)
    }
    /// Each key its own command, as listed (next / previous pairs).
    public init(_ pairs: KeyValuePairs<Key, Command>, label: String, help: String) {
        self.init(keys: pairs.map(\.key), label: label, commands: pairs.map(\.value), help: help)
    }
    init(keys: [Key], label: String, commands: [Command], help: String) {
        precondition(keys.count == commands.count)
        self.keys = keys; self.label = label; self.commands = commands; self.help = help
    }

    /// What `key` means in this row, if it is one of its keys.
    public func command(for key: Key) -> Command? { keys.firstIndex(of: key).map { commands[$0] } }

    /// The same row with another help text (a translation).
    func with(help: String) -> Binding { Binding(keys: keys, label: label, commands: commands, help: help) }

    /// The command `key` has in the first row of `groups` that lists it.
    static func lookup(_ key: Key, in groups: [(String, [Binding])]) -> Command? {
        for (_, bindings) in groups { for b in bindings { if let c = b.command(for: key) { return c } } }
        return nil
    }
}

public enum Keymap {
    /// Every row, as the help lists them: the keys of every pane, each pane's own after the
    /// common ones (and before the screen's).
    public static let groups: [(String, [Binding])] = Array(common.dropLast()) + Pane.allCases.compactMap { $0.spec.keys } + common.suffix(1)

    /// The keys that mean the same in every pane.
    static let common: [(String, [Binding])] = [
        ("Trajectory", [
            Binding(keys: [.right, .char(".")], label: "→ .", command: .stepForward, help: "next step (computes it if needed)"),
            Binding(keys: [.left, .char(",")], label: "← ,", command: .stepBack, help: "previous step"),
            Binding(keys: [.char(" ")], label: "space", command: .playPause, help: "play / pause"),
            Binding(keys: [.home, .char("0")], label: "Home 0", command: .jumpStart, help: "jump to the first step (x_T)"),
            Binding(keys: [.end, .char("$")], label: "End $", command: .jumpEnd, help: "run to the end and follow"),
        ]),
        ("Parameters (branch at the current step)", [
            Binding([.char("c"): .classNext, .char("C"): .classPrevious], label: "c C", help: "next / previous class"),
            Binding(keys: [.char("/")], label: "/", command: .classSearch, help: "find a class by name: type, ↑↓, Enter picks, Esc back"),
            Binding([.char("+"): .cfgUp, .char("="): .cfgUp, .char("-"): .cfgDown], label: "+ -", help: "CFG scale ± 0.5 (1 = no guidance)"),
            Binding([.char("m"): .samplerNext, .char("M"): .samplerPrevious], label: "m M", help: "sampler: DDIM, DDPM, DPM++2M, Euler, Heun"),
            Binding(keys: [.char("K")], label: "K", command: .karras, help: "Karras σ on / off (DPM++2M, Euler, Heun: restarts)"),
            Binding([.char("e"): .etaUp, .char("E"): .etaDown], label: "e E", help: "DDIM η ± 0.1"),
            Binding([.char("s"): .seedNext, .char("S"): .seedPrevious], label: "s S", help: "seed ± 1 (new x_T: restarts)"),
            Binding([.char("n"): .stepsMore, .char("N"): .stepsFewer], label: "n N", help: "more / fewer steps (new schedule: restarts)"),
            Binding([.char("t"): .cfgIntervalNext, .char("T"): .cfgIntervalPrevious], label: "t T", help: "guidance interval of t: " + Explorer.guidanceIntervals.map { $0.map { "\(Int($0.lowerBound))–\(Int($0.upperBound))" } ?? "all" }.joined(separator: ", ")),
            Binding(keys: [.char("u")], label: "u", command: .cfgSchedule, help: "guidance ramp over t: constant, linear, cosine"),
            Binding(keys: [.char("b")], label: "b", command: .compare, help: "compare with the other branch"),
            Binding(keys: [.char("x")], label: "x", command: .swapBranches, help: "swap to the other branch"),
        ]),
        ("Panes", [
            Binding(keys: Pane.allCases.map { .char(Character(String($0.rawValue + 1))) }, label: "1-\(Pane.allCases.count)",
                    commands: Pane.allCases.map { .pane($0) }, help: Pane.allCases.map(\.shortTitle).joined(separator: ", ")),
            Binding([.tab: .nextPane, .backTab: .previousPane], label: "Tab", help: "next / previous pane"),
            Binding([.char("h"): .cursorLeft, .char("j"): .cursorDown, .char("k"): .cursorUp, .char("l"): .cursorRight,
                     .up: .cursorUp, .down: .cursorDown], label: "hjkl ↑↓", help: "move the patch cursor (or click a patch)"),
            Binding([.char("]"): .blockNext, .char("["): .blockPrevious], label: "] [", help: "next / previous block"),
            Binding([.char("}"): .headNext, .char("{"): .headPrevious], label: "} {", help: "next / previous head"),
            Binding(keys: [.char("a")], label: "a", command: .attentionMode, help: "attention: head / mean of heads / rollout"),
            Binding(keys: [.char("p")], label: "p", command: .overlayPatch, help: "grid patch size: model p, 2, 4, 8"),
            Binding(keys: [.char("i")], label: "i", command: .imageSource, help: "image under the grid: x_t / x̂0 / ε̂"),
            Binding(keys: [.char("G")], label: "G", command: .guidanceView, help: "Denoising: ε_cond, ε_uncond, s·(ε_cond − ε_uncond)"),
            Binding(keys: [.char("z")], label: "z", command: .zoom, help: "Denoising zoom: x̂0 (or decoded), x_t, ε̂ alone, then all"),
            Binding([.char(">"): .panels(1), .char("<"): .panels(-1)], label: "> <", help: "next / previous panels, when not all fit"),
            Binding(keys: [.char("d")], label: "d", command: .decode, help: "latent model: decode x̂0 of this step (VAE, background)"),
        ]),
        ("Screen", [
            Binding(keys: [.char("v")], label: "v", command: .colorMode, help: "colours: truecolor / 256 / ASCII"),
            Binding([.char("w"): .export(.png), .char("g"): .export(.gif), .char("o"): .export(.npy), .char("A"): .export(.ansi),
                     .char("W"): .sheet], label: "w g o A W", help: "export: pane PNG, trajectory GIF / .npy, ANSI, W sheet"),
            Binding(keys: [.char("?")], label: "?", command: .help, help: "this help"),
            Binding(keys: [.char("L")], label: "L", command: .lesson(.open), help: "guided lessons on DiT (after try-it: back to the chapter)"),
            Binding(keys: [.escape], label: "Esc", command: .back, help: "back: closes help, compare, try-it (never quits)"),
            Binding(keys: [.char("q")], label: "q", command: .quit, help: "quit"),
        ]),
    ]

    /// The command a key means in `pane`: the pane's own rows first there.
    public static func command(for key: Key, in pane: Pane) -> Command? {
        pane.spec.keys.flatMap { Binding.lookup(key, in: [$0]) } ?? command(for: key)
    }

    /// The command a key means outside the panes with keys of their own.
    public static func command(for key: Key) -> Command? {
        Binding.lookup(key, in: common)
    }

    /// The groups the help lists in `pane`: a pane's own keys only there (before the screen's;
    /// first, in place of the trajectory's, when they take the trajectory's keys).
    static func groups(in pane: Pane) -> [(String, [Binding])] {
        let own = pane.spec.keys.map { [$0] } ?? []
        if pane.spec.replacesTrajectoryKeys { return own + common.filter { $0.0 != "Trajectory" } }
        return Array(common.dropLast()) + own + common.suffix(1)
    }
}
