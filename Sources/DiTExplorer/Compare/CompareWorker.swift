// The Compare pane's (or lesson 4's) model calls, on their own thread: each model is loaded on first use, then a
// job runs step k of every model before step k + 1, so the rows fill in together. A newer job
// replaces the older between forward passes.
import DiT
import Foundation

public final class CompareWorker: @unchecked Sendable {
    private let directories: [String]
    /// The comparison it computes: the Compare pane's models, or lesson 4's designs.
    public let target: CompareTarget
    private var models: [Int: DiTModel] = [:]
    private let mailbox: Mailbox
    private let cond = NSCondition()
    private var job: CompareJob?
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    public init(directories: [String], mailbox: Mailbox, target: CompareTarget = .pane) {
        self.directories = directories; self.mailbox = mailbox; self.target = target
    }

    public func start() {
        let t = Thread { [self] in run() }
        t.name = "dit.compare"
        t.stackSize = 8 << 20
        t.start()
    }

    public func submit(_ j: CompareJob) {
        cond.lock(); job = j; cond.signal(); cond.unlock()
    }

    /// The job running stops between forward passes (a job without settings runs nothing).
    public func cancel() { submit(CompareJob(id: -1, settings: nil, target: target)) }

    @discardableResult
    public func stop(timeout: Double = 2) -> Bool {
        cond.lock(); stopped = true; cond.signal(); cond.unlock()
        return finished.wait(timeout: .now() + timeout) == .success
    }

    /// The job to run, or nil when stopped.
    private func next() -> CompareJob? {
        cond.lock(); defer { cond.unlock() }
        while !stopped && job == nil { cond.wait() }
        if stopped { return nil }
        defer { job = nil }
        return job
    }

    private var superseded: Bool { cond.lock(); defer { cond.unlock() }; return job != nil || stopped }

    private func run() {
        while let j = next() {
            guard let settings = j.settings else { continue }   // a stop: nothing to run
            var samplers: [Int: Sampler] = [:]
            for m in directories.indices {
                do { samplers[m] = try sampler(m, settings) } catch {
                    mailbox.post(.compare(.failed(id: j.id, model: m, "\(error)", target: j.target)))
                }
                if superseded { break }
            }
            var k = 0
            while !superseded && k < settings.steps {
                for m in directories.indices {
                    guard let s = samplers[m] else { continue }
                    do {
                        if let r = try s.step() { mailbox.post(.compare(.stepped(id: j.id, model: m, k: k, predX0: Planes(r.predXstart), target: j.target))) }
                    } catch {
                        samplers[m] = nil
                        mailbox.post(.compare(.failed(id: j.id, model: m, "\(error)", target: j.target)))
                    }
                    if superseded { break }
                }
                k += 1
            }
        }
        finished.signal()
    }

    private func sampler(_ m: Int, _ settings: SamplerSettings) throws -> Sampler {
        let model = try models[m] ?? DiTModel(directory: directories[m])
        models[m] = model
        var st = settings
        if !model.hasNullClass { st.cfgScale = 1 }
        return try Sampler(model: model, settings: st, noise: NoiseSource(seed: st.seed))
    }
}

extension CompareWorker: Worker {
    public var events: Mailbox { mailbox }
    public func job(in effect: Effect) -> CompareJob? { if case .compare(let job) = effect, job.target == target { return job } else { return nil } }
}
