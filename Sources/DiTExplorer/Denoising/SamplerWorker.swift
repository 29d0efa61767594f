// The background sampler: owns the model and the Sampler on its own thread (neither is
// thread-safe) and reconciles them with the latest WorkerRequest, one step at a time, so a newer
// request (a branch, more steps) is picked up between forward passes. Each step goes back to the
// UI as an immutable StepView.
import DiT
import Foundation

public final class SamplerWorker: @unchecked Sendable {
    private let model: DiTModel
    private var sampler: Sampler
    private let mailbox: Mailbox
    private let thread = WorkerThread()
    private var cond: NSCondition { thread.cond }
    private var want: WorkerRequest?
    private var applied = 0                 // generation the sampler holds
    private var held: [Segment]             // the lineage of the sampler's history
    private var failed: Int?                // generation that failed, until a new request
    private var probed: (generation: Int, k: Int)?   // the last probe answered
    private let judge: Judge?               // scores x̂0 of every step ("when is the class decided")

    /// Builds the sampler for generation 0 (throws on bad settings, before any thread starts).
    /// A judge is used only when it scores the model's classes and image shape.
    public init(model: DiTModel, settings: SamplerSettings, mailbox: Mailbox, judge: Judge? = nil) throws {
        model.probeRequest = .all(depth: model.config.depth)
        self.model = model
        self.judge = judge.flatMap { $0.scores(model.config) ? $0 : nil }
        self.mailbox = mailbox
        sampler = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: settings.seed))
        held = [Segment(start: 0, settings: settings)]
    }

    public func start() {
        thread.start(name: "dit.sampler") { [self] in run() }
    }

    public func submit(_ r: WorkerRequest) {
        cond.lock()
        want = r
        failed = nil
        cond.signal()
        cond.unlock()
    }

    /// Forgets the request: the thread idles after the step it is in.
    public func cancel() {
        cond.lock(); want = nil; cond.unlock()
    }

    /// Asks the thread to stop after the current step; waits at most `timeout` seconds.
    /// Returns whether it stopped (a thread still inside a forward pass blocks exit()).
    @discardableResult
    public func stop(timeout: Double = 2) -> Bool {
        thread.stop(timeout: timeout)
    }

    private var hasWork: Bool {
        guard let w = want, failed != w.generation else { return false }
        return w.generation != applied || sampler.history.count < min(w.target, sampler.stepCount) || probeDue(w)
    }

    private func probeDue(_ w: WorkerRequest) -> Bool {
        guard let k = w.probe, k < sampler.history.count else { return false }
        return probed.map { $0.generation != w.generation || $0.k != k } ?? true
    }

    private func run() {
        while true {
            guard thread.waitForWork({ hasWork }) else { return }
            let w = want!
            cond.unlock()
            do {
                if w.generation != applied {
                    try apply(w)
                    continue
                }
                if probeDue(w), let k = w.probe {
                    try reprobe(k)
                    probed = (w.generation, k)
                    mailbox.post(.probed(generation: w.generation, k: k, attention: attentionOfLastForward()))
                    continue
                }
                // Entering the next segment of the lineage: a branch that keeps every step so far.
                let k = sampler.history.count, wanted = Branch.settings(at: k, in: w.lineage)
                if sampler.settings != wanted { try sampler.branch(at: k, settings: wanted) }
                let start = DispatchTime.now().uptimeNanoseconds
                guard let record = try sampler.step() else { continue }
                let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                var view = snapshot(record, milliseconds: ms)
                if !record.settings.ablations.isEmpty {   // after the snapshot: this pass replaces the probes
                    view.unablatedX0 = Planes(try sampler.predXstart(at: record.k, ablations: .none))
                }
                mailbox.post(.stepped(generation: w.generation, view))
            } catch {
                cond.lock(); failed = w.generation; applied = w.generation; cond.unlock()
                mailbox.post(.failed(generation: w.generation, (error as? SettingError)?.explorerMessage ?? "\(error)"))
            }
        }
    }

    /// Keeps the longest prefix of the history that the requested lineage shares with the one
    /// held, and branches there; a new seed means a new x_T: a fresh sampler.
    private func apply(_ w: WorkerRequest) throws {
        let first = Branch.settings(at: 0, in: w.lineage)
        if first.seed != sampler.settings.seed {
            sampler = try Sampler(model: model, settings: first, noise: NoiseSource(seed: first.seed))
        } else {
            var shared = 0
            while shared < sampler.history.count
                    && Branch.settings(at: shared, in: held) == Branch.settings(at: shared, in: w.lineage) { shared += 1 }
            // The UI holds steps 0..<fork of a new branch and takes the next from there: keeping
            // more would leave it waiting for steps never sent.
            shared = min(shared, w.lineage.last!.start)
            try sampler.branch(at: shared, settings: Branch.settings(at: shared, in: w.lineage))
        }
        held = w.lineage
        applied = w.generation
    }

    /// Runs step k's forward pass again (same x_t, t, labels, guidance): its probes come back.
    private func reprobe(_ k: Int) throws {
        let r = sampler.history[k]
        _ = try sampler.denoiser.evaluate(x: r.xt, t: r.timestep, labels: r.settings.labels, guidance: r.settings.guidance)
    }

    /// Attention of the first (conditional) sample in the last forward pass, per block (heads, T, T).
    private func attentionOfLastForward() -> [[Float]] {
        let c = model.config
        guard let p = model.probes(batch: sampler.denoiser.lastBatch), !p.attention.isEmpty else { return [] }
        return (0..<c.depth).map { b in p.patchAttention(block: b, c) ?? [] }
    }

    /// The judge's probabilities for the first sample's x̂0 (one image: well under a millisecond).
    private func classProbabilities(_ predX0: Tensor) -> [Float]? {
        guard let judge else { return nil }
        let one = Tensor([1] + predX0.shape.dropFirst())
        one.data.update(from: predX0.data, count: one.count)
        return (try? judge.judge(one))?.probabilities.array
    }

    /// The first (conditional) sample of the step and of the model's probes, copied out.
    func snapshot(_ r: StepRecord, milliseconds: Double) -> StepView {
        let c = model.config, T = c.tokenCount, D = c.hiddenSize
        let probes = model.probes(batch: sampler.denoiser.lastBatch)
        func first(_ t: Tensor, _ n: Int) -> [Float] { Array(UnsafeBufferPointer(start: t.data, count: n)) }
        let attention = attentionOfLastForward()
        let modulation = probes.flatMap { $0.modulation.isEmpty ? nil : $0.modulation.map { first($0, c.conditioning.modulationVectors * D) } }
        let norms = probes.flatMap { $0.tokenNorms.isEmpty ? nil : $0.tokenNorms.map { first($0, T) } }
        let onCondition = probes.flatMap { p -> [[Float]]? in   // every block's, or none (the adaLN designs)
            let blocks = (0..<c.depth).compactMap { p.conditioningAttention(block: $0, c) }
            return blocks.count == c.depth ? blocks : nil
        }
        return StepView(k: r.k, timestep: r.timestep, alphaBar: r.alphaBar,
                        xt: Planes(r.xt), predX0: Planes(r.predXstart), eps: Planes(r.eps), next: Planes(r.next),
                        attention: attention.isEmpty ? nil : attention, modulation: modulation, tokenNorms: norms,
                        conditioningAttention: onCondition,
                        guidance: r.epsCond.map { c in GuidanceView(epsCond: Planes(c), epsUncond: Planes(r.epsUncond!), scale: r.guidanceScale!) },
                        nfe: r.nfe, milliseconds: milliseconds, variance: sampler.diffusion.flatMap { LearnedVariance(r, $0) },
                        classProbabilities: classProbabilities(r.predXstart))
    }
}

extension SamplerWorker: Worker {
    public var events: Mailbox { mailbox }
    public func job(in effect: Effect) -> WorkerRequest? { if case .request(let job) = effect { return job } else { return nil } }
}
