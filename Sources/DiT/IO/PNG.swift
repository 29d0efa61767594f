// PNG output through libpng's simplified API (png_image_write_to_file), which needs no setjmp
// and so is safe to call from Swift. Images in [-1, 1] map to 0…255, as sample.py's save_image
// with normalize=True, value_range=(-1, 1).
import CPNG
import Foundation

public enum PNG {
    /// Writes 8-bit pixels, `channels` 1 (grey), 3 (RGB) or 4 (RGBA), row-major.
    public static func write(pixels: [UInt8], width: Int, height: Int, channels: Int, to path: String) throws {
        precondition(pixels.count == width * height * channels)
        var image = png_image()
        image.version = 1  // PNG_IMAGE_VERSION
        image.width = UInt32(width)
        image.height = UInt32(height)
        // PNG_FORMAT_GRAY / _RGB / _RGBA are composite macros Swift does not import:
        // FLAG_COLOR = 2, FLAG_ALPHA = 1.
        image.format = channels == 1 ? 0 : channels == 3 ? 2 : 3
        let ok = pixels.withUnsafeBytes { buf in
            png_image_write_to_file(&image, path, 0, buf.baseAddress, Int32(width * channels), nil)
        }
        if ok == 0 {
            let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            png_image_free(&image)
            throw DiTError(file: path, "cannot write PNG (\(message))")
        }
    }

    /// The largest side `read` accepts: 16384 pixels (a 768 MiB RGB buffer at most).
    public static let maxSide = 16384

    /// Reads a PNG (any bit depth, palette or alpha; alpha composited on black) as 8-bit RGB,
    /// row-major. The size comes from the header and is checked before the buffer is allocated.
    public static func read(_ path: String) throws -> (pixels: [UInt8], width: Int, height: Int) {
        let data = try FileRead.contents(path, "a PNG image")
        try checkChunks([UInt8](data), file: path)
        var image = png_image()
        image.version = 1  // PNG_IMAGE_VERSION
        func failure(_ what: String) -> DiTError {
            let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            png_image_free(&image)
            return DiTError(file: path, field: what, "expected a valid PNG image (libpng: \(message))")
        }
        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw failure("header") }
        let w = Int(image.width), h = Int(image.height)
        guard w >= 1, h >= 1, w <= maxSide, h <= maxSide else {
            png_image_free(&image)
            throw DiTError(file: path, field: "size", "expected sides of 1…\(maxSide) pixels, found \(w)×\(h)")
        }
        image.format = 2  // PNG_FORMAT_RGB
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        var black = png_color(red: 0, green: 0, blue: 0)
        let done = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, &black, $0.baseAddress, Int32(w * 3), nil) }
        guard done != 0 else { throw failure("data") }
        return (pixels, w, h)
    }

    /// Maps a value in [-1, 1] to a byte, clamping.
    @inline(__always) public static func byte(_ v: Float) -> UInt8 {
        UInt8(max(0, min(255, ((v + 1) * 127.5 + 0.5).rounded(.down))))
    }

    /// Samples (N, C, H, W) in [-1, 1] laid out in a grid of `columns` with a 2-pixel border,
    /// as torchvision's make_grid; C = 1 grey, 3 RGB, otherwise the first channel in grey.
    public static func writeGrid(_ x: Tensor, columns: Int? = nil, to path: String) throws {
        let g = grid(x, columns: columns)
        try write(pixels: g.pixels, width: g.width, height: g.height, channels: g.channels, to: path)
    }

    /// The pixels of that grid, each image pixel a `scale`×`scale` block (for legible GIFs).
    public static func grid(_ x: Tensor, columns: Int? = nil, scale: Int = 1) -> (pixels: [UInt8], width: Int, height: Int, channels: Int) {
        let n = x.shape[0], C = x.shape[1], h = x.shape[2], w = x.shape[3]
        let cols = max(1, min(n, columns ?? Int(Double(n).squareRoot().rounded(.up))))
        let rows = (n + cols - 1) / cols, pad = 2, sh = h * scale, sw = w * scale
        let W = cols * (sw + pad) + pad, H = rows * (sh + pad) + pad
        let outC = C == 3 ? 3 : 1
        var pixels = [UInt8](repeating: 0, count: W * H * outC)
        for s in 0..<n {
            let oy = pad + (s / cols) * (sh + pad), ox = pad + (s % cols) * (sw + pad)
            for y in 0..<sh {
                for xx in 0..<sw {
                    for c in 0..<outC {
                        pixels[((oy + y) * W + ox + xx) * outC + c] = byte(x.data[((s * C + c) * h + y / scale) * w + xx / scale])
                    }
                }
            }
        }
        return (pixels, W, H, outC)
    }
}
