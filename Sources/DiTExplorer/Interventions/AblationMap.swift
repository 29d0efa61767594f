// Which blocks matter when, for the model on screen: H in the adaLN-Zero pane shows, in place of
// the gates over the trajectory, the map of `dit ablate` (AblationSweep): every block switched
// off from a few start steps on, ‖Δx0‖ of the final sample. It is computed in the background by
// AblationMapWorker on a short trajectory of the same class, seed, guidance and sampler, while
// it is on screen; leaving the pane cancels it (a finished map is kept for the same settings).
import DiT
import DiTRender

public struct AblationMapState: Equatable, Sendable {
    public var shown = false                 // H: the map in place of the gates over the trajectory
    public var job = 0                       // the id of the last job asked for
    public var settings: SamplerSettings?    // what the map (or the job running) is of
    public var running = false
    public var done = 0, total = 0           // re-runs so far, of
    public var map: AblationMap?
    public var failure: String?
}

extension Explorer {
    /// The map's trajectory: steps (at most mapSteps) of the one on screen, without its ablations.
    static let mapSteps = 10, mapStarts = 4

    static func mapSettings(_ s: ExplorerState) -> SamplerSettings {
        var st = s.settings
        st.ablations = .none
        st.steps = min(st.steps, mapSteps)
        return st
    }

    /// Lesson 4's sentence on the map: which block matters most when switched off from the first
    /// start step, which from the last; or how to get the map.
    static func mapFinding(_ s: ExplorerState) -> String {
        let en = s.lesson.language == .en
        guard let m = s.ablationMap.map, let first = m.startSteps.first, let last = m.startSteps.last else {
            return en ? " (Not computed yet: t, then H.)" : "（まだ計算していません：t のあと H。）"
        }
        func top(_ j: Int) -> (Int, String) {
            let b = m.delta.indices.max { m.delta[$0][j] < m.delta[$1][j] } ?? 0
            return (b, Format.f(m.delta[b][j], 2))
        }
        let (a, va) = top(0), (b, vb) = top(m.startSteps.count - 1)
        return en ? " On this model, off from step \(first) on, block \(a) changes the sample most (‖Δx0‖ \(va)); off only from step \(last) on, block \(b) (\(vb))."
                  : "このモデルでは、ステップ \(first) から消すと一番効くのはブロック \(a)（‖Δx0‖ \(va)）、ステップ \(last) からだけ消すとブロック \(b)（\(vb)）です。"
    }

    static func toggleAblationMap(_ s: inout ExplorerState) -> [Effect] {
        s.ablationMap.shown.toggle()
        return []
    }

    /// Due while the map is on screen and not computed for these settings; a cancel when it left.
    static func ablationMapJobs(_ s: inout ExplorerState, _ screen: OnScreen) -> [Effect] {
        let m = s.ablationMap
        guard screen.shows(.adaLN) && m.shown else {
            guard m.running else { return [] }
            s.ablationMap.running = false
            s.ablationMap.settings = nil
            return [.ablationMap(AblationMapJob(id: -1, settings: nil, starts: 0))]
        }
        let st = mapSettings(s)
        if m.settings == st && (m.running || m.map != nil || m.failure != nil) { return [] }
        s.ablationMap = AblationMapState(shown: true, job: m.job + 1, settings: st, running: true)
        return [.ablationMap(AblationMapJob(id: m.job + 1, settings: st, starts: mapStarts))]
    }

    static func receivedAblationMap(_ e: AblationMapEvent, _ s: inout ExplorerState) {
        switch e {
        case let .progress(id, done, total) where id == s.ablationMap.job:
            s.ablationMap.done = done; s.ablationMap.total = total
        case let .finished(id, map) where id == s.ablationMap.job:
            s.ablationMap.map = map; s.ablationMap.running = false
        case let .failed(id, text) where id == s.ablationMap.job:
            s.ablationMap.failure = text; s.ablationMap.running = false
        default: break   // a stale job's
        }
    }
}

enum AblationMapView {
    /// The map for `blocks` (the pane's window of blocks), block ↓ × start step →, numbers on colour.
    static func draw(_ s: ExplorerState, _ c: inout Canvas, _ r: Rect, blocks: Range<Int>) {
        guard r.height >= 4 else { return }
        let m = s.ablationMap, st = Explorer.mapSettings(s)
        c.put("which blocks matter when: ‖Δx0‖ of the final sample, block off from step k on (H: gates)",
              x: r.x, y: r.y, attrs: .bold, maxWidth: r.width)
        c.put("\(Format.sampler(st)) · \(st.steps) steps · \(s.model.className(st.labels.first ?? 0)) · \(Format.guidance(st)) · seed \(st.seed)",
              x: r.x, y: r.y + 1, fg: RGB.dim, maxWidth: r.width)
        guard let map = m.map else {
            let note = m.failure.map { "failed: " + $0 } ?? "computing in the background: \(m.done)/\(m.total == 0 ? "…" : "\(m.total)") re-runs"
            c.put(note, x: r.x, y: r.y + 2, fg: m.failure == nil ? RGB.accent : RGB.bad, maxWidth: r.width)
            return
        }
        let cell = 7, hi = max(1e-9, map.delta.flatMap { $0 }.max() ?? 0), ascii = s.colorMode == .ascii
        for (j, k) in map.startSteps.enumerated() { c.put("k=\(k)", x: r.x + 7 + j * cell, y: r.y + 2, fg: RGB.accent) }
        for (row, b) in blocks.prefix(r.height - 4).enumerated() where b < map.delta.count {
            c.put("blk \(b)", x: r.x, y: r.y + 3 + row, fg: b == s.block ? RGB.accent : RGB.dim)
            for (j, v) in map.delta[b].enumerated() {
                let text = Format.f(v, 2).padding(toLength: cell - 1, withPad: " ", startingAt: 0)
                let bg = ascii ? nil : ColorMap.viridis.color(v / hi)
                c.put(text, x: r.x + 7 + j * cell, y: r.y + 3 + row, fg: ascii ? nil : (v / hi > 0.6 ? RGB.black : RGB.white), bg: bg)
            }
        }
        c.put("‖x0‖ = \(Format.f(map.baselineNorm, 2)) without ablation; dit ablate draws the same map",
              x: r.x, y: r.y + 3 + min(blocks.count, r.height - 4), fg: RGB.dim, maxWidth: r.width)
    }
}
