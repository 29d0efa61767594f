// --seed, --steps, --cfg, --eta and the solver's choices: every command that samples (sample,
// explore, eval, compare) takes them through this one group. Their bounds are the library's
// (SamplerSettings.checkBounds, the one source of truth), checked once at parsing and reported
// with the flag's name (SettingError.cliError).
import ArgumentParser
import DiT

struct SamplingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed of the noise generator (x_T and the step noises).") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Number of sampling steps (respaced from 1000).") var steps: Int = 50
    @Option(parsing: .unconditional, help: "Classifier-free guidance scale (1 = no guidance).") var cfg: Float = 4
    @Option(parsing: .unconditional, help: "DDIM η in 0…1 (0 = deterministic, 1 = DDPM's variance).") var eta: Float = 0
    @OptionGroup var solver: SolverOptions

    func validate() throws {
        // A malformed --cfg-interval is reported where it is parsed (settings(labels:)).
        guard let settings = try? settings(labels: [0]) else { return }
        do { try settings.checkBounds() } catch let e as SettingError { throw ValidationError(e.cliError.description) }
    }

    /// The sampler settings of these flags for `labels`; `guided` false: CFG 1 (a model without
    /// the null class); `clip`: DDPM's and DDIM's x̂0 clipped to [-1, 1] (not for latents).
    func settings(labels: [Int], clip: Bool = true, guided: Bool = true) throws -> SamplerSettings {
        try solver.settings(steps: steps, eta: eta, cfgScale: guided ? cfg : 1, clip: clip, labels: labels, seed: seed)
    }
}

/// A command that samples: its sampling flags read as its own (`steps`, `seed`, …).
protocol SamplingCommand {
    var sampling: SamplingOptions { get }
}

extension SamplingCommand {
    var seed: UInt64 { sampling.seed }
    var steps: Int { sampling.steps }
    var cfg: Float { sampling.cfg }
    var eta: Float { sampling.eta }
    var solver: SolverOptions { sampling.solver }
}
