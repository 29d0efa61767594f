// Text drawn into pixels, for captions of exported images (contact sheets, heatmaps): the classic
// 5×7 LCD font (HD44780-style glcdfont), printable ASCII 32…126. Each glyph is 5 columns, bit r
// of a column the pixel in row r (top = bit 0); a glyph advances 6 pixels, a line is 8 high.
// Characters outside ASCII are drawn as '?'.

public enum BitmapFont {
    public static let glyphWidth = 5, glyphHeight = 7, advance = 6, lineHeight = 8

    /// Width and height in pixels of `text` on one line at `scale` (each font pixel scale × scale).
    public static func size(_ text: String, scale: Int = 1) -> (width: Int, height: Int) {
        let n = text.count
        return (n == 0 ? 0 : (n * advance - 1) * scale, glyphHeight * scale)
    }

    /// The 5 column bytes of a character.
    static func columns(_ ch: Character) -> ArraySlice<UInt8> {
        let code = ch.asciiValue.map(Int.init) ?? 63
        let i = (32...126).contains(code) ? code - 32 : 63 - 32
        return glyphs[i * 5..<i * 5 + 5]
    }

    /// 95 glyphs × 5 column bytes, in ASCII order from space to '~', as hex digits.
    static let glyphs: [UInt8] = {
        let hex = Array("""
            000000000000005F00000007000700147F147F14242A7F2A12231308646236495522500005030000001C2241000041221C00082A1C2A0808083E080800503000000808080808006060000020100804023E5149453E00427F40004261514946
            2141454B311814127F1027454545393C4A49493001710905033649494936064949291E003636000000563600000814224100141414141400412214080201510906324979413E7E1111117E7F494949363E414141227F4141221C7F49494941
            7F090909013E4149497A7F0808087F00417F41002040413F017F081422417F404040407F020C027F7F0408107F3E4141413E7F090909063E4151215E7F09192946464949493101017F01013F4040403F1F2040201F3F4038403F6314081463
            07087008076151494543007F41410002040810200041417F0004020102044040404040000102040020545454787F484444383844444420384444487F3854545418087E0901020C5252523E7F0804047800447D40002040443D007F10284400
            00417F40007C041804787C0804047838444444387C14141408081414187C7C080404084854545420043F4440203C4040207C1C2040201C3C4030403C44281028440C5050503C4464544C44000836410000007F000000413608000804081008
            """.utf8.filter { $0 != 10 })   // 19 glyphs a line
        func nibble(_ c: UInt8) -> UInt8 { c >= 65 ? c - 55 : c - 48 }   // '0'…'9', 'A'…'F'
        return stride(from: 0, to: hex.count, by: 2).map { nibble(hex[$0]) << 4 | nibble(hex[$0 + 1]) }
    }()
}

extension Raster {
    /// Draws `text` with its top-left corner at (x, y), each font pixel a scale × scale block in
    /// `color`; what falls outside the raster is clipped.
    public mutating func draw(text: String, x: Int, y: Int, color: RGB, scale: Int = 1) {
        let k = max(1, scale)
        for (i, ch) in text.enumerated() {
            for (col, bits) in BitmapFont.columns(ch).enumerated() {
                for row in 0..<BitmapFont.glyphHeight where bits & (1 << row) != 0 {
                    fill(x: x + (i * BitmapFont.advance + col) * k, y: y + row * k, width: k, height: k, color)
                }
            }
        }
    }

    /// Fills a rectangle, clipped to the raster.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: RGB) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { self[xx, yy] = color } }
    }

    /// Copies `r` with its top-left corner at (x, y), clipped.
    public mutating func paste(_ r: Raster, x: Int, y: Int) {
        for yy in 0..<r.height where y + yy >= 0 && y + yy < height {
            for xx in 0..<r.width where x + xx >= 0 && x + xx < width { self[x + xx, y + yy] = r[xx, yy] }
        }
    }
}
