// 24-bit colour. The canvas always holds RGB; a backend quantises for the terminal it has.

public struct RGB: Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }

    /// A grey of level v in [0, 1] (clamped).
    public init(grey v: Double) {
        let c = RGB.byte(v)
        self.init(c, c, c)
    }

    @inline(__always) public static func byte(_ v: Double) -> UInt8 {
        v.isNaN ? 0 : UInt8(max(0, min(255, (v * 255).rounded())))
    }

    /// Rec. 709 luma in [0, 1]: what an ASCII ramp or a grey quantiser should preserve.
    public var luminance: Double { (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255 }

    /// (1 − t)·self + t·other.
    public func mix(_ other: RGB, _ t: Double) -> RGB {
        func m(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8(max(0, min(255, (Double(a) + (Double(b) - Double(a)) * t).rounded()))) }
        return RGB(m(r, other.r), m(g, other.g), m(b, other.b))
    }

    public static let black = RGB(0, 0, 0), white = RGB(255, 255, 255)
    // The UI palette: one place, so every view agrees.
    public static let accent = RGB(255, 200, 60), dim = RGB(128, 128, 128), panel = RGB(40, 44, 52)
    public static let good = RGB(120, 200, 120), bad = RGB(230, 90, 80), link = RGB(110, 170, 255)
}
