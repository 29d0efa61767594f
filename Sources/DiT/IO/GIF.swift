// Animated GIF output through giflib (EGif*: plain C that reports errors by return code, so it
// is safe to call from Swift). One global palette, a NETSCAPE2.0 block to loop forever, and a
// delay per frame. Up to 256 colours the palette is exact; beyond, a median cut (grey images on
// a coloured panel stay grey, where a uniform 3-3-2 cube made 256 greys 8 tinted levels).
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
        // Opened here (giflib's EGifOpenFileName creates files 0600): 0666 less the umask, as
        // the PNG and .npy writers' files are.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        guard fd >= 0 else { throw DiTError(file: path, "cannot write GIF (\(String(cString: strerror(errno))))") }
        guard let gif = EGifOpenFileHandle(fd, &status) else { close(fd); throw failure(path, status) }
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

    /// An exact palette when the frames use at most 256 colours, else a median cut: the colours
    /// split, box by box along the widest channel at the pixel-weighted median, into 256 boxes,
    /// each drawn as its pixels' mean colour.
    static func index(_ frames: [[UInt8]]) -> (palette: [UInt8], frames: [[UInt8]]) {
        func key(_ f: [UInt8], _ i: Int) -> UInt32 { UInt32(f[i]) << 16 | UInt32(f[i + 1]) << 8 | UInt32(f[i + 2]) }
        func channel(_ c: UInt32, _ n: Int) -> Int { Int(c >> UInt32(16 - 8 * n) & 0xff) }
        var counts: [UInt32: Int] = [:]
        for f in frames { for i in stride(from: 0, to: f.count, by: 3) { counts[key(f, i), default: 0] += 1 } }
        guard !counts.isEmpty else { return ([0, 0, 0], frames.map { _ in [] }) }
        var boxes = [counts.sorted { $0.key < $1.key }]
        func widest(_ box: [(key: UInt32, value: Int)]) -> (range: Int, channel: Int) {
            (0..<3).map { n in (box.map { channel($0.key, n) }.max()! - box.map { channel($0.key, n) }.min()!, n) }.max { $0.0 < $1.0 }!
        }
        while boxes.count < 256 {
            let ranges = boxes.map(widest)
            guard let b = ranges.indices.max(by: { ranges[$0].range < ranges[$1].range }), ranges[b].range > 0 else { break }
            let n = ranges[b].channel
            let box = boxes[b].sorted { channel($0.key, n) < channel($1.key, n) }
            let half = box.reduce(0) { $0 + $1.value } / 2
            var cut = 1, seen = box[0].value
            while cut < box.count - 1 && seen + box[cut].value <= half { seen += box[cut].value; cut += 1 }
            boxes[b] = Array(box[..<cut])
            boxes.append(Array(box[cut...]))
        }
        var lookup: [UInt32: UInt8] = [:], palette: [UInt8] = []
        for (i, box) in boxes.enumerated() {
            let pixels = box.reduce(0) { $0 + $1.value }
            for n in 0..<3 {
                palette.append(UInt8((box.reduce(0) { $0 + channel($1.key, n) * $1.value } + pixels / 2) / pixels))
            }
            for c in box { lookup[c.key] = UInt8(i) }
        }
        return (palette, frames.map { f in stride(from: 0, to: f.count, by: 3).map { lookup[key(f, $0)]! } })
    }

    static func failure(_ path: String, _ code: Int32) -> DiTError {
        let text = GifErrorString(code).map { String(cString: $0) } ?? "error \(code)"
        return DiTError(file: path, "cannot write GIF (\(text))")
    }
}
