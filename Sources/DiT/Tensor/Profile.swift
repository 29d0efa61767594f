// Where a forward pass spends its time, for `dit bench --profile`: every GEMM by shape, attention,
// the element-wise stages and the thread hand-offs (Parallel), summed over calls. Off unless
// asked for: one branch per stage.
import Dispatch
import Foundation

public enum Profile {
    /// Set before the timed passes, read with `table`; not while another thread runs a forward.
    nonisolated(unsafe) public static var enabled = false
    nonisolated(unsafe) private static var totals: [String: (calls: Int, nanos: UInt64)] = [:]
    private static let lock = NSLock()

    public static func reset() { lock.lock(); totals = [:]; lock.unlock() }

    /// (stage, calls, total ms), slowest first.
    public static var table: [(stage: String, calls: Int, ms: Double)] {
        lock.lock(); defer { lock.unlock() }
        return totals.map { ($0.key, $0.value.calls, Double($0.value.nanos) / 1e6) }.sorted { $0.ms > $1.ms }
    }

    static func record(_ stage: String, nanos: UInt64) {
        lock.lock()
        let old = totals[stage] ?? (0, 0)
        totals[stage] = (old.calls + 1, old.nanos + nanos)
        lock.unlock()
    }

    @inline(__always)
    static func time<R>(_ stage: @autoclosure () -> String, _ body: () -> R) -> R {
        guard enabled else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let r = body()
        record(stage(), nanos: DispatchTime.now().uptimeNanoseconds - start)
        return r
    }
}
