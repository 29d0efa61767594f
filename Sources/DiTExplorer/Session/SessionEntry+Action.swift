// Actions to recording entries and back: a key as its character or its name, a worker event as a
// marker (which event, generation, step) without its data, every field checked on the way in.
import DiT

extension Key {
    static let names: [Key: String] = [
        .up: "up", .down: "down", .left: "left", .right: "right", .home: "home", .end: "end",
        .pageUp: "pageUp", .pageDown: "pageDown", .tab: "tab", .backTab: "backTab", .enter: "enter",
        .escape: "escape", .backspace: "backspace",
    ]

    /// A character as itself, a special key by its name (always longer than one character).
    var recorded: String {
        if case .char(let c) = self { return String(c) }
        return Key.names[self]!
    }

    init?(recorded text: String) {
        if text.count == 1 { self = .char(text.first!); return }
        guard let key = Key.names.first(where: { $0.value == text })?.key else { return nil }
        self = key
    }
}

extension SessionEntry {
    /// Screen sizes a recording may name, in cells (what a canvas is allocated for).
    static let screenRange = 1...2000

    init(_ action: Action, at t: Double) {
        self.init(t: t)
        switch action {
        case .key(let key): self.key = key.recorded
        case .click(let x, let y, let w, let h): click = [x, y, w, h]
        case .scroll(let d): scroll = d
        case .resize(let w, let h): resize = [w, h]
        case .tick(let now): tick = now
        case .exported(let report): exported = report
        case .worker(.stepped(let g, let view)): worker = "stepped"; generation = g; k = view.k
        case .worker(.probed(let g, let step, _)): worker = "probed"; generation = g; k = step
        case .worker(.failed(let g, _)): worker = "failed"; generation = g
        case .worker(.forward): worker = "forward"   // never recorded (SessionDriver.drain)
        case .worker(.compare): worker = "compare"   // never recorded either
        case .worker(.decode): worker = "decode"     // nor the decoder's pictures
        case .worker(.ablationMap): worker = "ablationMap"   // nor the ablation map
        case .worker(.sheet): worker = "sheet"               // nor the sheet's samples
        }
    }

    /// The input this entry replays; nil for a worker marker (its data comes from the worker).
    /// Throws naming the field when the entry holds no valid action.
    func action(file: String, line: Int) throws -> Action? {
        func bad(_ field: String, _ expected: String) -> DiTError {
            DiTError(file: file, field: "line \(line): \(field)", expected)
        }
        let set: [(String, Bool)] = [("key", key != nil), ("click", click != nil), ("scroll", scroll != nil), ("resize", resize != nil),
                                     ("tick", tick != nil), ("exported", exported != nil), ("worker", worker != nil)]
        if set.filter(\.1).count > 1 {
            throw bad(set.filter(\.1).map(\.0).joined(separator: ", "), "expected exactly one action in an entry")
        }
        if let key {
            guard let k = Key(recorded: key) else { throw bad("key", "expected one character or a key name (\(Key.names.values.sorted().joined(separator: ", "))), found \"\(key)\"") }
            return .key(k)
        }
        let screen = SessionEntry.screenRange
        if let click {
            guard click.count == 4, screen.contains(click[2]), screen.contains(click[3]),
                  (0..<click[2]).contains(click[0]), (0..<click[3]).contains(click[1]) else {
                throw bad("click", "expected [x, y, width, height]: a screen size in \(screen) and a cell on it")
            }
            return .click(x: click[0], y: click[1], width: click[2], height: click[3])
        }
        if let scroll { return .scroll(scroll) }
        if let resize {
            guard resize.count == 2, screen.contains(resize[0]), screen.contains(resize[1]) else {
                throw bad("resize", "expected [width, height], each in \(screen)")
            }
            return .resize(width: resize[0], height: resize[1])
        }
        if let tick { return .tick(now: tick) }
        if let exported { return .exported(exported) }
        if let worker {
            guard ["stepped", "probed", "failed"].contains(worker) else { throw bad("worker", "expected stepped, probed or failed, found \"\(worker)\"") }
            guard let g = generation, worker == "failed" || k != nil else { throw bad("worker", "expected a generation and k with the \(worker) marker") }
            guard g >= 0 else { throw bad("generation", "expected a generation ≥ 0, found \(g)") }
            if let k, !(0..<SamplerSettings.stepRange.upperBound).contains(k) {
                throw bad("k", "expected a step in 0…\(SamplerSettings.stepRange.upperBound - 1), found \(k)")
            }
            return nil
        }
        throw bad("action", "expected one of key, click, scroll, resize, tick, exported, worker")
    }
}
