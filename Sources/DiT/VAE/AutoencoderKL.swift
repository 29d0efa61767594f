// diffusers AutoencoderKL (models/autoencoders/autoencoder_kl.py), the Stable Diffusion KL-f8
// VAE that latent DiT models work in:
//   encode: moments = quant_conv(encoder(x))      (N, 2·latent, H/f, W/f)
//           z = mean · scaling_factor             the posterior's mean, moments[:, :latent]
//   decode: x = decoder(post_quant_conv(z / scaling_factor))   (N, out, H, W)
// as pipelines scale latents (DiTPipeline: latents = 1 / scaling_factor · latents before decode).
// With a shift_factor (SD3, Flux) z = (mean − shift) · scale and decode(z / scale + shift).
// Samples run one after another; each is split over the cores inside its convolutions.
import Foundation

public final class AutoencoderKL: @unchecked Sendable {
    public let config: AutoencoderKLConfig
    let encoder: Encoder
    let decoder: Decoder
    let quantConv: Conv2d?          // quant_conv (2·latent, 2·latent, 1, 1)
    let postQuantConv: Conv2d?      // post_quant_conv (latent, latent, 1, 1)
    public let unusedKeys: [String]
    public let directory: String
    public private(set) var dtypes: [String] = []
    private let scratch = VAEScratch()
    private let lock = NSLock()     // one forward at a time: the scratch is shared

    /// The largest feature map (floats) one image may need: 1 GiB a buffer.
    public static let maxActivation = 1 << 28
    /// The most latent positions the mid-block attention takes (its cost grows with their square):
    /// 256 × 256, a 2048² image for KL-f8.
    public static let maxAttentionTokens = 1 << 16

    public init(config: AutoencoderKLConfig, reader r: WeightReader) throws {
        BLAS.singleThreaded
        self.config = config
        encoder = try Encoder(r, config)
        decoder = try Decoder(r, config)
        let l = config.latentChannels
        quantConv = config.useQuantConv ? try Conv2d(r, "quant_conv", in: 2 * l, out: 2 * l, kernel: 1, padding: .all(0)) : nil
        postQuantConv = config.usePostQuantConv ? try Conv2d(r, "post_quant_conv", in: l, out: l, kernel: 1, padding: .all(0)) : nil
        unusedKeys = r.unusedKeys
        directory = r.file
        dtypes = r.store?.dtypes.map(\.rawValue).sorted() ?? ["F32"]
    }

    /// A diffusers VAE folder (config.json + diffusion_pytorch_model.safetensors, or its sharded
    /// index), or a pipeline folder holding one as vae/ (model_index.json beside it).
    public convenience init(directory path: String) throws {
        let dir = AutoencoderKL.vaeFolder(path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw DiTError(file: path, "expected a VAE directory (config.json and diffusion_pytorch_model.safetensors) or a pipeline folder with vae/")
        }
        let config = try AutoencoderKLConfig.load((dir as NSString).appendingPathComponent("config.json"))
        let store = try SafeTensorsStore.open(dir, names: [SafeTensorsStore.diffusersName, SafeTensorsStore.modelName])
        try self.init(config: config, reader: WeightReader(store: store, file: dir))
    }

    /// PATH/vae when PATH is a pipeline folder, else PATH.
    public static func vaeFolder(_ path: String) -> String { ConfigFields.pipelineComponent(path, "vae") }

    public var parameterCount: Int {
        func conv(_ c: Conv2d?) -> Int { (c?.weight.count ?? 0) + (c?.bias?.count ?? 0) }
        func norm(_ g: GroupNorm) -> Int { 2 * g.channels }
        func resnet(_ r: ResnetBlock2D) -> Int { norm(r.norm1) + conv(r.conv1) + norm(r.norm2) + conv(r.conv2) + conv(r.convShortcut) }
        func mid(_ m: UNetMidBlock2D) -> Int {
            m.resnets.map(resnet).reduce(0, +) + (m.attention.map { a in
                norm(a.groupNorm) + [a.toQ, a.toQBias, a.toK, a.toKBias, a.toV, a.toVBias, a.toOut, a.toOutBias].reduce(0) { $0 + $1.count }
            } ?? 0)
        }
        let enc = conv(encoder.convIn) + encoder.downBlocks.reduce(0) { $0 + $1.resnets.map(resnet).reduce(0, +) + conv($1.downsampler?.conv) }
            + mid(encoder.midBlock) + norm(encoder.convNormOut) + conv(encoder.convOut)
        let dec = conv(decoder.convIn) + mid(decoder.midBlock) + norm(decoder.convNormOut) + conv(decoder.convOut)
            + decoder.upBlocks.reduce(0) { $0 + $1.resnets.map(resnet).reduce(0, +) + conv($1.upsampler?.conv) }
        return enc + dec + conv(quantConv) + conv(postQuantConv)
    }

    /// Floats of the buffers held (they grow to the largest image seen).
    public var scratchFloats: Int { lock.withLock { scratch.floatCount } }

