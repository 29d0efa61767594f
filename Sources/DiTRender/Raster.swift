// A small RGB image, and the two resamplings a terminal needs: nearest neighbour to enlarge
// (crisp pixels, so a 32×32 sample still reads as 32×32) and area averaging to shrink.

public struct Raster: Equatable, Sendable {
    public let width: Int, height: Int
    public var pixels: [RGB]

    public init(width: Int, height: Int, fill: RGB = .black) {
        self.width = max(0, width); self.height = max(0, height)
        pixels = Array(repeating: fill, count: self.width * self.height)
    }

    public init(width: Int, height: Int, _ pixel: (Int, Int) -> RGB) {
        self.init(width: width, height: height)
        for y in 0..<self.height { for x in 0..<self.width { pixels[y * self.width + x] = pixel(x, y) } }
    }

    public subscript(x: Int, y: Int) -> RGB {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Each pixel a k×k block (k ≥ 1): whole-number zoom, so image pixels stay square and crisp.
    public func scaled(by k: Int) -> Raster {
        guard k > 1 else { return self }
        return Raster(width: width * k, height: height * k) { x, y in self[x / k, y / k] }
    }

    /// Nearest neighbour along an axis that grows, area average along one that shrinks.
    public func resized(width w: Int, height h: Int) -> Raster {
        guard w > 0, h > 0, width > 0, height > 0 else { return Raster(width: max(0, w), height: max(0, h)) }
        if w == width && h == height { return self }
        func span(_ t: Int, _ src: Int, _ dst: Int) -> Range<Int> {
            if dst >= src { let s = t * src / dst; return s..<(s + 1) }
            let a = t * src / dst, b = max(a + 1, (t + 1) * src / dst)
            return a..<b
        }
        let xs = (0..<w).map { span($0, width, w) }, ys = (0..<h).map { span($0, height, h) }
        return Raster(width: w, height: h) { x, y in
            var r = 0, g = 0, b = 0, n = 0
            for sy in ys[y] { for sx in xs[x] { let p = self[sx, sy]; r += Int(p.r); g += Int(p.g); b += Int(p.b); n += 1 } }
            return RGB(UInt8((r + n / 2) / n), UInt8((g + n / 2) / n), UInt8((b + n / 2) / n))
        }
    }
}
