// Colour maps as anchor points with linear interpolation in RGB.
// viridis: every 16th row of matplotlib's _viridis_data (lib/matplotlib/_cm_listed.py, from
//   BIDS/colormap option_d by van der Walt & Smith, CC0 1.0): perceptually uniform, for
//   attention probabilities and norms.
// coolwarm: every 4th anchor of matplotlib's _coolwarm_data (lib/matplotlib/_cm.py, Moreland's
//   diverging map): for signed values (ε̂, gates), grey at 0.

public struct ColorMap: Sendable {
    public let name: String
    let anchors: [RGB]

    public init(name: String, anchors: [RGB]) { self.name = name; self.anchors = anchors }

    /// The colour at t in [0, 1] (clamped; NaN maps to 0).
    public func color(_ t: Double) -> RGB {
        let u = t.isNaN ? 0 : max(0, min(1, t)) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2)
        return anchors[i].mix(anchors[i + 1], u - Double(i))
    }

    /// v mapped through [lo, hi].
    public func color(_ v: Double, lo: Double, hi: Double) -> RGB {
        color(hi > lo ? (v - lo) / (hi - lo) : 0.5)
    }

    public static let viridis = ColorMap(name: "viridis", anchors: [
        RGB(68, 1, 84), RGB(72, 24, 106), RGB(71, 45, 123), RGB(66, 64, 134), RGB(59, 82, 139),
        RGB(51, 99, 141), RGB(44, 114, 142), RGB(38, 130, 142), RGB(33, 145, 140), RGB(31, 160, 136),
        RGB(40, 174, 128), RGB(63, 188, 115), RGB(94, 201, 98), RGB(132, 212, 75), RGB(173, 220, 48),
        RGB(216, 226, 25), RGB(253, 231, 37),
    ])

    public static let coolwarm = ColorMap(name: "coolwarm", anchors: [
        RGB(59, 76, 192), RGB(98, 130, 234), RGB(141, 176, 254), RGB(184, 208, 249), RGB(221, 221, 221),
        RGB(245, 196, 173), RGB(244, 154, 123), RGB(222, 96, 77), RGB(180, 4, 38),
    ])

    public static let grey = ColorMap(name: "grey", anchors: [RGB(0, 0, 0), RGB(255, 255, 255)])
}
