import ArgumentParser
import DiT
import Foundation

struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the explorer: step through the denoising of a live DiT sampler.")

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let model = try modelOptions.load()
        print("explorer: \(model.config.tokenCount) tokens")
    }
}
