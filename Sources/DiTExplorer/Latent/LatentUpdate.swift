// The decoder's side of update(): `d` asks for x̂0 of the step on screen, the automatic steps
// follow as they arrive, one decode runs at a time (the state is the queue), and a finished
// picture goes to every branch whose step k has that same x̂0.
import DiT

extension Explorer {
    /// d: decode x̂0 of step k (next, once it is computed and the decoder is free).
    static func askDecode(_ s: inout ExplorerState) -> [Effect] {
        guard var l = s.latent else { s.message = "no VAE: this model works in pixels, there is nothing to decode"; return [] }
        if s.current.decoded[s.k] != nil { s.message = "x̂0 of step \(s.k) is decoded (shown)"; return [] }
        if let r = l.running, r.k == s.k, r.latents == s.view?.predX0 { s.message = "decoding step \(s.k)…"; return [] }
        l.asked = s.k
        l.failure = nil
        s.latent = l
        s.message = s.view == nil ? "step \(s.k) decodes once it is computed" : nil
        return []
    }

    /// Starts the next decode when none runs: the step asked for, else the latest automatic step
    /// computed on this branch and not decoded yet (none after a failure, until `d`).
    static func decodeJobs(_ s: inout ExplorerState, _ screen: OnScreen) -> [Effect] {
        guard var l = s.latent, l.running == nil else { return [] }
        let b = s.current
        func due(_ k: Int) -> Bool { b.step(k) != nil && b.decoded[k] == nil }
        if let a = l.asked, a >= s.stepCount || b.decoded[a] != nil { l.asked = nil }   // a new schedule, or done
        let k = l.asked.map { due($0) ? $0 : nil }
            ?? (l.failure == nil ? LatentState.automaticSteps(s.stepCount).last(where: due) : nil)
        defer { s.latent = l }
        guard let k, let step = b.step(k) else { return [] }
        let job = DecodeJob(k: k, latents: step.predX0)
        l.running = job
        return [.decode(job)]
    }

    static func receivedDecode(_ e: DecodeEvent, _ s: inout ExplorerState) {
        guard var l = s.latent else { return }
        switch e {
        case .decoded(let job, let image, let ms):
            if l.running == job { l.running = nil }
            l.milliseconds = ms
            if l.asked == job.k && s.current.step(job.k)?.predX0 == job.latents { l.asked = nil }
            let kept = Set(LatentState.automaticSteps(s.stepCount) + [job.k])
            keep(image, of: job, in: &s.current, near: s.k, sparing: kept)
            if var o = s.other { keep(image, of: job, in: &o, near: s.k, sparing: kept); s.other = o }
        case .failed(let job, let text):
            if l.running == job { l.running = nil }
            l.failure = text
            l.asked = nil
            s.message = "decode failed: " + text
        }
        s.latent = l
    }

    /// The picture goes to branch b when its step k is the one decoded; when there are too many,
    /// the farthest from the step on screen go, never one in `spared` (the new one and the
    /// automatic steps, which would otherwise be decoded again and again).
    static func keep(_ image: Planes, of job: DecodeJob, in b: inout Branch, near k: Int, sparing spared: Set<Int>) {
        guard b.step(job.k)?.predX0 == job.latents else { return }
        b.decoded[job.k] = image
        while b.decoded.count > LatentState.maxPictures,
              let far = b.decoded.keys.filter({ !spared.contains($0) }).max(by: { (abs($0 - k), $0) < (abs($1 - k), $1) }) {
            b.decoded[far] = nil
        }
    }
}
