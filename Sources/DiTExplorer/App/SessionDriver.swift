// The outside of update() for one session: applies actions, performs the effects update()
// returns (worker requests, exports, whose report comes back as an action), drains the worker's
// mailbox, runs the play clock, and records every action that mattered. The terminal loop, the
// replay and the tests all drive the explorer through it.
import DiT
import Foundation

public final class SessionDriver {
    public private(set) var state: ExplorerState
    public let worker: SamplerWorker
    public let mailbox: Mailbox
    /// Writes exports; nil while replaying (the recording holds each export's report instead).
    public var exporter: Exporter?
    public var recorder: SessionRecorder?
    /// The Forward pane's model calls (nil: the pane shows no predictions, as in a replay).
    public var forward: ForwardWorker?
    /// The Compare pane's models (nil: the pane says none are open, as in a replay).
    public var compare: CompareWorker?
    /// Lesson 4's Fig. 5 block designs (nil: its boxes show diagrams only).
    public var designs: CompareWorker?
    /// A latent model's VAE decoder (nil: a pixel model, or a replay: no pictures are decoded).
    public var decoder: DecodeWorker?
    /// The screen in cells: what an ANSI export renders.
    public var screen: (width: Int, height: Int)
    let started = DispatchTime.now().uptimeNanoseconds

    public init(state: ExplorerState, worker: SamplerWorker, mailbox: Mailbox, screen: (width: Int, height: Int),
                exporter: Exporter? = nil, recorder: SessionRecorder? = nil) {
        self.state = state; self.worker = worker; self.mailbox = mailbox; self.screen = screen
        self.exporter = exporter; self.recorder = recorder
    }

    /// Seconds since the session started: the play clock and the recording's time base.
    public var clock: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    /// Starts the worker and asks for the first step.
    public func start() {
        worker.start()
        forward?.start()
        compare?.start()
        designs?.start()
        decoder?.start()
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

    /// The worker's news. Returns whether the state changed; events that changed it are recorded
    /// (as markers: a replay takes their data from its own worker).
    @discardableResult
    public func drain() -> Bool {
        var changed = false
        for event in mailbox.drain() {
            let before = state
            apply(.worker(event))
            guard state != before else { continue }
            changed = true
            if case .forward = event { continue }   // not recorded: the footer checks the trajectory only
            if case .compare = event { continue }
            if case .decode = event { continue }
            recorder?.record(.worker(event), at: clock)
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

    /// Writes the recording's footer; the worker is left to the caller.
    public func finish() { recorder?.finish(state, at: clock) }

    func perform(_ effects: [Effect]) {
        for effect in effects {
            if case .request(let r) = effect { worker.submit(r) }
            if case .forward(let job) = effect { forward?.submit(job) }
            if case .compare(let job) = effect { (job.target == .pane ? compare : designs)?.submit(job) }
            if case .decode(let job) = effect { decoder?.submit(job) }
            if case .export(let kind) = effect, let exporter {
                send(.exported(exporter.write(kind, state, screen: screen)))
            }
        }
    }
}
