// The Forward pane's state: a real image x_0, a timestep t of the 1000-step training schedule and
// a noise ε; x_t = q_sample(x_0, t, ε) is computed from these on the spot, what the model makes of
// x_t (ε̂ conditional and null, the loss over t, an SDEdit run) comes from the ForwardWorker.
import DiT
import Foundation

/// Real images the Forward pane picks from, one (C, H, W) image each, with their classes.
public struct RealImages: Equatable, Sendable {
    public var images: [Planes]
    public var labels: [Int]
    public var source: String              // where they came from, for the screen

    public init(images: [Planes], labels: [Int], source: String) {
        self.images = images; self.labels = labels; self.source = source
    }

    /// images.npy (N, C, H, W) and labels.npy (N) of a directory (assets/data/fashion-test-10pc).
    public static func load(directory: String) throws -> RealImages {
        let x = try NPY.read(directory + "/images.npy"), y = try NPY.read(directory + "/labels.npy")
        guard x.shape.count == 4, x.shape[0] >= 1 else {
            throw DiTError(file: directory + "/images.npy", field: "shape", "expected (N, C, H, W), found \(x.shape)")
        }
        guard y.shape == [x.shape[0]] else {
            throw DiTError(file: directory + "/labels.npy", field: "shape", "expected (\(x.shape[0]),), one class per image, found \(y.shape)")
        }
        if let bad = y.array.first(where: { !($0 >= 0 && $0 < 1e6 && $0 == $0.rounded()) }) {
            throw DiTError(file: directory + "/labels.npy", field: "values", "expected class indices ≥ 0, found \(bad)")
        }
        return RealImages(images: (0..<x.shape[0]).map { Planes(x, sample: $0) }, labels: y.array.map { Int($0) },
                          source: (directory as NSString).lastPathComponent)
    }

    /// Whether the images have the model's shape and classes.
    public func fits(_ c: DiTConfig) -> Bool {
        guard let first = images.first else { return false }
        return first.channels == c.inChannels && first.height == c.inputSize && first.width == c.inputSize
            && labels.allSatisfy { $0 < c.numClasses }
    }

    /// Rows of class y, in order.
    public func rows(ofClass y: Int) -> [Int] { labels.indices.filter { labels[$0] == y } }
}

/// The Forward pane's keys (Keymap.forward).
public enum ForwardCommand: Equatable, Sendable {
    case time(Int)            // t += n, clamped to 0…999
    case timeTo(Int)
    case image(Int)           // next / previous image of the class
    case imageClass(Int)      // a real image of the next / previous class
    case noise(Int)           // ε: seed ± 1
    case sdeditClass(Int)     // the class SDEdit runs with
    case sdedit               // run the sampler from x_t
}

/// Work for the ForwardWorker. Each kind replaces the one before it (latest wins).
public enum ForwardJob: Equatable, Sendable {
    /// ε̂ for x_t at t, with the image's class and with the null class.
    case predict(id: Int, x0: Planes, label: Int, t: Int, eps: Planes)
    /// MSE(t) over `timesteps`, `draws` noises each (streams 0… of `seed`).
    case curve(id: Int, x0: Planes, label: Int, timesteps: [Int], draws: Int, seed: UInt64)
    /// The sampler from x_0 noised (with ε) to step k of `settings`' schedule, with settings.labels.
    case sdedit(id: Int, x0: Planes, eps: Planes, step: Int, settings: SamplerSettings)
}

public enum ForwardEvent: Equatable, Sendable {
    case predicted(id: Int, ForwardPrediction)
    case curvePoint(id: Int, t: Int, mse: Float)
    case sdeditStep(id: Int, x: Planes, k: Int)      // x after step k
    case failed(id: Int, String)
}

/// What the model predicts at x_t: ε̂ with the class and with the null class (nil: none).
public struct ForwardPrediction: Equatable, Sendable {
    public var t: Int
    public var epsCond: Planes
    public var epsNull: Planes?
    public var mseCond: Float
    public var mseNull: Float?
    public init(t: Int, epsCond: Planes, epsNull: Planes?, mseCond: Float, mseNull: Float?) {
        self.t = t; self.epsCond = epsCond; self.epsNull = epsNull; self.mseCond = mseCond; self.mseNull = mseNull
    }
}

/// An SDEdit run as it arrives: x at step `start`, then after each step.
public struct SDEditRun: Equatable, Sendable {
    public var start: Int                  // step k it starts from
    public var timestep: Int               // the t of that step
    public var label: Int
    public var frames: [Planes]            // x_{t_k}, then x after steps k, k + 1, …
    public var total: Int                  // steps it runs
    public var done: Bool { frames.count > total }
}

public struct ForwardState: Equatable, Sendable {
    public static let curveTimesteps = (0..<40).map { $0 * 999 / 39 }   // where MSE(t) is measured
    public static let curveDraws = 3

    public var real: RealImages?           // nil: none shipped with this model's shape
    public var image = 0                   // row of `real`
    public var t = 500
    public var noiseSeed: UInt64 = 0       // ε = stream 0 of this seed (as x_T is drawn)
    public var eps: Planes?                // (C, H, W), of noiseSeed
    public var prediction: ForwardPrediction?
    public var curve: [Int: Float] = [:]   // t -> MSE averaged over the draws
    public var sdedit: SDEditRun?
    public var sdeditLabel: Int?           // nil: the image's own class
    public var failure: String?
    var ids = (predict: 0, curve: 0, sdedit: 0)
    var asked = (predict: -1, curve: -1)   // ids whose job went out

    public init(real: RealImages? = nil) { self.real = real }

    public static func == (a: ForwardState, b: ForwardState) -> Bool {
        a.real == b.real && a.image == b.image && a.t == b.t && a.noiseSeed == b.noiseSeed && a.eps == b.eps
            && a.prediction == b.prediction && a.curve == b.curve && a.sdedit == b.sdedit && a.sdeditLabel == b.sdeditLabel
            && a.failure == b.failure && a.ids == b.ids && a.asked == b.asked
    }

    public var x0: Planes? { real.flatMap { image < $0.images.count ? $0.images[image] : nil } }
    public var label: Int { real.map { $0.labels[image] } ?? 0 }
}

extension Planes {
    /// As a (1, C, H, W) tensor.
    var tensor: Tensor { Tensor([1, channels, height, width], values) }
}

extension ForwardState {
    /// x_t = q_sample(x_0, t, ε), exactly as training (and `dit noise`) makes it.
    public var xt: Planes? { x0.flatMap { x in eps.flatMap { e in ForwardState.noised(x, t, e) } } }

    static func noised(_ x0: Planes, _ t: Int, _ eps: Planes) -> Planes? {
        (try? ForwardProcess.linear.qSample(x0: x0.tensor, t: [t], noise: eps.tensor)).map { Planes($0) }
    }

    /// (ε̂ − ε)² per pixel of the conditional prediction.
    public var squaredError: Planes? {
        guard let p = prediction, let e = eps, p.t == t else { return nil }
        return Planes(channels: e.channels, height: e.height, width: e.width,
                      values: zip(p.epsCond.values, e.values).map { ($0 - $1) * ($0 - $1) })
    }
}
