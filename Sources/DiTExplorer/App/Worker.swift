// One protocol for the explorer's background workers, and the bundle a session hands its driver.
// A worker owns a thread (and a model or decoder of its own), takes the jobs of its kind from
// the effects update() returns, and posts its events to the session's mailbox. The driver, the
// replay and the benchmark give every effect to the bundle: adding a worker adds an entry to
// the bundle, not a case to any dispatch.
import Foundation

public protocol Worker: AnyObject {
    associatedtype Job
    /// This worker's job, when `effect` carries one (nil: another worker's effect, or none).
    func job(in effect: Effect) -> Job?
    /// Starts the thread; it sleeps until a job comes.
    func start()
    /// Replaces the job of its kind not started yet (the one running finishes between forward passes).
    func submit(_ job: Job)
    /// Drops the work asked for; what runs finishes, and its event is stale.
    func cancel()
    /// Asks the thread to stop after its current piece of work; waits at most `timeout` seconds.
    /// Returns whether it stopped (a thread still inside a forward pass blocks exit()).
    @discardableResult func stop(timeout: Double) -> Bool
    /// Where its events go, as WorkerEvents: the session's mailbox, drained once a loop turn.
    var events: Mailbox { get }
}

extension Worker {
    /// Submits the job `effect` carries when it is this worker's; returns whether it was.
    @discardableResult
    public func perform(_ effect: Effect) -> Bool {
        guard let job = job(in: effect) else { return false }
        submit(job)
        return true
    }
}

/// A session's workers: the sampler (the trajectory, which every session has) and the others
/// (the Forward pane's, the Compare pane's, lesson 4's designs, a latent model's decoder).
public final class Workers {
    public let sampler: SamplerWorker
    public private(set) var others: [any Worker]
    public var mailbox: Mailbox { sampler.events }

    public init(sampler: SamplerWorker, _ others: [any Worker] = []) {
        self.sampler = sampler; self.others = others
    }

    /// One more worker (before start()).
    public func add(_ worker: any Worker) { others.append(worker) }

    public var all: [any Worker] { [sampler] + others }

    public func start() { for w in all { w.start() } }

    /// Hands an effect to the workers it is for.
    public func perform(_ effect: Effect) { for w in all { w.perform(effect) } }

    /// Stops every worker, each waiting at most `timeout`; false when one is still running.
    @discardableResult
    public func stop(timeout: Double = 2) -> Bool {
        all.map { $0.stop(timeout: timeout) }.allSatisfy { $0 }
    }
}
