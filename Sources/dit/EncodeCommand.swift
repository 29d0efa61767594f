import ArgumentParser
import DiT
import Foundation

/// The inverse of `dit decode`, up to the VAE's reconstruction error.
struct Encode: ParsableCommand {
    @OptionGroup var vaeOptions: VAEOptions
    @Option(help: ArgumentHelp("Images (N, C, H, W) in [-1, 1], float .npy.", valueName: "x.npy")) var images: String
    @Option(help: ArgumentHelp("Output latents .npy (N, latent_channels, h, w) float32.", valueName: "z.npy")) var output: String

    static let configuration = CommandConfiguration(
        abstract: "Encode images to latents with a VAE: the posterior mean × scaling_factor.",
        discussion: """
        The images are (N, in_channels, H, W) in [-1, 1]; the latents (N, latent_channels, h, w), \
        h = H/8 for KL-f8, scaled as a latent DiT expects them (dit decode inverts it). Example:
          dit encode --vae sd-vae-ft-ema --images x.npy --output z.npy
        """)

    func run() throws {
        let z = try vaeOptions.apply(to: images, flag: "--images", output: output, "the latents") { try $0.encode(images: $1, source: images) }
        try NPY.write(z, to: output)
        wrote(output, "\(z.shape)")
    }
}
