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
