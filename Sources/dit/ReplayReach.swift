// A headless replay that fails at once (exit 2) on a step marker its worker was never asked for.
// SessionReplay waits for each marker's event up to its timeout; a "stepped" marker past the
// steps the replayed keys requested (a recording whose End or → line was removed) names an
// event that can never come, so it is refused before the wait, as the README promises.
import DiT
import DiTExplorer
import Foundation

extension SessionReplay {
    /// Plays every entry as `runToEnd` does, checking each step marker against the steps requested.
    func runToEndCheckingReach(after: (SessionEntry) -> Void) throws {
        for (line, entry) in recording.entries {
            if entry.worker == "stepped", let k = entry.k, entry.generation == state.generation, k >= min(state.target, state.stepCount) {
                throw DiTError(file: recording.path, field: "line \(line): worker",
                               "stepped k = \(k) cannot arrive: the replayed keys asked the worker for \(min(state.target, state.stepCount)) step(s) "
                               + "(a line that asked for more, such as End or →, is missing)")
            }
            _ = try step()
            after(entry)
        }
    }
}
