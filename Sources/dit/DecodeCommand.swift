import ArgumentParser
import DiT
import Foundation

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode latents to images with a VAE: vae.decode(z / scaling_factor).",
        discussion: """
        Example:
          dit decode --vae sd-vae-ft-ema --latents z.npy --output x.png
        The latents are (N, latent_channels, h, w) as a latent DiT samples them (scaled by the \
        VAE's scaling_factor, 0.18215 for the Stable Diffusion VAE); the images are (N, 3, 8h, 8w) \
        in [-1, 1] for KL-f8. A .png output clamps to [-1, 1] and lays the images out in a grid.
        """)

    @OptionGroup var vaeOptions: VAEOptions
    @Option(help: ArgumentHelp("Latents (N, latent_channels, h, w) float .npy.", valueName: "z.npy")) var latents: String
    @Option(help: ArgumentHelp("Output: .npy (N, C, H, W) float32 or .png grid.", valueName: "x.npy|x.png")) var output: String

    func validate() throws {
        let ext = (output as NSString).pathExtension.lowercased()
        guard ext == "npy" || ext == "png" else { throw ValidationError("--output must end in .npy or .png, found '\(output)'") }
    }

    func run() throws {
        let x = try vaeOptions.apply(to: latents, flag: "--latents", output: output, "the decoded images") { try $0.decode(latents: $1, source: latents) }
        if (output as NSString).pathExtension.lowercased() == "png" { try PNG.writeGrid(x, to: output) } else { try NPY.write(x, to: output) }
        wrote(output, "\(x.shape)")
    }
}
