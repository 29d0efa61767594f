// The Forward pane's side of update(): moving t, changing the image or the noise, asking the
// ForwardWorker for what is stale while the pane is on screen, and taking its answers in.
import DiT

extension Explorer {
    static func applyForward(_ command: ForwardCommand, _ s: inout ExplorerState) -> [Effect] {
        let c = s.model.config, top = GaussianDiffusion.numTrainTimesteps - 1
        guard let real = s.forward.real, real.fits(c) else {
            s.message = "no real images of this model's shape (\(c.inChannels)×\(c.inputSize)×\(c.inputSize)) to noise"
            return []
        }
        var f = s.forward
        switch command {
        case .time(let d): f.t = max(0, min(top, f.t + d))
        case .timeTo(let t): f.t = max(0, min(top, t))
        case .image(let d):
            let rows = real.rows(ofClass: f.label), i = rows.firstIndex(of: f.image) ?? 0
            f.image = rows[((i + d) % rows.count + rows.count) % rows.count]
        case .imageClass(let d):
            let classes = Array(Set(real.labels)).sorted(), i = classes.firstIndex(of: f.label) ?? 0
            f.image = real.rows(ofClass: classes[((i + d) % classes.count + classes.count) % classes.count])[0]
            f.sdeditLabel = nil
        case .noise(let d):
            f.noiseSeed = d > 0 ? f.noiseSeed &+ 1 : f.noiseSeed &- 1
            f.eps = nil
        case .sdeditClass(let d):
            let n = c.numClasses
            f.sdeditLabel = (((f.sdeditLabel ?? f.label) + d) % n + n) % n
        case .sdedit:
            return sdedit(&s)
        }
        if f.image != s.forward.image || f.noiseSeed != s.forward.noiseSeed {
            f.ids.curve += 1; f.curve = [:]; f.sdedit = nil
        }
        if f.image != s.forward.image || f.noiseSeed != s.forward.noiseSeed || f.t != s.forward.t {
            f.ids.predict += 1; f.prediction = nil
        }
        s.forward = f
        return []
    }

    /// SDEdit: the sampler from x_0 noised to the step of the current schedule nearest to t.
    static func sdedit(_ s: inout ExplorerState) -> [Effect] {
        guard let x0 = s.forward.x0, let eps = s.forward.eps, s.stepCount > 0 else { return [] }
        // SDEdit starts at a respaced step: the diffusers solvers hand it to DDIM with the same step count
        var settings = s.settings
        if settings.kind.takesKarras { settings.kind = .ddim; settings.karras = false }
        let ts = s.schedule(settings).timesteps.map { Int($0) }, t = s.forward.t
        let k = ts.indices.min { abs(ts[$0] - t) < abs(ts[$1] - t) }!
        guard let start = ForwardState.noised(x0, ts[k], eps) else { return [] }
        let y = s.forward.sdeditLabel ?? s.forward.label
        settings.labels = [y]
        s.forward.ids.sdedit += 1
        s.forward.sdedit = SDEditRun(start: k, timestep: ts[k], label: y, frames: [start], total: ts.count - k)
        s.message = "SDEdit: \(s.model.className(y)) from step \(k) (t = \(ts[k])), \(ts.count - k) steps"
            + (settings.kind == s.settings.kind ? "" : " of DDIM")
        return [.forward(.sdedit(id: s.forward.ids.sdedit, x0: x0, eps: eps, step: k, settings: settings))]
    }

    /// While the pane is on screen (or lesson 9's): ε for the seed, and the jobs whose answers are stale.
    static func forwardJobs(_ s: inout ExplorerState, _ screen: OnScreen) -> [Effect] {
        guard screen.shows(.forward), let x0 = s.forward.x0, s.forward.real?.fits(s.model.config) == true else { return [] }
        if s.forward.eps == nil { s.forward.eps = ExplorerState.initialNoise(s.model.config, seed: s.forward.noiseSeed) }
        var f = s.forward, effects: [Effect] = []
        if f.asked.predict != f.ids.predict, let eps = f.eps {
            f.asked.predict = f.ids.predict
            effects.append(.forward(.predict(id: f.ids.predict, x0: x0, label: f.label, t: f.t, eps: eps)))
        }
        if f.asked.curve != f.ids.curve {
            f.asked.curve = f.ids.curve
            effects.append(.forward(.curve(id: f.ids.curve, x0: x0, label: f.label, timesteps: ForwardState.curveTimesteps,
                                           draws: ForwardState.curveDraws, seed: f.noiseSeed)))
        }
        s.forward = f
        return effects
    }

    static func receivedForward(_ e: ForwardEvent, _ s: inout ExplorerState) {
        switch e {
        case .predicted(let id, let p) where id == s.forward.ids.predict:
            s.forward.prediction = p
        case .curvePoint(let id, let t, let mse) where id == s.forward.ids.curve:
            s.forward.curve[t] = mse
        case .sdeditStep(let id, let x, _) where id == s.forward.ids.sdedit:
            s.forward.sdedit?.frames.append(x)
        case .failed(_, let text):
            s.forward.failure = text
        default:
            break   // an answer to a job replaced since
        }
    }
}
