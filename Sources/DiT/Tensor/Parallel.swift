// Splits work over the cores: the GEMMs (BLAS.linear splits rows or columns; OpenBLAS's own
// threads are off, BLAS.singleThreaded) and the stages between them (LayerNorm, GELU,
// softmax, attention heads).
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