    /// Image (h, w) and latent (lh, lw) within the limits.
    private func checkSize(_ c: Int, _ h: Int, _ w: Int, latent lh: Int, _ lw: Int, source: String, what: String) throws {
        if config.midBlockAddAttention, lh * lw > AutoencoderKL.maxAttentionTokens {
            throw DiTError(file: source, field: "shape", "latents of \(lh) × \(lw) = \(lh * lw) positions for the mid-block attention; expected at most \(AutoencoderKL.maxAttentionTokens)")
        }
        let widest = max(config.blockOutChannels.max()!, c)
        guard let n = Tensor.checkedCount([widest, h, w]), n <= AutoencoderKL.maxActivation else {
            throw DiTError(file: source, field: "shape", "\(what) of \(h) × \(w) needs feature maps of \(widest) × \(h) × \(w) floats; expected at most \(AutoencoderKL.maxActivation)")
        }
    }

    /// Images (N, out, h·f, w·f) from latents z (N, latent, h, w) as a DiT samples them
    /// (scaled by scaling_factor); `source` names z in messages.
    public func decode(latents z: Tensor, source: String = "latents") throws -> Tensor {
        let c = config
        guard z.shape.count == 4, z.shape[1] == c.latentChannels, z.shape[0] >= 1, z.shape[2] >= 1, z.shape[3] >= 1 else {
            throw DiTError(file: source, field: "shape", "expected latents (N, \(c.latentChannels), h, w) with N, h, w ≥ 1, found \(z.shape)")
        }
        let (n, h, w) = (z.shape[0], z.shape[2], z.shape[3])
        let f = c.downsampleFactor
        guard let H = Tensor.checkedCount([h, f]), let W = Tensor.checkedCount([w, f]) else {
            throw DiTError(file: source, field: "shape", "latents of \(h) × \(w) give an image too large to hold")
        }
        try checkSize(c.outChannels, H, W, latent: h, w, source: source, what: "an image")
        let out = Tensor([n, c.outChannels, H, W])
        let plane = c.latentChannels * h * w, scaled = UnsafeMutablePointer<Float>.allocate(capacity: plane)
        defer { scaled.deallocate() }
        let scale = Float(c.scalingFactor), shift = Float(c.shiftFactor ?? 0)
        lock.lock(); defer { lock.unlock() }
        for b in 0..<n {
            for i in 0..<plane { scaled[i] = z.data[b * plane + i] / scale + shift }
            var flow = FeatureFlow(scratch, scaled, channels: c.latentChannels, height: h, width: w)
            if let postQuantConv {
                flow.step(channels: c.latentChannels) { postQuantConv.run($0, $2, $3, scratch, into: $1) }
            }
            decoder.forward(&flow)
            precondition(flow.height == H && flow.width == W && flow.channels == c.outChannels)
            (out.data + b * out.count / n).update(from: flow.data, count: out.count / n)
        }
        return out
    }

    /// The latent (h, w) of an image (H, W), or nil when it is too small for the downsamplers.
    public func latentSize(height: Int, width: Int) -> (height: Int, width: Int)? {
        encoder.latentSize(height, width).map { ($0.0, $0.1) }
    }

    /// Latents (N, latent, h, w), the posterior mean × scaling_factor, of images x (N, in, H, W) in [-1, 1].
    public func encode(images x: Tensor, source: String = "images") throws -> Tensor {
        let c = config
        guard x.shape.count == 4, x.shape[1] == c.inChannels, x.shape[0] >= 1, x.shape[2] >= 1, x.shape[3] >= 1 else {
            throw DiTError(file: source, field: "shape", "expected images (N, \(c.inChannels), H, W) with N, H, W ≥ 1, found \(x.shape)")
        }
        let (n, H, W) = (x.shape[0], x.shape[2], x.shape[3])
        guard let (h, w) = encoder.latentSize(H, W) else {
            throw DiTError(file: source, field: "shape", "images of \(H) × \(W) are too small for \(c.blockOutChannels.count - 1) downsamplings; expected at least 2 × 2 at each")
        }
        try checkSize(c.inChannels, H, W, latent: h, w, source: source, what: "an image")
        let l = c.latentChannels, out = Tensor([n, l, h, w])
        let scale = Float(c.scalingFactor), shift = Float(c.shiftFactor ?? 0)
        lock.lock(); defer { lock.unlock() }
        for b in 0..<n {
            var flow = FeatureFlow(scratch, x.data + b * c.inChannels * H * W, channels: c.inChannels, height: H, width: W)
            encoder.forward(&flow)
            if let quantConv {
                flow.step(channels: 2 * l) { quantConv.run($0, $2, $3, scratch, into: $1) }
            }
            precondition(flow.height == h && flow.width == w && flow.channels == 2 * l)
            let mean = flow.data, dst = out.data + b * l * h * w   // moments[:, :latent]
            for i in 0..<(l * h * w) { dst[i] = (mean[i] - shift) * scale }
        }
        return out
    }
}
