// Animated GIF output through giflib (EGif*: plain C that reports errors by return code, so it
// is safe to call from Swift). One global palette, a NETSCAPE2.0 block to loop forever, and a
// delay per frame. Grey images (and the fixed colour maps) have at most 256 colours, so the
// palette is exact; beyond 256 colours pixels fall back to a uniform 3-3-2 RGB palette.
import CGIF
import Foundation

public enum GIF {
    /// Writes RGB frames (width·height·3 bytes each); `delays` in hundredths of a second.
    public static func write(rgbFrames frames: [[UInt8]], width: Int, height: Int, delays: [Int], to path: String) throws {
        precondition(!frames.isEmpty && frames.allSatisfy { $0.count == width * height * 3 } && delays.count == frames.count)
        let (palette, indexed) = index(frames)
        try write(indexed: indexed, palette: palette, width: width, height: height, delays: delays, to: path)
    }

    /// Frames of palette indices; `palette` holds up to 256 RGB triples.
    public static func write(indexed frames: [[UInt8]], palette: [UInt8], width: Int, height: Int,
                             delays: [Int], to path: String) throws {
        var status: Int32 = 0
        guard let gif = EGifOpenFileName(path, false, &status) else { throw failure(path, status) }
        var closed = false
        defer { if !closed { EGifCloseFile(gif, &status) } }
        func check(_ r: Int32) throws { if r == GIF_ERROR { throw failure(path, gif.pointee.Error) } }

        EGifSetGifVersion(gif, true)   // GIF89a: needed for delays and looping
        let entries = palette.count / 3
        var bits = 1
        while 1 << bits < entries { bits += 1 }   // a GIF palette has 2^bits entries
        var colors = (0..<(1 << bits)).map { i in
            i < entries ? GifColorType(Red: palette[3 * i], Green: palette[3 * i + 1], Blue: palette[3 * i + 2])
                        : GifColorType(Red: 0, Green: 0, Blue: 0)
        }
        guard let map = GifMakeMapObject(Int32(1 << bits), &colors) else { throw DiTError(file: path, "cannot allocate a GIF palette") }
        defer { GifFreeMapObject(map) }
        try check(EGifPutScreenDesc(gif, Int32(width), Int32(height), Int32(bits), 0, map))

        // Application extension: NETSCAPE2.0, sub-block 1, loop count 0 = forever.
        try check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE))
        var app = Array("NETSCAPE2.0".utf8), loop: [UInt8] = [1, 0, 0]
        try check(EGifPutExtensionBlock(gif, Int32(app.count), &app))
        try check(EGifPutExtensionBlock(gif, Int32(loop.count), &loop))
        try check(EGifPutExtensionTrailer(gif))

        for (frame, delay) in zip(frames, delays) {
            // Graphic control: disposal 1 (keep), no transparency, delay little-endian.
            var control: [UInt8] = [0x04, UInt8(delay & 0xff), UInt8((delay >> 8) & 0xff), 0]
            try check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, &control))
            try check(EGifPutImageDesc(gif, 0, 0, Int32(width), Int32(height), false, nil))
            var pixels = frame
            for y in 0..<height {
                try check(pixels.withUnsafeMutableBufferPointer { EGifPutLine(gif, $0.baseAddress! + y * width, Int32(width)) })
            }
        }
        closed = true
        if EGifCloseFile(gif, &status) == GIF_ERROR { throw failure(path, status) }
    }

    /// An exact palette when the frames use at most 256 colours, else the 3-3-2 cube.
    static func index(_ frames: [[UInt8]]) -> (palette: [UInt8], frames: [[UInt8]]) {
        func key(_ f: [UInt8], _ i: Int) -> UInt32 { UInt32(f[i]) << 16 | UInt32(f[i + 1]) << 8 | UInt32(f[i + 2]) }
        var lookup: [UInt32: UInt8] = [:], palette: [UInt8] = []
        for f in frames {
            for i in stride(from: 0, to: f.count, by: 3) where lookup[key(f, i)] == nil {
                if lookup.count == 256 { return cube(frames) }
                lookup[key(f, i)] = UInt8(lookup.count)
                palette += [f[i], f[i + 1], f[i + 2]]
            }
        }
        return (palette, frames.map { f in stride(from: 0, to: f.count, by: 3).map { lookup[key(f, $0)]! } })
    }

    /// 8 levels of red and green, 4 of blue: a uniform palette for images of many colours.
    static func cube(_ frames: [[UInt8]]) -> (palette: [UInt8], frames: [[UInt8]]) {
        func level(_ v: UInt8, _ top: Int) -> Int { (Int(v) * top + 127) / 255 }
        var palette: [UInt8] = []
        for i in 0..<256 {
            let r: Int = (i >> 5) * 255 / 7, g: Int = ((i >> 2) & 7) * 255 / 7, b: Int = (i & 3) * 255 / 3
            palette += [UInt8(r), UInt8(g), UInt8(b)]
        }
        let indexed = frames.map { f in
            stride(from: 0, to: f.count, by: 3).map { i -> UInt8 in
                UInt8(level(f[i], 7) << 5 | level(f[i + 1], 7) << 2 | level(f[i + 2], 3))
            }
        }
        return (palette, indexed)
    }

    static func failure(_ path: String, _ code: Int32) -> DiTError {
        let text = GifErrorString(code).map { String(cString: $0) } ?? "error \(code)"
        return DiTError(file: path, "cannot write GIF (\(text))")
    }
}
