// Splits work over the cores: the GEMMs (GEMM.run splits panels or rows) and the stages between
// them (LayerNorm, GELU, softmax, attention heads); or, for a batch of several samples, whole
// forward passes over shares of the batch (`shares`), whose stages then stay on their thread.
import CKernels
import Dispatch
import Foundation

enum Parallel {
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls body on `cores` contiguous sub-ranges of 0..<count, concurrently, when each
    /// sub-range holds at least `grain` items of work; serially otherwise.
    static func chunks(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        indexedChunks(count, grain: grain) { _, range in body(range) }
    }

    /// As `chunks`, also passing the part's index (0..<cores), for per-core workspaces.
    static func indexedChunks(_ count: Int, grain: Int, _ body: (Int, Range<Int>) -> Void) {
        let parts = dit_thread_serial() != 0 ? 1 : min(cores, count / max(grain, 1))
        if parts <= 1 { body(0, 0..<count); return }
        guard Profile.enabled else {
            team(parts) { p in body(p, count * p / parts..<count * (p + 1) / parts) }
            return
        }
        // Profiled: the hand-off is the wall time beyond the slowest part's own.
        let longest = UnsafeMutablePointer<UInt64>.allocate(capacity: parts)
        defer { longest.deallocate() }
        let start = DispatchTime.now().uptimeNanoseconds
        team(parts) { p in
            let t0 = DispatchTime.now().uptimeNanoseconds
            body(p, count * p / parts..<count * (p + 1) / parts)
            longest[p] = DispatchTime.now().uptimeNanoseconds - t0
        }
        let wall = DispatchTime.now().uptimeNanoseconds - start
        let slowest = (0..<parts).map { longest[$0] }.max() ?? 0
        Profile.record("thread hand-offs", nanos: wall > slowest ? wall - slowest : 0)
    }

    /// Calls body(share) for 0..<shares concurrently, each on its own thread with every Parallel
    /// stage inside it serial: one hand-off for the whole body instead of one per stage.
    static func shares(_ shares: Int, _ body: (Int) -> Void) {
        team(shares) { p in
            let old = dit_set_thread_serial(1)
            body(p)
            _ = dit_set_thread_serial(old)
        }
    }

    /// body(p) for p in 0..<parts concurrently: on the engine's spinning team (CKernels' team.c),
    /// or, when another caller holds it, by Dispatch.
    static func team(_ parts: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var call = body
            let ran = withUnsafeMutablePointer(to: &call) { ctx in
                dit_team_run(Int32(parts), Int32(cores), { ctx, p in
                    ctx!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(p))
                }, ctx)
            }
            if ran == 0 { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
        }
    }
}
