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
        // Absent in sessions recorded before the solvers and guidance lab: no Karras σ, plain CFG.
        public var karras: Bool?
        public var cfgInterval: [Float]?    // [LO, HI] model timesteps; absent: every step
        public var cfgSchedule: String?     // constant, linear or cosine
        public var thresholding: Bool?      // DPM-Solver++'s x̂0 clipping; absent: off
        public var ablations: [String]?     // Ablation specs ("block.3", "head.2.1"); absent: none
        /// The header field of each sampler setting, for messages.
        static func field(_ setting: SettingError.Setting) -> String {
            switch setting {
            case .steps: return "steps"
            case .cfgScale: return "cfg"
            case .eta: return "eta"
            case .labels, .noise: return "label"
            case .karras: return "karras"
            case .thresholding: return "thresholding"
            case .cfgInterval: return "cfgInterval"
            case .sampler: return "sampler"
            case .start, .startStep: return "init"
            }
        }
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
                            label: s.label, seed: st.seed, karras: st.karras,
                            cfgInterval: st.cfgInterval.map { [$0.lowerBound, $0.upperBound] }, cfgSchedule: st.cfgSchedule.rawValue,
                            thresholding: st.thresholding ? true : nil,
                            ablations: st.ablations.isEmpty ? nil : st.ablations.items.map(\.description))
        self.width = width; self.height = height
        color = s.colorMode.rawValue
        truecolor = s.truecolorAvailable
        date = ISO8601DateFormatter().string(from: Date())
    }

    /// The start settings; nil when a value is not one dit knows (an unknown sampler, ramp, interval or ablation).
    public var samplerSettings: SamplerSettings? {
        guard let kind = SamplerKind(rawValue: settings.sampler),
              let schedule = GuidanceSchedule(rawValue: settings.cfgSchedule ?? GuidanceSchedule.constant.rawValue) else { return nil }
        var interval: ClosedRange<Float>?
        if let r = settings.cfgInterval {
            guard r.count == 2, r[0] <= r[1] else { return nil }
            interval = r[0]...r[1]
        }
        guard let ablations = try? AblationSet(specs: settings.ablations ?? []) else { return nil }
        return SamplerSettings(kind: kind, steps: settings.steps, eta: settings.eta, cfgScale: settings.cfg,
                               clip: settings.clip, labels: [settings.label], seed: settings.seed,
                               karras: settings.karras ?? false, cfgInterval: interval, cfgSchedule: schedule,
                               thresholding: settings.thresholding ?? false, ablations: ablations)
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
    /// The final x_t itself (base64 of its float32 little-endian values, 4 KB for 32×32): when
    /// the checksums differ, the replay can say by how much (another CPU's BLAS kernels may sum
    /// in another order and change the last bits).
    public var xt: String? = nil
}
