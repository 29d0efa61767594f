// The keys while a lesson is open, in the same table form as the explorer's, so `?` lists them.
// Outside a lesson only L (in Keymap.groups) leads here.

extension Keymap {
    public static let lessonGroups: [(String, [Binding])] = [
        ("Lesson", [
            Binding(keys: [.right, .char("n"), .pageDown], label: "→ n PgDn", command: .lesson(.next), help: "next chapter"),
            Binding(keys: [.left, .char("p"), .pageUp], label: "← p PgUp", command: .lesson(.previous), help: "previous chapter"),
            Binding(keys: Chapter.allCases.map { .char(Character(String($0.rawValue + 1))) }, label: "1-\(Chapter.allCases.count)",
                    commands: Chapter.allCases.map { .lesson(.chapter($0.rawValue)) }, help: "go to chapter 1…\(Chapter.allCases.count)"),
            Binding([.down: .lesson(.scrollDown), .char("j"): .lesson(.scrollDown), .up: .lesson(.scrollUp), .char("k"): .lesson(.scrollUp)],
                    label: "↓ ↑ j k", help: "scroll the text"),
            Binding(keys: [.char("f")], label: "f", command: .lesson(.fullText), help: "the text across the whole width ⇄ beside the live pane"),
            Binding(keys: [.char("t"), .enter], label: "t Enter", command: .lesson(.tryIt), help: "try it: the explorer on this chapter's pane (L returns)"),
            Binding([.char("a"): .lesson(.predict(0)), .char("b"): .lesson(.predict(1)), .char("c"): .lesson(.predict(2))],
                    label: "a b c", help: "answer the chapter's question before it is revealed"),
            Binding(keys: [.char("s")], label: "s", command: .lesson(.skipPrediction), help: "skip the question: reveal its answer"),
            Binding(keys: [.char("g")], label: "g", command: .lesson(.language), help: "language: English ⇄ 日本語"),
            Binding(keys: [.char("d")], label: "d", command: .decode, help: "latent model: decode x̂0 of this step"),
            Binding(keys: [.char("L"), .escape], label: "L Esc", command: .lesson(.close), help: "leave the lesson for the explorer"),
            Binding([.char("w"): .export(.png), .char("G"): .export(.gif), .char("o"): .export(.npy), .char("A"): .export(.ansi)],
                    label: "w G o A", help: "export: chapter pane PNG, trajectory GIF / .npy, ANSI"),  // g: the language here
            Binding(keys: [.char("?")], label: "?", command: .help, help: "this help"),
            Binding(keys: [.char("q")], label: "q", command: .quit, help: "quit"),
        ]),
    ]

    /// The command a key means inside a lesson.
    public static func lessonCommand(for key: Key) -> Command? { Binding.lookup(key, in: lessonGroups) }
}
