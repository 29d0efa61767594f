// The sheet export's samples (W), on their own thread with their own DiTModel (sharing the
// weights): every cell sampled from its seed's x_T with the library Sampler, as `dit sample` and
// `dit grid` do, so each cell is bit for bit the sample of its settings. A newer job, a cancel or
// a stop ends the sheet between cells.
import DiT
import Foundation

/// The cells of one sheet, row-major (nil cells: stop).
public struct SheetJob: Equatable, Sendable {
    public var id: Int
    public var cells: [SamplerSettings]?
}

public enum SheetEvent: Equatable, Sendable {
    case progress(id: Int, done: Int, total: Int)
    /// The samples, (cells, C, H, W) flattened in the job's order.
    case finished(id: Int, samples: [Float])
    case failed(id: Int, String)
}

public final class SheetWorker: SlotWorker<SheetJob> {
    public init(model: DiTModel, mailbox: Mailbox) { super.init(model: model, mailbox: mailbox, name: "dit.sheet") }

    public func cancel() { submit(SheetJob(id: -1, cells: nil)) }

    /// The samples of `cells`, one after the other; nil when `cancelled` said so between cells.
    public static func samples(_ model: DiTModel, _ cells: [SamplerSettings], progress: (Int) -> Void = { _ in },
                               cancelled: () -> Bool = { false }) throws -> [Float]? {
        var out: [Float] = []
        for (i, settings) in cells.enumerated() {
            if cancelled() { return nil }
            let x0 = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: settings.seed)).run()   // (1, C, H, W)
            guard (0..<x0.count).allSatisfy({ x0.data[$0].isFinite }) else {
                throw DiTError(file: "sheet", "cell \(i + 1): the sample is not finite")
            }
            out += UnsafeBufferPointer(start: x0.data, count: x0.count)
            progress(i + 1)
        }
        return out
    }

    override func work(_ j: SheetJob) {
        guard let cells = j.cells else { return }
        do {
            let got = try Self.samples(model, cells, progress: { [self] done in
                mailbox.post(.sheet(.progress(id: j.id, done: done, total: cells.count)))
            }, cancelled: { [self] in superseded })
            if let got { mailbox.post(.sheet(.finished(id: j.id, samples: got))) }
        } catch {
            mailbox.post(.sheet(.failed(id: j.id, "\(error)")))
        }
    }
}

extension SheetWorker: Worker {
    public var events: Mailbox { mailbox }
    public func job(in effect: Effect) -> SheetJob? { if case .sheet(let job) = effect { return job } else { return nil } }
}
