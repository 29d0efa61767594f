// The session recording, JSON lines: a header (format, version, model, start settings, screen),
// one entry per action that reached update() and mattered (every input; worker events and
// clock ticks only when they changed the state, as markers of when they arrived), and a footer
// with the final step and a checksum of its image. Enough to run the same update() calls again.
import DiT
import DiTRender
import Foundation

public struct SessionHeader: Codable, Equatable, Sendable {
    public static let formatName = "dit-session", currentVersion = 1

    public struct Model: Codable, Equatable, Sendable {
        public var dir: String
        public var name: String
        public var fingerprint: String      // ModelFingerprint of config.json and the weight headers
    }
    public struct Settings: Codable, Equatable, Sendable {
        public var sampler: String, steps: Int, eta: Float, cfg: Float, clip: Bool, label: Int, seed: UInt64
    }

    public var format: String
    public var version: Int
    public var model: Model
    public var settings: Settings
    public var width: Int, height: Int     // the screen at the start, in cells
    public var color: String               // colour mode at the start
    public var truecolor: Bool             // whether the terminal could show 24-bit colour
    public var date: String                // ISO 8601, for people

    /// The header of a session starting now in `state`, on the model in `modelDir`.
    public init(modelDir: String, state s: ExplorerState, width: Int, height: Int) {
        let st = s.settings, dir = URL(fileURLWithPath: modelDir).standardizedFileURL.path
        format = SessionHeader.formatName
        version = SessionHeader.currentVersion
        model = Model(dir: dir, name: s.model.name, fingerprint: ModelFingerprint.of(directory: dir))
        settings = Settings(sampler: st.kind.rawValue, steps: st.steps, eta: st.eta, cfg: st.cfgScale, clip: st.clip,
                            label: s.label, seed: st.seed)
        self.width = width; self.height = height
        color = s.colorMode.rawValue
        truecolor = s.truecolorAvailable
        date = ISO8601DateFormatter().string(from: Date())
    }

    public var samplerSettings: SamplerSettings? {
        guard let kind = SamplerKind(rawValue: settings.sampler) else { return nil }
        return SamplerSettings(kind: kind, steps: settings.steps, eta: settings.eta, cfgScale: settings.cfg,
                               clip: settings.clip, labels: [settings.label], seed: settings.seed)
    }
}

/// One action at `t` seconds after the start; exactly one of the optional fields is set.
public struct SessionEntry: Codable, Equatable, Sendable {
    public var t: Double
    public var key: String?
    public var click: [Int]?               // x, y, screen width, screen height
    public var scroll: Int?
    public var resize: [Int]?              // width, height
    public var tick: Double?               // the play clock's `now`
    public var exported: String?           // the report an export produced (replays do not write files)
    public var worker: String?             // "stepped", "probed" or "failed": which event arrived, not its data
    public var generation: Int?
    public var k: Int?

    public init(t: Double) { self.t = t }
}

public struct SessionFooter: Codable, Equatable, Sendable {
    public var end: Bool = true
    public var t: Double
    public var k: Int                       // the step on screen at the end
    public var computed: Int                // steps computed on the current branch
    public var checksum: ImageChecksum
}

/// FNV-1a (64-bit) over the little-endian bit patterns of the final x_t and, when step k was
/// computed, its x̂0: equal only when every float is bit for bit the same.
public struct ImageChecksum: Codable, Equatable, Sendable {
    public var algorithm = "fnv1a64-f32le"
    public var xt: String
    public var x0: String?

    public init(_ s: ExplorerState) {
        xt = ImageChecksum.hex(s.xt.values)
        x0 = s.view.map { ImageChecksum.hex($0.predX0.values) }
    }

    static func hex(_ values: [Float]) -> String {
        var h = FNV1a()
        for v in values { h.add(v.bitPattern.littleEndian) }
        return String(format: "%016llx", h.value)
    }
}

struct FNV1a {
    private(set) var value: UInt64 = 0xcbf29ce484222325
    mutating func add<S: Sequence>(bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x100000001b3 }
    }
    mutating func add(_ word: UInt32) { add(bytes: withUnsafeBytes(of: word) { Array($0) }) }
}

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
        }
    }

    /// The input this entry replays; nil for a worker marker (its data comes from the worker).
    /// Throws naming the field when the entry holds no valid action.
    func action(file: String, line: Int) throws -> Action? {
        func bad(_ field: String, _ expected: String) -> DiTError {
            DiTError(file: file, field: "line \(line): \(field)", expected)
        }
        if let key {
            guard let k = Key(recorded: key) else { throw bad("key", "expected one character or a key name (\(Key.names.values.sorted().joined(separator: ", "))), found \"\(key)\"") }
            return .key(k)
        }
        if let click {
            guard click.count == 4 else { throw bad("click", "expected [x, y, width, height]") }
            return .click(x: click[0], y: click[1], width: click[2], height: click[3])
        }
        if let scroll { return .scroll(scroll) }
        if let resize {
            guard resize.count == 2 else { throw bad("resize", "expected [width, height]") }
            return .resize(width: resize[0], height: resize[1])
        }
        if let tick { return .tick(now: tick) }
        if let exported { return .exported(exported) }
        if let worker {
            guard ["stepped", "probed", "failed"].contains(worker) else { throw bad("worker", "expected stepped, probed or failed, found \"\(worker)\"") }
            guard generation != nil, worker == "failed" || k != nil else { throw bad("worker", "expected a generation and k with the \(worker) marker") }
            return nil
        }
        throw bad("action", "expected one of key, click, scroll, resize, tick, exported, worker")
    }
}
