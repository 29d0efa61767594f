// The VAE decoder on its own thread: a latent model's x̂0 becomes pixels here, seconds per image
// on a CPU for the Stable Diffusion VAE, while the UI and the sampler go on. The UI sends one job
// at a time (LatentState.running); a newer job replaces one not started yet.
import DiT
import Foundation

public final class DecodeWorker: @unchecked Sendable {
    private let vae: AutoencoderKL, mailbox: Mailbox
    private var pending: DecodeJob?              // the next job, guarded by the thread's condition
    private let thread = WorkerThread()
    private var cond: NSCondition { thread.cond }

    public init(vae: AutoencoderKL, mailbox: Mailbox) {
        self.vae = vae; self.mailbox = mailbox
    }

    public func start() {
        thread.start(name: "dit.decode") { [self] in run() }
    }

    public func cancel() {
        cond.lock(); pending = nil; cond.unlock()
    }

    public func submit(_ job: DecodeJob) {
        cond.lock(); pending = job; cond.signal(); cond.unlock()
    }

    /// Asks the thread to stop after the current decode; waits at most `timeout` seconds.
    @discardableResult
    public func stop(timeout: Double = 2) -> Bool {
        thread.stop(timeout: timeout)
    }

    private func run() {
        while true {
            guard thread.waitForWork({ pending != nil }) else { return }
            let job = pending!
            pending = nil
            cond.unlock()
            mailbox.post(.decode(DecodeWorker.decode(job, with: vae)))
        }
    }

    /// vae.decode(x̂0 / scaling_factor) of one job, timed; a non-finite picture is a failure.
    public static func decode(_ job: DecodeJob, with vae: AutoencoderKL) -> DecodeEvent {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let image = Planes(try vae.decode(latents: job.latents.tensor, source: "x̂0 of step \(job.k)"))
            if let bad = image.values.firstIndex(where: { !$0.isFinite }) {
                return .failed(job, "x̂0 of step \(job.k) decodes to a non-finite value (\(image.values[bad]))")
            }
            return .decoded(job, image: image, milliseconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        } catch {
            return .failed(job, "\(error)")
        }
    }
}

extension DecodeWorker: Worker {
    public var events: Mailbox { mailbox }
    public func job(in effect: Effect) -> DecodeJob? { if case .decode(let job) = effect { return job } else { return nil } }
}
