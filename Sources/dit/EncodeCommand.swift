import ArgumentParser
import DiT
import Foundation

struct Encode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encode images to latents with a VAE: the posterior mean × scaling_factor.",
        discussion: """
        Example:
          dit encode --vae sd-vae-ft-ema --images x.npy --output z.npy
        The images are (N, in_channels, H, W) in [-1, 1]; the latents (N, latent_channels, h, w), \
        h = H/8 for KL-f8, scaled as a latent DiT expects them (dit decode inverts it).
        """)

    @OptionGroup var vaeOptions: VAEOptions
    @Option(help: ArgumentHelp("Images (N, C, H, W) in [-1, 1], float .npy.", valueName: "x.npy")) var images: String
    @Option(help: ArgumentHelp("Output latents .npy (N, latent_channels, h, w) float32.", valueName: "z.npy")) var output: String

    func run() throws {
        try checkOutput(output, flag: "--output")
        let vae = try vaeOptions.load()
        let x = try readArray(images, flag: "--images")
        let z = try vae.encode(images: x, source: images)
        try checkFinite(z, "the latents")
        try NPY.write(z, to: output)
        wrote(output, "\(z.shape)")
    }
}
