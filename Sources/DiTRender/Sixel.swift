// Raster -> a sixel image (DEC's VT340 graphics, as xterm -ti vt340, foot, mlterm, WezTerm and
// Konsole draw it): DCS P1;P2 q, raster attributes "1;1;W;H (square pixels), colour registers
// #i;2;r;g;b in percent, then bands of six pixel rows, one pass per colour with run lengths
// (!n), $ back to the band's start, - to the next band, ST. Registers hold percent, so a
// channel comes back as round(round(v · 100 / 255) · 255 / 100): within 1 of v. Up to
// `maxColors` distinct colours are exact; beyond, a median cut picks the palette.

public enum Sixel {
    /// The DCS string for `r` with at most `maxColors` colour registers (xterm's VT340 has 16,
    /// most terminals 256 or more). P2 = 1: pixels of no colour are left as they were.
    public static func encode(_ r: Raster, maxColors: Int = 256) -> [UInt8] {
        var out = Array("\u{1B}P0;1;0q\"1;1;\(r.width);\(r.height)".utf8)
        guard r.width > 0, r.height > 0 else { return out + Array("\u{1B}\\".utf8) }
        let (palette, index) = quantize(r.pixels.map(percent), maxColors: max(2, min(256, maxColors)))
        for (i, c) in palette.enumerated() { out += Array("#\(i);2;\(c.r);\(c.g);\(c.b)".utf8) }
        // One row of six-bit columns per register, filled a band at a time and cleared after use.
        var planes = [UInt8](repeating: 0, count: palette.count * r.width)
        for top in stride(from: 0, to: r.height, by: 6) {
            let rows = top..<min(r.height, top + 6)
            var used = [Bool](repeating: false, count: palette.count)
            for y in rows {
                for x in 0..<r.width {
                    let c = index[y * r.width + x]
                    planes[c * r.width + x] |= 1 << UInt8(y - top)
                    used[c] = true
                }
            }
            var first = true
            for colour in palette.indices where used[colour] {
                let start = colour * r.width
                var end = start + r.width
                while end > start && planes[end - 1] == 0 { end -= 1 }   // trailing empty columns need no bytes
                out += Array(((first ? "" : "$") + "#\(colour)").utf8)
                first = false
                run(planes[start..<end], into: &out)
                for i in start..<end { planes[i] = 0 }
            }
            if rows.upperBound < r.height { out.append(UInt8(ascii: "-")) }
        }
        return out + Array("\u{1B}\\".utf8)
    }

    /// A colour as sixel registers hold it: percent per channel.
    static func percent(_ c: RGB) -> RGB {
        func p(_ v: UInt8) -> UInt8 { UInt8((Int(v) * 100 + 127) / 255) }
        return RGB(p(c.r), p(c.g), p(c.b))
    }

    /// What a terminal shows for a register of percent colour p: round(p · 255 / 100).
    public static func shown(_ c: RGB) -> RGB {
        let q = percent(c)
        func v(_ p: UInt8) -> UInt8 { UInt8((Int(p) * 255 + 50) / 100) }
        return RGB(v(q.r), v(q.g), v(q.b))
    }

    /// Sixel characters for columns of six bits, a run of four or more as !n.
    static func run(_ bits: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var i = bits.startIndex
        while i < bits.endIndex {
            var j = i + 1
            while j < bits.endIndex && bits[j] == bits[i] { j += 1 }
            let ch = 63 + bits[i], n = j - i
            if n >= 4 { out += Array("!\(n)".utf8); out.append(ch) } else { out += Array(repeating: ch, count: n) }
            i = j
        }
    }

    /// A palette of at most `maxColors` and each pixel's register: the distinct colours when few
    /// enough, else a median cut (split the box with the widest channel range at its median,
    /// weighted by pixel counts; a box's colour is its weighted mean).
    static func quantize(_ pixels: [RGB], maxColors: Int) -> (palette: [RGB], index: [Int]) {
        var counts: [RGB: Int] = [:]
        for p in pixels { counts[p, default: 0] += 1 }
        var boxes = [counts.sorted { ($0.key.r, $0.key.g, $0.key.b) < ($1.key.r, $1.key.g, $1.key.b) }]
        func channel(_ c: RGB, _ k: Int) -> UInt8 { k == 0 ? c.r : k == 1 ? c.g : c.b }
        func widest(_ box: [(key: RGB, value: Int)]) -> (channel: Int, range: Int) {
            (0..<3).map { k in (k, Int(box.map { channel($0.key, k) }.max()!) - Int(box.map { channel($0.key, k) }.min()!)) }
                .max { $0.1 < $1.1 }!
        }
        while boxes.count < maxColors && boxes.map(\.count).reduce(0, +) > boxes.count {
            guard let (i, w) = boxes.indices.filter({ boxes[$0].count > 1 }).map({ ($0, widest(boxes[$0])) })
                .max(by: { $0.1.range < $1.1.range }), w.range > 0 else { break }
            let sorted = boxes[i].sorted { channel($0.key, w.channel) < channel($1.key, w.channel) }
            let half = sorted.reduce(0) { $0 + $1.value } / 2
            var acc = 0, cut = 1
            for (j, e) in sorted.enumerated() { acc += e.value; if acc >= half { cut = min(max(1, j + 1), sorted.count - 1); break } }
            boxes[i] = Array(sorted[..<cut])
            boxes.append(Array(sorted[cut...]))
        }
        var register: [RGB: Int] = [:]
        let palette = boxes.enumerated().map { i, box -> RGB in
            let n = box.reduce(0) { $0 + $1.value }
            func mean(_ k: Int) -> UInt8 { UInt8((box.reduce(0) { $0 + Int(channel($1.key, k)) * $1.value } + n / 2) / n) }
            for e in box { register[e.key] = i }
            return RGB(mean(0), mean(1), mean(2))
        }
        return (palette, pixels.map { register[$0]! })
    }
}
