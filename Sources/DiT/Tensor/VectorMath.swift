// Vectorised exp for the element-wise stages over all tokens (GELU, softmax): the scalar
// expf/tanhf of libm dominated the forward pass (SiLU runs on (N, D) only and keeps expf).
// Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for e^r, 2^n built in
// the exponent bits; about 1 ulp over the clamped range.

typealias Vec = SIMD8<Float>

@inline(__always)
func vexp(_ xIn: Vec) -> Vec {
    var x = xIn.replacing(with: -87.3, where: xIn .< -87.3)   // clamp (pointwiseMin/Max are not inlined)
    x.replace(with: 88.3, where: x .> 88.3)
    // Round to nearest by adding 1.5·2²³: the integer lands in the low mantissa bits (the generic
    // SIMD rounding and Int32 conversions are scalar loops in Swift 6.3).
    let shifted = x * 1.44269504088896341 + 12582912
    let n = shifted - 12582912
    x = x - n * 0.693359375 + n * 2.12194440e-4   // ln2 split in two for exactness
    var y = Vec(repeating: 1.9875691500e-4)
    y = y * x + 1.3981999507e-3
    y = y * x + 8.3334519073e-3
    y = y * x + 4.1665795894e-2
    y = y * x + 1.6666665459e-1
    y = y * x + 5.0000001201e-1
    y = y * (x * x) + x + 1
    let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return y * unsafeBitCast(bits, to: Vec.self)
}

@inline(__always)
func load(_ p: UnsafePointer<Float>) -> Vec {
    UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always)
func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self)
}
