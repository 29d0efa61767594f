import Dispatch
import XCTest
@testable import DiT

/// The spinning team behind Parallel's stage splits (CKernels team.c): every part of every job runs
/// exactly once and is finished when the call returns, whoever calls and however they nest.
final class TeamTests: XCTestCase {
    /// Runs `jobs` jobs of `parts` parts on the team, each part adding its index + 1 to its own slot.
    private func runJobs(_ jobs: Int, parts: Int) -> [Int] {
        var slots = [Int](repeating: 0, count: parts)
        slots.withUnsafeMutableBufferPointer { s in
            let base = s.baseAddress!
            for _ in 0..<jobs {
                Parallel.team(parts) { p in base[p] += p + 1 }
            }
        }
        return slots
    }

    func testEveryPartRunsOncePerJob() {
        // Back-to-back jobs: a lost wake-up hangs here, a part run twice or skipped shows in a slot.
        for parts in 1...max(2, Parallel.cores) {
            XCTAssertEqual(runJobs(20_000, parts: parts), (0..<parts).map { 20_000 * ($0 + 1) }, "parts \(parts)")
        }
    }

    func testAJobStartedAfterTheWorkersSleptStillRuns() {
        XCTAssertEqual(runJobs(1, parts: 2), [1, 2])
        usleep(5_000)   // longer than the workers spin: they wait on the condition variable now
        XCTAssertEqual(runJobs(3, parts: 2), [3, 6])
    }

    func testConcurrentAndNestedCallersEachGetTheirWorkDone() {
        // Eight threads at once, each job splitting again inside its parts: the team serves one
        // caller, the others fall back to Dispatch; every count must still come out whole.
        let callers = 8, jobs = 300
        let totals = UnsafeMutablePointer<Int>.allocate(capacity: callers * 4)
        totals.initialize(repeating: 0, count: callers * 4)
        defer { totals.deallocate() }
        DispatchQueue.concurrentPerform(iterations: callers) { c in
            for _ in 0..<jobs {
                Parallel.team(2) { p in
                    Parallel.team(2) { q in totals[c * 4 + p * 2 + q] += 1 }
                }
            }
        }
        XCTAssertEqual((0..<callers * 4).map { totals[$0] }, [Int](repeating: jobs, count: callers * 4))
    }
}
