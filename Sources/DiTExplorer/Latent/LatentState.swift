// A latent model's side of the explorer: the VAE that turns a latent x̂0 into pixels, the decode
// in flight, and the messages to and from the DecodeWorker. The decoded pictures themselves live
// in each Branch (Branch.decoded), so a branch and a swap keep the ones still valid.
import DiT

/// What the views need to know about the VAE, computed once.
public struct VAESummary: Equatable, Sendable {
    public var name: String               // its folder, or "random KL-f8"
    public var latentChannels: Int
    public var imageChannels: Int
    public var downsampleFactor: Int      // f: an h×w latent decodes to (f·h)×(f·w)
    public var scalingFactor: Double      // decode(z / scaling_factor), 0.18215 for the SD VAE
    public var parameters: Int

    public init(name: String, latentChannels: Int, imageChannels: Int, downsampleFactor: Int, scalingFactor: Double, parameters: Int) {
        self.name = name; self.latentChannels = latentChannels; self.imageChannels = imageChannels
        self.downsampleFactor = downsampleFactor; self.scalingFactor = scalingFactor; self.parameters = parameters
    }

    public init(_ vae: AutoencoderKL, name: String) {
        let c = vae.config
        self.init(name: name, latentChannels: c.latentChannels, imageChannels: c.outChannels, downsampleFactor: c.downsampleFactor,
                  scalingFactor: c.scalingFactor, parameters: vae.parameterCount)
    }
}

/// One decode: x̂0 of step k (its latents, so the result finds every branch whose step k is the same).
public struct DecodeJob: Equatable, Sendable {
    public var k: Int
    public var latents: Planes            // (latent, h, w), scaled as the DiT samples them
    public init(k: Int, latents: Planes) { self.k = k; self.latents = latents }
}

public enum DecodeEvent: Equatable, Sendable {
    case decoded(DecodeJob, image: Planes, milliseconds: Double)   // image (C, f·h, f·w) in [-1, 1]
    case failed(DecodeJob, String)
}

/// The explorer's decoder state (nil in ExplorerState for a pixel-space model).
public struct LatentState: Equatable, Sendable {
    public var vae: VAESummary
    public var running: DecodeJob?        // the decode in flight: one at a time
    public var asked: Int?                // the step `d` asked for: decoded next, once computed
    public var milliseconds: Double?      // the last decode's wall time
    public var failure: String?           // the last decode's error: automatic decodes wait for `d`

    /// Decoded pictures a branch keeps (256×256×3 floats = 0.8 MB each); the farthest from the
    /// step on screen go first.
    public static let maxPictures = 12

    public init(vae: VAESummary) { self.vae = vae }

    /// The steps decoded without asking, as they arrive: a quarter, half and three quarters of the
    /// way, and the last (the sample).
    public static func automaticSteps(_ K: Int) -> [Int] {
        Array(Set([K / 4, K / 2, 3 * K / 4, K - 1].filter { $0 >= 0 })).sorted()
    }
}

extension Branch {
    /// The decoded x̂0 nearest step k, at or before it first: the step it is from, and the image.
    public func decodedPicture(near k: Int) -> (k: Int, image: Planes)? {
        let j = decoded.keys.filter { $0 <= k }.max() ?? decoded.keys.filter { $0 > k }.min()
        return j.map { ($0, decoded[$0]!) }
    }
}
