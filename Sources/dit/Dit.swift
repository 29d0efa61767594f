import ArgumentParser

struct Dit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dit",
        abstract: "A terminal explorer for Diffusion Transformers (DiT, Peebles & Xie 2023).",
        discussion: """
        With no subcommand, opens the explorer on the shipped DiT-S model. The other \
        subcommands script the same engine: exact DiT forward passes, DDPM / DDIM sampling \
        with classifier-free guidance (and SDEdit from real images), the forward process and the \
        training loss, model information, the paper's cost table and benchmarks.
        """,
        version: "0.1.0",
        subcommands: [Explore.self, Lesson.self, Sample.self, Eval.self, Compare.self, Forward.self, Decode.self, Encode.self, Noise.self, Loss.self,
                      Ablate.self, Grid.self, Info.self, Flops.self, Bench.self,
                      Replay.self, View.self],
        defaultSubcommand: Explore.self)
}
