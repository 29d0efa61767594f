// --ablate SPEC (repeatable), shared by every command that runs the model: residual branches or
// heads that add nothing in every forward pass (the library's Ablation.swift has the numerics).
import ArgumentParser
import DiT

struct AblationOptions: ParsableArguments {
    @Option(name: .customLong("ablate"),
            help: ArgumentHelp("Ablate in every forward pass (repeatable; K, H 0-based): block.K (both residual branches add nothing; "
                               + "adaLN-Zero: α = 0), block.K.attn, block.K.mlp, block.K.cross (cross-attention models), "
                               + "head.K.H (head H zeroed before attn.proj).", valueName: "spec"))
    var specs: [String] = []

    /// The ablations, checked against the model; a bad spec names --ablate, the spec and what was expected.
    func resolve(_ c: DiTConfig) throws -> AblationSet {
        do {
            let set = try AblationSet(specs: specs)
            try set.validate(c)
            return set
        } catch var e as DiTError {
            e.file = "--ablate"
            throw e
        }
    }

    /// `settings` with these ablations.
    func applied(to settings: SamplerSettings, _ c: DiTConfig) throws -> SamplerSettings {
        var s = settings
        s.ablations = try resolve(c)
        return s
    }
}
