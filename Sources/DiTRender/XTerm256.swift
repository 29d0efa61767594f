// Nearest xterm-256 colour: the 6×6×6 cube (16–231, levels 0, 95, 135, 175, 215, 255) or the
// grey ramp (232–255, 8 … 238 step 10), whichever is nearer (tmux colour.c colour_find_rgb).
// 0–15 are skipped: themes redefine them.

public enum XTerm256 {
    static let levels: [Int] = [0, 95, 135, 175, 215, 255]

    @inline(__always) static func cubeIndex(_ v: Int) -> Int {
        v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40
    }

    public static func index(_ c: RGB) -> Int {
        let r = Int(c.r), g = Int(c.g), b = Int(c.b)
        let qr = cubeIndex(r), qg = cubeIndex(g), qb = cubeIndex(b)
        let cr = levels[qr], cg = levels[qg], cb = levels[qb]
        let cube = 16 + 36 * qr + 6 * qg + qb
        if cr == r && cg == g && cb == b { return cube }
        let avg = (r + g + b) / 3
        let greyIdx = avg > 238 ? 23 : max(0, (avg - 3) / 10)
        let grey = 8 + 10 * greyIdx
        func d(_ x: Int, _ y: Int, _ z: Int) -> Int { (x - r) * (x - r) + (y - g) * (y - g) + (z - b) * (z - b) }
        return d(grey, grey, grey) < d(cr, cg, cb) ? 232 + greyIdx : cube
    }

    /// 4×4 Bayer thresholds (0…15): an ordered dither, deterministic, so frames do not shimmer
    /// and goldens stay stable (chafa's chafa_gen_bayer_matrix).
    static let bayer: [Int] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]

    /// The index for pixel (x, y) of an image: the colour nudged by up to about half a grey-ramp
    /// step (10) before the nearest match, so smooth greys mix neighbouring levels instead of
    /// banding.
    public static func index(_ c: RGB, ditherX x: Int, y: Int) -> Int {
        let threshold: Double = (Double(bayer[(y & 3) * 4 + (x & 3)]) + 0.5) / 16 - 0.5   // −0.47 … +0.47
        let d = Int((threshold * 10).rounded())                                            // −5 … +5
        func nudge(_ v: UInt8) -> UInt8 { UInt8(max(0, min(255, Int(v) + d))) }
        return index(RGB(nudge(c.r), nudge(c.g), nudge(c.b)))
    }

    /// The RGB a terminal shows for index i (16–255).
    public static func rgb(_ i: Int) -> RGB {
        if i >= 232 { let v = UInt8(8 + 10 * (i - 232)); return RGB(v, v, v) }
        let j = max(0, i - 16)
        return RGB(UInt8(levels[j / 36]), UInt8(levels[(j / 6) % 6]), UInt8(levels[j % 6]))
    }

    /// What the colour looks like after quantisation (for previews and tests).
    public static func quantize(_ c: RGB) -> RGB { rgb(index(c)) }
}
