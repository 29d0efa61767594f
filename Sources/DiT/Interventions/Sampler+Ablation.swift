// What an ablation changes at one step alone: step k's x̂0 recomputed from the same x_t with
// other ablations (typically none) in place of the step's own. The explorer's Denoising pane
// shows x̂0 with and without the ablations of the trajectory, and their difference.

extension Sampler {
    /// x̂0 of step k (in the history) from the same x_t, labels and guidance, with `ablations`
    /// instead of the step's own, under the sampler's current solver (the one of the latest
    /// step). Costs the step's network evaluations (Heun: 2); the history is unchanged, the
    /// model's probes are those of this evaluation afterwards. (1, C, H, W) per label.
    public func predXstart(at k: Int, ablations: AblationSet) throws -> Tensor {
        let i = k - startStep
        precondition(history.indices.contains(i), "step \(k) is not in the history")
        let r = history[i], labels = r.settings.labels, guidance = r.settings.guidance, denoiser = denoiser
        // The step noise moves x_{t−1} only, never x̂0: zeros stand in for it.
        let out = try solver.step(k, state: r.state, xt: r.xt, history: Array(history.prefix(i)), noise: Tensor(r.xt.shape)) { x, t in
            try denoiser.evaluate(x: x, t: t, labels: labels, guidance: guidance, ablations: ablations)
        }
        return out.predXstart.copy()
    }
}
