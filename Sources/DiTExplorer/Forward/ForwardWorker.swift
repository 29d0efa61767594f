// The Forward pane's model calls, on their own thread with their own DiTModel (sharing the
// read-only weights of the sampler's), so neither pane waits on the other: ε̂ at the pane's x_t
// first, then an SDEdit run step by step, then the MSE(t) curve one timestep at a time. A newer
// job of a kind replaces the older between forward passes.
import DiT
import Foundation

public final class ForwardWorker: @unchecked Sendable {
    private let model: DiTModel
    private let mailbox: Mailbox
    private let thread = WorkerThread()
    private var cond: NSCondition { thread.cond }
    private var predict: ForwardJob?
    private var sdedit: (job: ForwardJob, sampler: Sampler?)?
    private var curve: (job: ForwardJob, next: Int)?

    public init(model: DiTModel, mailbox: Mailbox) {
        self.model = DiTModel(config: model.config, weights: model.weights)
        self.mailbox = mailbox
    }

    public func start() {
        thread.start(name: "dit.forward") { [self] in run() }
    }

    public func submit(_ job: ForwardJob) {
        cond.lock()
        switch job {
        case .predict: predict = job
        case .curve: curve = (job, 0)
        case .sdedit: sdedit = (job, nil)
        }
        cond.signal()
        cond.unlock()
    }

    public func cancel() {
        cond.lock(); predict = nil; sdedit = nil; curve = nil; cond.unlock()
    }

    @discardableResult
    public func stop(timeout: Double = 2) -> Bool {
        thread.stop(timeout: timeout)
    }

    private var hasWork: Bool { predict != nil || sdedit != nil || curve != nil }

    private func run() {
        while true {
            guard thread.waitForWork({ hasWork }) else { return }
            let job: ForwardJob
            if let p = predict { job = p; predict = nil }
            else if let s = sdedit { job = s.job }
            else { job = curve!.job }
            cond.unlock()
            do {
                switch job {
                case .predict(let id, let x0, let y, let t, let eps):
                    mailbox.post(.forward(.predicted(id: id, try prediction(x0, y, t, eps))))
                case .sdedit(let id, let x0, let eps, let k, let settings):
                    try sdeditStep(job, id, x0, eps, k, settings)
                case .curve(let id, let x0, let y, let ts, let draws, let seed):
                    try curvePoint(job, id, x0, y, ts, draws, seed)
                }
            } catch {
                cond.lock()
                if case .sdedit = job, sdedit?.job == job { sdedit = nil }
                if case .curve = job, curve?.job == job { curve = nil }
                cond.unlock()
                mailbox.post(.forward(.failed(id: job.id, "\(error)")))
            }
        }
    }

    /// ε̂ with the class and (when the model has one) the null class, in one batch of two.
    private func prediction(_ x0: Planes, _ y: Int, _ t: Int, _ eps: Planes) throws -> ForwardPrediction {
        let null = model.hasNullClass
        let x = batch([x0] + (null ? [x0] : [])), e = batch([eps] + (null ? [eps] : []))
        let loss = try TrainingLoss(model: model, x0: x, t: Array(repeating: t, count: x.shape[0]),
                                    labels: [y] + (null ? [model.nullClass] : []), noise: e)
        func plane(_ row: Int) -> Planes {
            Planes(channels: eps.channels, height: eps.height, width: eps.width, values: loss.predictedNoise(row))
        }
        return ForwardPrediction(t: t, epsCond: plane(0), epsNull: null ? plane(1) : nil,
                                 mseCond: loss.mse[0], mseNull: null ? loss.mse[1] : nil)
    }

    /// One step of the SDEdit run (building its sampler first).
    private func sdeditStep(_ job: ForwardJob, _ id: Int, _ x0: Planes, _ eps: Planes, _ k: Int, _ settings: SamplerSettings) throws {
        cond.lock(); var sampler = sdedit?.job == job ? sdedit?.sampler : nil; cond.unlock()
        if sampler == nil {
            sampler = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: settings.seed, initial: eps.tensor),
                                  start: SamplerStart(x0: x0.tensor, step: k))
        }
        let s = sampler!
        let record = try s.step()
        cond.lock()
        if sdedit?.job == job { sdedit = s.isFinished || record == nil ? nil : (job, s) }
        cond.unlock()
        if let record { mailbox.post(.forward(.sdeditStep(id: id, x: Planes(record.next), k: record.k))) }
    }

    /// MSE at the next timestep of the curve, averaged over the draws (one batch).
    private func curvePoint(_ job: ForwardJob, _ id: Int, _ x0: Planes, _ y: Int, _ ts: [Int], _ draws: Int, _ seed: UInt64) throws {
        cond.lock(); let i = curve?.job == job ? curve!.next : ts.count; cond.unlock()
        guard i < ts.count else { return }
        let x = batch(Array(repeating: x0, count: draws)), e = Tensor(x.shape)
        let plane = x0.values.count
        for d in 0..<draws {
            var g = Xoshiro256StarStar(seed: seed, stream: UInt64(d))   // draw 0 is the pane's ε
            g.fillNormal(e.data + d * plane, count: plane)
        }
        let loss = try TrainingLoss(model: model, x0: x, t: Array(repeating: ts[i], count: draws),
                                    labels: Array(repeating: y, count: draws), noise: e)
        cond.lock()
        if curve?.job == job { curve = i + 1 < ts.count ? (job, i + 1) : nil }
        cond.unlock()
        mailbox.post(.forward(.curvePoint(id: id, t: ts[i], mse: loss.mse.reduce(0, +) / Float(draws))))
    }

    /// Images (C, H, W) stacked into (N, C, H, W).
    private func batch(_ images: [Planes]) -> Tensor {
        let p = images[0]
        return Tensor([images.count, p.channels, p.height, p.width], images.flatMap(\.values))
    }
}

extension ForwardJob {
    var id: Int {
        switch self { case .predict(let id, _, _, _, _), .curve(let id, _, _, _, _, _), .sdedit(let id, _, _, _, _): return id }
    }
}

extension ForwardWorker: Worker {
    public var events: Mailbox { mailbox }
    public func job(in effect: Effect) -> ForwardJob? { if case .forward(let job) = effect { return job } else { return nil } }
}
