// The shape of diffusers' AutoencoderKL (models/autoencoders/autoencoder_kl.py), read from its
// config.json with diffusers' own names and defaults: a field that is absent takes the default
// of AutoencoderKL.__init__, as from_config does (older configs such as sd-vae-ft-mse's lack
// shift_factor, use_quant_conv, mid_block_add_attention).
import Foundation

public struct AutoencoderKLConfig: Equatable, Sendable {
    public var inChannels = 3                  // image channels
    public var outChannels = 3
    public var blockOutChannels = [64]         // one entry per down (and up) block
    public var layersPerBlock = 1              // ResnetBlock2Ds per down block (up blocks have one more)
    public var latentChannels = 4
    public var normNumGroups = 32
    public var scalingFactor = 0.18215
    public var shiftFactor: Double?            // SD3 / Flux; none for the Stable Diffusion VAE
    public var useQuantConv = true
    public var usePostQuantConv = true
    public var midBlockAddAttention = true
    public var forceUpcast = true              // diffusers runs the VAE in float32; so does this port, always
    public var latentsMean: [Double]?          // per-channel latent statistics (SDXL-style VAEs); not used here
    public var latentsStd: [Double]?

    /// The GroupNorm eps of every ResnetBlock2D, the mid-block attention and conv_norm_out (vae.py).
    public static let eps: Float = 1e-6

    public init() {}

    /// The Stable Diffusion KL-f8 VAE (sd-vae-ft-ema / -mse, the VAE of the paper's DiTs): 83.7 M parameters.
    public static let stableDiffusion: AutoencoderKLConfig = {
        var c = AutoencoderKLConfig()
        c.blockOutChannels = [128, 256, 512, 512]; c.layersPerBlock = 2
        return c
    }()

    public init(json data: Data, file: String = "config.json") throws {
        let f = try ConfigFields(json: data, file: file)
        try f.requireClass("AutoencoderKL")
        // The shape is never guessed: a config without it is not a VAE's (diffusers writes them all).
        for key in ["in_channels", "out_channels", "latent_channels"] { try f.require(key, "an integer") }
        try f.require("block_out_channels", "a list of integers")
        inChannels = try f.int("in_channels", default: inChannels)
        outChannels = try f.int("out_channels", default: outChannels)
        blockOutChannels = try f.ints("block_out_channels", default: blockOutChannels)
        layersPerBlock = try f.int("layers_per_block", default: layersPerBlock)
        latentChannels = try f.int("latent_channels", default: latentChannels)
        normNumGroups = try f.int("norm_num_groups", default: normNumGroups)
        scalingFactor = try f.double("scaling_factor", default: scalingFactor)!
        shiftFactor = try f.double("shift_factor", default: nil, nullable: true)
        useQuantConv = try f.bool("use_quant_conv", default: true)
        usePostQuantConv = try f.bool("use_post_quant_conv", default: true)
        midBlockAddAttention = try f.bool("mid_block_add_attention", default: true)
        forceUpcast = try f.bool("force_upcast", default: true)
        latentsMean = try f.doubles("latents_mean", count: latentChannels, nullable: true)
        latentsStd = try f.doubles("latents_std", count: latentChannels, nullable: true)
        if let std = latentsStd, let bad = std.first(where: { !($0 > 0) }) {
            throw DiTError(file: file, field: "latents_std", "expected positive standard deviations, found \(bad)")
        }
        // The block and activation types this port implements: the Stable Diffusion KL-f8 family.
        let down = try f.strings("down_block_types", default: ["DownEncoderBlock2D"])
        let up = try f.strings("up_block_types", default: ["UpDecoderBlock2D"])
        for (key, types, name) in [("down_block_types", down, "DownEncoderBlock2D"), ("up_block_types", up, "UpDecoderBlock2D")] {
            if let other = types.first(where: { $0 != name }) {
                throw DiTError(file: file, field: key, "expected only \(name), found \(other)")
            }
            guard types.count == blockOutChannels.count else {
                throw DiTError(file: file, field: key, "expected \(blockOutChannels.count) entries (one per block_out_channels), found \(types.count)")
            }
        }
        let act = try f.string("act_fn", default: "silu")!
        guard act == "silu" || act == "swish" else {
            throw DiTError(file: file, field: "act_fn", "expected \"silu\", found \"\(act)\"")
        }
        try validate(file: file)
    }

    public static func load(_ path: String) throws -> AutoencoderKLConfig {
        try AutoencoderKLConfig(json: FileRead.contents(path, "the VAE config"), file: path)
    }

    /// Spatial factor between image and latents: 2 per down block but the last (8 for KL-f8).
    public var downsampleFactor: Int { 1 << (blockOutChannels.count - 1) }

    /// Bounds far above the Stable Diffusion VAE's (channels 128…512, 4 blocks), so that the sizes
    /// derived from them cannot overflow and nothing huge is allocated before the weights are read.
    public static let limits = (channels: 8192, blocks: 12, layers: 64, imageChannels: 1024)

    public func validate(file: String = "config.json") throws {
        func need(_ ok: Bool, _ field: String, _ what: String) throws {
            if !ok { throw DiTError(file: file, field: field, what) }
        }
        let L = AutoencoderKLConfig.limits
        try need((1...L.imageChannels).contains(inChannels), "in_channels", "expected an integer in 1…\(L.imageChannels), found \(inChannels)")
        try need((1...L.imageChannels).contains(outChannels), "out_channels", "expected an integer in 1…\(L.imageChannels), found \(outChannels)")
        try need((1...L.imageChannels).contains(latentChannels), "latent_channels", "expected an integer in 1…\(L.imageChannels), found \(latentChannels)")
        try need((1...L.blocks).contains(blockOutChannels.count), "block_out_channels", "expected 1…\(L.blocks) entries, found \(blockOutChannels.count)")
        try need((1...L.layers).contains(layersPerBlock), "layers_per_block", "expected an integer in 1…\(L.layers), found \(layersPerBlock)")
        try need((1...L.channels).contains(normNumGroups), "norm_num_groups", "expected an integer in 1…\(L.channels), found \(normNumGroups)")
        for c in blockOutChannels {
            try need((1...L.channels).contains(c) && c % normNumGroups == 0, "block_out_channels",
                     "expected channel counts in 1…\(L.channels) divisible by norm_num_groups \(normNumGroups), found \(c)")
        }
        try need(Float(scalingFactor).isNormal, "scaling_factor", "expected a non-zero number within float range, found \(scalingFactor)")
    }
}
