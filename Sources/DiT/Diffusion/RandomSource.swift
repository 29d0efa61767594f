// The one random generator of dit, documented so that a seed gives the same noise everywhere:
//
//   stream seed  s = seed XOR (stream · 0xD1B54A32D192ED03)   (wrapping multiply)
//   state        four SplitMix64 outputs of s seed xoshiro256** (Blackman & Vigna 2018)
//   uniforms     u = (next() >> 11) · 2⁻⁵³ in [0, 1); the first of a pair uses 1 − u, in (0, 1]
//   normals      Box–Muller in float64: r = √(−2 ln u1), z0 = r cos 2πu2, z1 = r sin 2πu2,
//                rounded to float32, filled in row-major order, z0 before z1.
//
// A trajectory draws x_T from stream 0 and the noise of denoising step k (k = 0 first) from
// stream k + 1, so each step's noise depends only on (seed, k): a branch from step k with the
// same seed reproduces the original's noise, and replays are exact.
import Foundation

public struct SplitMix64 {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

public struct Xoshiro256StarStar: RandomNumberGenerator {
    var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = SplitMix64(seed: seed ^ (stream &* 0xD1B54A32D192ED03))
        s = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Fills `count` standard normals (Box–Muller, pairs), starting at element `skip` of the stream:
    /// skipped pairs cost two next() calls each, so a window of a large batch is cheap.
    public mutating func fillNormal(_ out: UnsafeMutablePointer<Float>, count: Int, skip: Int = 0) {
        for _ in 0..<(skip / 2) { _ = next(); _ = next() }
        if skip % 2 == 1 && count > 0 {  // the window starts at the second value of a pair
            let u1 = 1 - uniform(), u2 = uniform()
            out[0] = Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.sin(2 * Double.pi * u2))
            fillNormal(out + 1, count: count - 1)
            return
        }
        var i = 0
        while i < count {
            let u1 = 1 - uniform(), u2 = uniform()
            let r = (-2 * Foundation.log(u1)).squareRoot(), a = 2 * Double.pi * u2
            out[i] = Float(r * Foundation.cos(a))
            if i + 1 < count { out[i + 1] = Float(r * Foundation.sin(a)) }
            i += 2
        }
    }
}

/// Where a sampler's noise comes from: the seeded streams, unless arrays given by the user
/// (x_T; per-step noises (steps, N, C, H, W), consumed in order) take their place.
public struct NoiseSource: @unchecked Sendable {
    public var seed: UInt64
    public var initial: Tensor?
    public var steps: Tensor?
    /// Elements of each seeded stream to skip: a batch drawn in chunks (dit eval) takes the same
    /// noise as one batch of all samples, chunk b starting at offset b₀ · C · H · W.
    public var offset: Int = 0

    public init(seed: UInt64, initial: Tensor? = nil, steps: Tensor? = nil, offset: Int = 0) {
        self.seed = seed; self.initial = initial; self.steps = steps; self.offset = offset
    }

    /// x_T of shape (N, C, H, W).
    public func initial(shape: [Int]) -> Tensor {
        if let initial { return initial.copy() }
        let t = Tensor(shape)
        var g = Xoshiro256StarStar(seed: seed, stream: 0)
        g.fillNormal(t.data, count: t.count, skip: offset)
        return t
    }

    /// The noise of denoising step k (0 = first step) into `out`: row `row` (default k) of the given
    /// array, which holds the steps run in order, else the seed's stream k + 1.
    public func stepNoise(_ k: Int, row: Int? = nil, into out: Tensor) {
        let r = row ?? k
        if let steps, steps.count >= (r + 1) * out.count {
            out.data.update(from: steps.data + r * out.count, count: out.count)
            return
        }
        var g = Xoshiro256StarStar(seed: seed, stream: UInt64(k + 1))
        g.fillNormal(out.data, count: out.count, skip: offset)
    }
}
