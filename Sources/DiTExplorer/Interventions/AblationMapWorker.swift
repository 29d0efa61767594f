// The adaLN-Zero pane's ablation map (AblationSweep, as `dit ablate`), on its own thread with its
// own DiTModel (sharing the weights): every block switched off from a few start steps on, ‖Δx0‖
// of the final sample for each. A newer job, or a cancel (the pane off screen), stops the sweep
// between steps.
import DiT
import Foundation

/// What the map is computed for (nil settings: stop).
public struct AblationMapJob: Equatable, Sendable {
    public var id: Int
    public var settings: SamplerSettings?
    public var starts: Int
}

/// ‖Δx0‖ per block (rows) × start step (columns).
public struct AblationMap: Equatable, Sendable {
    public var startSteps: [Int]
    public var delta: [[Double]]            // (blocks, starts)
    public var baselineNorm: Double
}

public enum AblationMapEvent: Equatable, Sendable {
    case progress(id: Int, done: Int, total: Int)
    case finished(id: Int, AblationMap)
    case failed(id: Int, String)
}

public final class AblationMapWorker: SlotWorker<AblationMapJob> {
    public init(model: DiTModel, mailbox: Mailbox) { super.init(model: model, mailbox: mailbox, name: "dit.ablation-map") }

    public func cancel() { submit(AblationMapJob(id: -1, settings: nil, starts: 0)) }

    override func work(_ j: AblationMapJob) {
        guard let settings = j.settings else { return }
        do {
            let starts = AblationSweep.startSteps(steps: settings.steps, count: j.starts)
            let sweep = try AblationSweep.run(model: model, settings: settings, targets: AblationSweep.targets(model.config, heads: false),
                                              startSteps: starts, progress: { [self] done, total in
                                                  mailbox.post(.ablationMap(.progress(id: j.id, done: done, total: total))) },
                                              cancelled: { [self] in superseded })
            mailbox.post(.ablationMap(.finished(id: j.id, AblationMap(startSteps: sweep.startSteps, delta: sweep.rows.map(\.deltaNorm),
                                                                      baselineNorm: sweep.baselineNorm))))
        } catch is CancellationError {
            return
        } catch {
            mailbox.post(.ablationMap(.failed(id: j.id, "\(error)")))
        }
    }
}

extension AblationMapWorker: Worker {
    public var events: Mailbox { mailbox }
    public func job(in effect: Effect) -> AblationMapJob? { if case .ablationMap(let job) = effect { return job } else { return nil } }
}
