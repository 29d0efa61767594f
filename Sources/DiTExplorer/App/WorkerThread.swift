// A worker's thread and its stop handshake, shared by the Sampler, Forward and Decode workers:
// one condition guards the worker's state, the loop sleeps on it until there is work or a stop.
import DiT
import Foundation

final class WorkerThread: @unchecked Sendable {
    let cond = NSCondition()
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    /// Runs `body` on its own thread (8 MB stack: the forward pass recurses little, but deep enough).
    func start(name: String, _ body: @escaping () -> Void) {
        let t = Thread(block: body)
        t.name = name
        t.stackSize = 8 << 20
        t.start()
    }

    /// Locks, waits until `ready()` or a stop. True: there is work, the lock is held. False: the
    /// loop must return (the lock is released and the stop acknowledged).
    func waitForWork(_ ready: () -> Bool) -> Bool {
        cond.lock()
        while !stopped && !ready() { cond.wait() }
        if stopped { cond.unlock(); finished.signal(); return false }
        return true
    }

    /// Waits for the next job: `take` hands it over (and forgets it) under the lock; nil: stop.
    func next<Job>(_ take: () -> Job?) -> Job? {
        var got: Job?
        guard waitForWork({ got = take(); return got != nil }) else { return nil }
        cond.unlock()
        return got
    }

    /// Whether a stop was asked for (a long piece of work checks it between steps).
    var stopping: Bool { cond.lock(); defer { cond.unlock() }; return stopped }

    /// Asks the loop to stop after its current piece of work; waits at most `timeout` seconds.
    /// Returns whether it stopped (a thread still inside a forward pass blocks exit()).
    func stop(timeout: Double) -> Bool {
        cond.lock(); stopped = true; cond.signal(); cond.unlock()
        return finished.wait(timeout: .now() + timeout) == .success
    }
}

/// A worker with its own DiTModel (sharing the weights) and one job slot: a newer job replaces
/// the one not started yet, and the one running asks `superseded` between its pieces of work.
/// The ablation map's and the sheet's workers are this with their `work`.
public class SlotWorker<Job>: @unchecked Sendable {
    let model: DiTModel, mailbox: Mailbox
    private let name: String, thread = WorkerThread()
    private var pending: Job?               // guarded by thread.cond

    init(model: DiTModel, mailbox: Mailbox, name: String) {
        self.model = DiTModel(config: model.config, weights: model.weights)
        self.mailbox = mailbox; self.name = name
    }

    public func start() {
        thread.start(name: name) { [self] in
            while let job = thread.next({ () -> Job? in defer { pending = nil }; return pending }) { work(job) }
        }
    }

    public func submit(_ job: Job) { thread.cond.lock(); pending = job; thread.cond.signal(); thread.cond.unlock() }

    @discardableResult
    public func stop(timeout: Double = 2) -> Bool { thread.stop(timeout: timeout) }

    /// Whether a newer job (a cancel included) or a stop came since this one started.
    var superseded: Bool {
        thread.cond.lock(); let newer = pending != nil; thread.cond.unlock()
        return newer || thread.stopping
    }

    /// One job, on the worker's thread.
    func work(_ job: Job) { preconditionFailure("SlotWorker.work: each worker has its own") }
}
