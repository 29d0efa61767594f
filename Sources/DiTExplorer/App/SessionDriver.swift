// The outside of update() for one session: applies actions, performs the effects update()
// returns (jobs for the workers, exports, whose report comes back as an action), drains the
// workers' mailbox, runs the play clock, and records every action that mattered. The terminal
// loop, the replay, the benchmark and the tests all drive the explorer through it.
import DiT
import Foundation

public final class SessionDriver {
    public private(set) var state: ExplorerState
    /// The sampler and the other workers: every effect goes to the ones it is for.
    public let workers: Workers
    public var worker: SamplerWorker { workers.sampler }
    public var mailbox: Mailbox { workers.mailbox }
    /// Writes exports; nil while replaying (the recording holds each export's report instead).
    public var exporter: Exporter?
    public var recorder: SessionRecorder?
    /// The screen in cells: what an ANSI export renders.
    public var screen: (width: Int, height: Int)
    let started = DispatchTime.now().uptimeNanoseconds

    public init(state: ExplorerState, workers: Workers, screen: (width: Int, height: Int),
                exporter: Exporter? = nil, recorder: SessionRecorder? = nil) {
        self.state = state; self.workers = workers; self.screen = screen
        self.exporter = exporter; self.recorder = recorder
    }

    /// A session with the sampler alone (a replay, a test): the other panes get no answers.
    public convenience init(state: ExplorerState, worker: SamplerWorker, mailbox: Mailbox, screen: (width: Int, height: Int),
                            exporter: Exporter? = nil, recorder: SessionRecorder? = nil) {
        precondition(worker.events === mailbox, "the worker posts to another mailbox")
        self.init(state: state, workers: Workers(sampler: worker), screen: screen, exporter: exporter, recorder: recorder)
    }

    /// Seconds since the session started: the play clock and the recording's time base.
    public var clock: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    /// Starts the workers and asks for the first step.
    public func start() {
        workers.start()
        perform(Explorer.start(&state))
    }

    /// An input (key, mouse, resize): recorded, then applied.
    public func send(_ action: Action) {
        recorder?.record(action, at: clock)
        apply(action)
    }

    /// update() and its effects, unrecorded.
    func apply(_ action: Action) {
        if case .resize(let w, let h) = action { screen = (w, h) }
        perform(Explorer.update(&state, action))
    }

    /// The workers' news. Returns whether the state changed; trajectory events that changed it are
    /// recorded (as markers: a replay takes their data from its own worker).
    @discardableResult
    public func drain() -> Bool {
        var changed = false
        for event in mailbox.drain() {
            let before = state
            apply(.worker(event))
            guard state != before else { continue }
            changed = true
            if event.isTrajectory { recorder?.record(.worker(event), at: clock) }   // the footer checks the trajectory only
        }
        return changed
    }

    /// The play clock. Returns whether it moved the state (and then records it).
    @discardableResult
    public func tick() -> Bool {
        let now = clock, k = state.k, playing = state.playing
        apply(.tick(now: now))
        guard state.k != k || state.playing != playing else { return false }
        recorder?.record(.tick(now: now), at: now)
        return true
    }

    /// Writes the recording's footer; the workers are left to the caller.
    public func finish() { recorder?.finish(state, at: clock) }

    /// The one effect dispatch: jobs to the workers, exports to the exporter (its report comes
    /// back as an action), quitting to the loop (through state.quit).
    func perform(_ effects: [Effect]) {
        for effect in effects {
            workers.perform(effect)
            if case .export(let kind) = effect, let exporter {
                send(.exported(exporter.write(kind, state, screen: screen)))
            }
        }
    }
}
