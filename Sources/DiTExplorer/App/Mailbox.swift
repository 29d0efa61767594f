// Worker -> UI: a locked queue the UI drains once per loop turn (≤ 30 ms), so the UI thread
// never waits on a forward pass.
import Foundation

public final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [WorkerEvent] = []

    public init() {}

    public func post(_ e: WorkerEvent) {
        lock.lock(); events.append(e); lock.unlock()
    }

    public func drain() -> [WorkerEvent] {
        lock.lock(); defer { lock.unlock() }
        let out = events
        events.removeAll(keepingCapacity: true)
        return out
    }
}
