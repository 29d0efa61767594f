// Raster -> an iTerm2 inline image (iTerm2, WezTerm, mintty, VS Code): OSC 1337 ; File=inline=1;
// size=…;width=Wpx;height=Hpx : base64 PNG BEL. Through tmux the file goes in parts
// (MultipartFile, FilePart…, FileEnd), since tmux's passthrough buffer is smaller than an image.
import Foundation

public enum ITerm2Image {
    public static func display(_ r: Raster, keepCursor: Bool, passthrough: Bool = false) -> [UInt8] {
        let png = PNGEncoder.encode(r)
        let args = "inline=1;size=\(png.count);width=\(r.width)px;height=\(r.height)px;preserveAspectRatio=0"
            + (keepCursor ? ";doNotMoveCursor=1" : "")
        let payload = Data(png).base64EncodedString()
        func osc(_ body: String) -> [UInt8] { TmuxPassthrough.wrap(Array("\u{1B}]1337;\(body)\u{07}".utf8), passthrough) }
        guard passthrough else { return osc("File=\(args):\(payload)") }
        var out = osc("MultipartFile=\(args)")
        var start = payload.startIndex
        while start < payload.endIndex {
            let end = payload.index(start, offsetBy: 4096, limitedBy: payload.endIndex) ?? payload.endIndex
            out += osc("FilePart=" + payload[start..<end])
            start = end
        }
        return out + osc("FileEnd")
    }
}

/// A minimal PNG writer (8-bit RGB, no filter, deflate "stored" blocks): what an inline image
/// needs, without a zlib in the rendering library. CRC-32 and Adler-32 as RFC 1950/2083 define them.
public enum PNGEncoder {
    public static func encode(_ r: Raster) -> [UInt8] {
        var raw = [UInt8](); raw.reserveCapacity((r.width * 3 + 1) * r.height)
        for y in 0..<r.height {
            raw.append(0)   // filter type None
            for x in 0..<r.width { let p = r[x, y]; raw += [p.r, p.g, p.b] }
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65535, raw.count - i), last: UInt8 = i + n == raw.count ? 1 : 0
            zlib += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            zlib += raw[i..<i + n]
            i += n
        } while i < raw.count
        zlib += be32(adler32(raw))
        let header = be32(UInt32(r.width)) + be32(UInt32(r.height)) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static let crcTable: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1 }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(0xFFFF_FFFF as UInt32) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for v in bytes { a = (a + UInt32(v)) % 65521; b = (b + a) % 65521 }
        return b << 16 | a
    }
}
