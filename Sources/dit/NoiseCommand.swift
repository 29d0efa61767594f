import ArgumentParser
import DiT
import Foundation

struct Noise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The forward process q_sample: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε, row by row.",
        discussion: """
        Example:
          dit noise --x0 x0.npy --t 999,500,10 --noise eps.npy --output xt.npy
        Row n of x_0 is noised to timestep t_n with row n of ε. ᾱ is computed in float64 from \
        the linear betas (1e-4 … 0.02 over 1000 steps) the models are trained with; the output \
        is (N, C, H, W) float32.
        """)

    @OptionGroup var input: NoisedInputOptions
    @Option(help: ArgumentHelp("Output x_t (N, C, H, W) float32 .npy.", valueName: "xt.npy")) var output: String

    func run() throws {
        try checkOutput(output, flag: "--output")
        let (x0, t, eps) = try input.load()
        let xt = try ForwardProcess.linear.qSample(x0: x0, t: t, noise: eps, names: ("--noise", "--t"))
        try writeFinite(xt, to: output, what: "x_t")
        wrote(output, "x_t \(xt.shape) at t = \(t.map(String.init).joined(separator: ","))")
    }
}
