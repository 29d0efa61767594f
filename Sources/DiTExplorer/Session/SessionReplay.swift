// Plays a recording back through the same update() with a real worker: inputs are applied in
// their recorded order, and where the recording says a worker event arrived, the replay waits
// for its own worker to produce that same event (same generation and step) and applies it
// there. The worker is deterministic (one seeded generator per step), so the same sequence of
// update() calls gives the same state, bit for bit, whatever the timing.
import DiT
import DiTRender
import Foundation

public final class SessionReplay {
    public let recording: Recording
    public let driver: SessionDriver
    private var next = 0
    private var pending: [WorkerEvent] = []     // the worker's events not yet asked for

    public init(_ recording: Recording, model: DiTModel, name: String) throws {
        let h = recording.header
        var setup = SessionSetup(model: model, name: name, settings: h.samplerSettings!)
        setup.colorMode = ColorMode(rawValue: h.color) ?? .truecolor
        setup.truecolorAvailable = h.truecolor
        setup.judged = true          // no judge runs in a replay; the screens keep their layout
        setup.background = false     // the trajectory alone: the footer checks nothing else
        do { driver = try Session.open(setup, screen: (h.width, h.height)) } catch let e as SettingError {
            throw DiTError(file: recording.path, field: "line 1: settings.\(SessionHeader.Settings.field(e.setting))", "\(e.value): expected \(e.expected)")
        }
        self.recording = recording
    }

    public var state: ExplorerState { driver.state }
    /// When the next entry happened (seconds after the start); nil at the end.
    public var nextTime: Double? { next < recording.entries.count ? recording.entries[next].entry.t : nil }

    public func start() { driver.start() }

    /// Applies the next entry (waiting up to `timeout` seconds for a worker event). False at the end.
    public func step(timeout: Double = 300) throws -> Bool {
        guard next < recording.entries.count else { return false }
        let (line, entry) = recording.entries[next]
        next += 1
        if let action = try entry.action(file: recording.path, line: line) {
            driver.apply(action)
        } else {
            driver.apply(.worker(try arrival(of: entry, line: line, timeout: timeout)))
        }
        return true
    }

    /// The worker's event that the marker names; older generations are dropped for good.
    private func arrival(of marker: SessionEntry, line: Int, timeout: Double) throws -> WorkerEvent {
        let g = marker.generation!
        // The marker was recorded because the event changed the state: it belongs to the
        // generation on screen and, for a step, is the next one. Anything else never comes.
        let st = driver.state
        let asked = min(st.target, st.stepCount)
        if marker.worker == "stepped", g == st.generation, marker.k! >= asked {   // never asked for: refused before the wait
            throw DiTError(file: recording.path, field: "line \(line): worker",
                           "stepped k = \(marker.k!) cannot arrive: the replayed keys asked the worker for \(asked) step(s) "
                           + "(a line that asked for more, such as End or →, is missing)")
        }
        let possible: Bool
        switch marker.worker {
        case "stepped": possible = g == st.generation && marker.k == st.current.steps.count && marker.k! < st.stepCount
        case "probed": possible = g == st.generation && marker.k! < st.current.steps.count
        default: possible = g == st.generation
        }
        guard possible else {
            throw DiTError(file: recording.path, field: "line \(line): worker",
                           "\(marker.worker!) k = \(marker.k ?? -1) of generation \(g) cannot arrive: the replay is at generation \(st.generation) with \(st.current.steps.count) of \(st.stepCount) steps computed")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            pending += driver.mailbox.drain()
            pending.removeAll { $0.generation < g }
            if let i = pending.firstIndex(where: { matches($0, marker) }) { return pending.remove(at: i) }
            if Date() > deadline {
                throw DiTError(file: recording.path, field: "line \(line): worker",
                               "the worker did not produce \(marker.worker!) k = \(marker.k ?? -1) of generation \(g) within \(Int(timeout)) s")
            }
            usleep(500)
        }
    }

    private func matches(_ e: WorkerEvent, _ m: SessionEntry) -> Bool {
        switch e {
        case .stepped(let g, let v): return m.worker == "stepped" && g == m.generation && v.k == m.k
        case .probed(let g, let k, _): return m.worker == "probed" && g == m.generation && k == m.k
        case .failed(let g, _): return m.worker == "failed" && g == m.generation
        case .forward, .compare, .decode, .ablationMap, .sheet: return false
        }
    }

    /// Plays every entry with no regard to time: the headless replay.
    public func runToEnd(timeout: Double = 300, after: (SessionEntry) -> Void = { _ in }) throws {
        while next < recording.entries.count {
            let entry = recording.entries[next].entry
            _ = try step(timeout: timeout)
            after(entry)
        }
    }

    /// Compares the end with the recording's footer: nil when identical, else what differs.
    public func mismatch() -> String? {
        guard let footer = recording.footer else { return "the recording has no footer (the session did not end cleanly)" }
        var problems: [String] = []
        if state.k != footer.k { problems.append("final step k = \(state.k), recorded \(footer.k)") }
        if state.steps.count != footer.computed { problems.append("\(state.steps.count) steps computed, recorded \(footer.computed)") }
        let sum = ImageChecksum(state)
        if sum.xt != footer.checksum.xt {
            var problem = "x_t checksum \(sum.xt), recorded \(footer.checksum.xt)"
            let now = state.xt.values
            if let recorded = footer.xt.flatMap(ImageChecksum.floats(base64:)), recorded.count == now.count {
                let d = zip(now, recorded).map { abs($0 - $1) }.max() ?? 0
                problem += String(format: " (max |Δ| %.2e over %d values", d, now.count)
                    + (d < 1e-3 ? ": the same image to float tolerance; bit differences this small come from floating-point kernels that sum in another order, e.g. another CPU's BLAS)" : ")")
            }
            problems.append(problem)
        }
        if sum.x0 != footer.checksum.x0 { problems.append("x̂0 checksum \(sum.x0 ?? "none"), recorded \(footer.checksum.x0 ?? "none")") }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    public func stop() { driver.workers.stop() }
}
