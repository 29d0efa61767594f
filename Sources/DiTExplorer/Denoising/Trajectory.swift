// The trajectory side of update(): asking the worker for steps, branching when a parameter
// changes at step k, swapping branches, and taking the worker's steps in.
import DiT
import DiTRender

extension Explorer {
    /// Shows step k; ahead of the sampler, k waits at the first uncomputed step and catches up
    /// as steps arrive.
    static func jump(_ s: inout ExplorerState, to step: Int) -> [Effect] {
        s.halt()
        let goal = max(0, min(s.stepCount - 1, step))
        s.k = min(goal, s.steps.count)
        s.goal = s.k < goal ? goal : nil
        return ensureComputed(&s, through: goal)
    }

    /// Asks the worker for steps 0…k unless they are already asked for.
    static func ensureComputed(_ s: inout ExplorerState, through k: Int) -> [Effect] {
        let want = min(s.stepCount, k + 1)
        guard want > s.target || (s.failure != nil && want > s.steps.count) else { return [] }
        s.target = max(s.target, want)
        s.failure = nil
        return [request(s)]
    }

    static func request(_ s: ExplorerState) -> Effect {
        .request(WorkerRequest(generation: s.generation, lineage: s.current.lineage, target: s.target, probe: s.probe))
    }

    /// A parameter changed at step k: keep steps 0..<k, recompute from k with the new settings.
    /// A new seed (x_T) or schedule (step count, solver family, Karras σ) restarts from x_T. The branch left behind stays
    /// comparable, unless it has nothing past the fork (a quick run of key presses).
    static func branch(_ s: inout ExplorerState, _ new: SamplerSettings, restart: Bool = false) -> [Effect] {
        if new == s.settings { return [] }   // a key that changes nothing (η already 0) is no branch
        let keep = restart || !new.sharesSchedule(with: s.settings) ? 0 : min(s.k, s.steps.count)
        if s.steps.count > keep { s.other = s.current }
        if keep == 0 {
            (s.current, s.schedule) = ExplorerState.start(s.model.config, new)
        } else {
            s.current = s.current.branched(at: keep, new)
        }
        s.k = min(s.k, keep)
        s.goal = nil; s.probe = nil
        s.generation += 1
        s.failure = nil
        s.target = s.playing || s.follow ? s.stepCount : s.k + 1
        s.message = keep == 0 && s.other != nil ? "restarted from x_T" : "branched at step \(keep)"
        return [request(s)]
    }

    /// The other branch becomes current: its steps show at once, and the worker rebuilds it from
    /// its lineage (same seed and settings, so the same numbers) to be able to go on.
    static func swap(_ s: inout ExplorerState) -> [Effect] {
        guard let o = s.other else { s.message = "no other branch yet: change a parameter first"; return [] }
        s.other = s.current
        s.current = o
        s.schedule = s.schedule(o.settings)
        s.k = min(s.k, max(0, min(o.steps.count, s.stepCount - 1)))
        s.generation += 1
        s.failure = nil
        s.halt(); s.probe = nil
        s.target = max(o.steps.count, s.k + 1)
        s.message = "swapped branches (fork at step \(s.fork))"
        return [request(s)]
    }

    static func received(_ event: WorkerEvent, _ s: inout ExplorerState) {
        switch event {
        case .stepped(let g, let view):
            guard g == s.generation, view.k == s.current.steps.count else { return }
            s.current.steps.append(view)
            enforceAttentionBudget(&s)
            if let goal = s.goal {
                s.k = min(goal, s.steps.count)
                if s.k == goal { s.goal = nil }
            }
            if s.follow {
                s.k = s.steps.count - 1
                if s.steps.count >= s.stepCount { s.follow = false }
            }
        case .probed(let g, let k, let attention):
            guard g == s.generation, k < s.current.steps.count, s.current.steps[k].attention == nil else { return }
            s.current.steps[k].attention = attention
            s.probe = nil
            enforceAttentionBudget(&s)
        case .failed(let g, let text):
            guard g == s.generation else { return }
            s.failure = text
            s.playing = false; s.follow = false
        case .forward(let e):
            receivedForward(e, &s)
        case .compare(let e):
            receivedCompare(e, &s)
        case .decode(let e):
            receivedDecode(e, &s)
        case .ablationMap(let e):
            receivedAblationMap(e, &s)
        case .sheet(let e):
            receivedSheet(e, &s)
        }
    }

    /// The Attention view (its pane, or lesson 5's) on a computed step whose attention was
    /// dropped: ask the worker for it.
    static func reprobe(_ s: inout ExplorerState, _ screen: OnScreen) -> [Effect] {
        guard screen.shows(.attention), let v = s.view, v.attention == nil, s.probe != s.k,
              s.steps.contains(where: { $0.attention != nil }) else { return [] }   // a model with probes
        s.probe = s.k
        return [request(s)]
    }

    static func enforceAttentionBudget(_ s: inout ExplorerState) {
        var total = s.current.steps.reduce(0) { $0 + ($1.attention?.reduce(0) { $0 + $1.count } ?? 0) }
        var i = 0
        while total > s.attentionBudget && i < s.current.steps.count {
            if i != s.k, let a = s.current.steps[i].attention {
                total -= a.reduce(0) { $0 + $1.count }
                s.current.steps[i].attention = nil
            }
            i += 1
        }
    }
}
