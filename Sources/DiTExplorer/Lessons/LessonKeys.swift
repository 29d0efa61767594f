// The keys while a lesson is open, in the same table form as the explorer's, so `?` lists them.
// Outside a lesson only L (in Keymap.groups) leads here.

extension Keymap {
    public static let lessonGroups: [(String, [Binding])] = [
        ("Lesson", [
            Binding(keys: [.right, .char("n"), .pageDown], label: "→ n PgDn", command: .lesson(.next), help: "next chapter"),
            Binding(keys: [.left, .char("p"), .pageUp], label: "← p PgUp", command: .lesson(.previous), help: "previous chapter"),
            Binding(keys: (1...Chapter.allCases.count).map { .char(Character(String($0))) }, label: "1-\(Chapter.allCases.count)",
                    command: .lesson(.chapter(0)), help: "go to chapter 1…\(Chapter.allCases.count)"),
            Binding(keys: [.down, .char("j"), .up, .char("k")], label: "↓ ↑ j k", command: .lesson(.scrollDown), help: "scroll the text"),
            Binding(keys: [.char("t"), .enter], label: "t Enter", command: .lesson(.tryIt), help: "try it: the explorer on this chapter's pane (L returns)"),
            Binding(keys: [.char("g")], label: "g", command: .lesson(.language), help: "language: English ⇄ 日本語"),
            Binding(keys: [.char("L"), .escape], label: "L Esc", command: .lesson(.close), help: "leave the lesson for the explorer"),
            Binding(keys: [.char("w"), .char("G"), .char("o"), .char("A")], label: "w G o A", command: .export(.png),
                    help: "export: chapter pane PNG, trajectory GIF / .npy, ANSI"),
            Binding(keys: [.char("?")], label: "?", command: .help, help: "this help"),
            Binding(keys: [.char("q")], label: "q", command: .quit, help: "quit"),
        ]),
    ]

    /// The command a key means inside a lesson. Second keys of a pair are the reverse command.
    public static func lessonCommand(for key: Key) -> Command? {
        switch key {
        case .up, .char("k"): return .lesson(.scrollUp)
        case .char("G"): return .export(.gif)     // g switches the language here
        case .char("o"): return .export(.npy)
        case .char("A"): return .export(.ansi)
        case .char(let c) where c.wholeNumberValue.map({ (1...Chapter.allCases.count).contains($0) }) ?? false:
            return .lesson(.chapter(c.wholeNumberValue! - 1))
        default:
            for (_, bindings) in lessonGroups { for b in bindings where b.keys.contains(key) { return b.command } }
            return nil
        }
    }
}
