// Splits element-wise work over the cores. OpenBLAS already uses every core inside a GEMM; the
// stages between GEMMs (LayerNorm, GELU, softmax, attention heads) would otherwise run on one.
import Dispatch
import Foundation

enum Parallel {
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls body on `cores` contiguous sub-ranges of 0..<count, concurrently, when each
    /// sub-range holds at least `grain` items of work; serially otherwise.
    static func chunks(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        let parts = min(cores, count / max(grain, 1))
        if parts <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: parts) { p in
            body(count * p / parts..<count * (p + 1) / parts)
        }
    }
}
