import ArgumentParser
import DiT
import Foundation

struct Loss: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The training loss term of DiT: mean over C, H, W of (ε̂(x_t, t, y) − ε)², per row.",
        discussion: """
        Example:
          dit loss --model assets/models/dit-s8-fashion --x0 x0.npy --t 999,500,10 --class 0,3,9 \\
                   --noise eps.npy --output mse.npy
        x_t is made as `dit noise` makes it; the model is conditional on --class (num_classes is \
        the null class) with no guidance, and ε̂ is its first C output channels: terms["mse"] of \
        training_losses. The output is (N,) float32.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var input: NoisedInputOptions
    @Option(name: .customLong("class"), help: ArgumentHelp("Class labels or names, one per row (or one for all).", valueName: "y,…")) var labels: String
    @Option(help: ArgumentHelp("Output (N,) float32 .npy.", valueName: "mse.npy")) var output: String

    func run() throws {
        try checkOutput(output, flag: "--output")
        let model = try modelOptions.load()
        let (x0, t, eps) = try input.load()
        let ys = try broadcast(parseClassList(labels, config: model.config), to: x0.shape[0], flag: "--class")
        try model.validate(x: x0, t: t.map(Float.init), y: ys, source: input.x0)
        let loss = try TrainingLoss(model: model, x0: x0, t: t, labels: ys, noise: eps, source: "--x0")
        try writeFinite(Tensor([loss.mse.count], loss.mse), to: output, what: "the loss")
        print("loss (mean of (ε̂ − ε)² per row): " + loss.mse.map { String(format: "%.6g", $0) }.joined(separator: ", ")
              + String(format: "; mean %.6g over %d rows", loss.mse.reduce(0, +) / Float(loss.mse.count), loss.mse.count))
        wrote(output, "(\(loss.mse.count),) float32")
    }
}
