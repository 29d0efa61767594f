// A contact sheet of samples: each sample (C, H, W) in [-1, 1] as a tile (RGB for C = 3, otherwise
// the first channel in grey), each pixel a K × K block, captioned by LabelledGrid. `dit grid` and
// the explorer's sheet export (W) both draw theirs with it.

public enum ContactSheet {
    /// A value in [-1, 1] as a byte, clamping: the same rounding as the PNG writer's (PNG.byte).
    @inline(__always) public static func byte(_ v: Float) -> UInt8 {
        UInt8(max(0, min(255, ((v + 1) * 127.5 + 0.5).rounded(.down))))
    }

    /// One sample, `values` holding its C·H·W numbers (NCHW order) from `offset` on.
    public static func tile(_ values: UnsafeBufferPointer<Float>, offset: Int = 0, channels C: Int, height h: Int, width w: Int,
                            scale: Int) -> Raster {
        func byte(_ c: Int, _ px: Int, _ py: Int) -> UInt8 { Self.byte(values[offset + (c * h + py) * w + px]) }
        return Raster(width: w, height: h) { px, py in
            C == 3 ? RGB(byte(0, px, py), byte(1, px, py), byte(2, px, py)) : { let g = byte(0, px, py); return RGB(g, g, g) }()
        }.scaled(by: scale)
    }

    /// Samples (rows, cols, C, H, W) as a captioned sheet: a label beside every row and over every
    /// column, the title on top; the font doubles from scale 6 on.
    public static func compose(_ values: UnsafeBufferPointer<Float>, shape: [Int], scale: Int,
                               rowLabels: [String], columnLabels: [String], title: String) -> Raster {
        precondition(shape.count == 5 && values.count >= shape.reduce(1, *))
        let (rows, cols, C, h, w) = (shape[0], shape[1], shape[2], shape[3], shape[4]), per = C * h * w
        let tiles = (0..<rows).map { i in
            (0..<cols).map { j in tile(values, offset: (i * cols + j) * per, channels: C, height: h, width: w, scale: scale) }
        }
        return LabelledGrid.compose(tiles: tiles, rowLabels: rowLabels, columnLabels: columnLabels, title: title,
                                    fontScale: scale >= 6 ? 2 : 1)
    }
}

extension Raster {
    /// Interleaved RGB bytes, row-major: what PNG and GIF writers take.
    public var rgbBytes: [UInt8] { pixels.flatMap { [$0.r, $0.g, $0.b] } }
}
