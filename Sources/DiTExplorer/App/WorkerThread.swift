// A worker's thread and its stop handshake, shared by the Sampler, Forward and Decode workers:
// one condition guards the worker's state, the loop sleeps on it until there is work or a stop.
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
