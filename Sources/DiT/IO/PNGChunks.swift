// The chunk layout of a PNG, checked before libpng sees the bytes: libpng's simplified reader
// stops at the image data and never looks at what follows (a broken IEND, a CRC error there, junk
// after the end pass). Every chunk must have its CRC-32 (ISO 3309, as zlib's crc32), the first be
// IHDR, the last IEND (empty), nothing after it (PNG spec §5.3, §5.6).
import Foundation

extension PNG {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Throws, naming `file` and the chunk, unless `bytes` is a well-formed sequence of chunks.
    static func checkChunks(_ bytes: [UInt8], file: String) throws {
        guard bytes.starts(with: signature) else { throw DiTError(file: file, field: "signature", "expected a PNG image (\\x89PNG\\r\\n\\x1A\\n)") }
        var at = signature.count, index = 0
        func fail(_ field: String, _ what: String) -> DiTError { DiTError(file: file, field: "PNG " + field, what) }
        while true {
            guard at + 12 <= bytes.count else { throw fail("chunk \(index)", "truncated at byte \(at): expected an IEND chunk to end the file") }
            let length = bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[at + 4..<at + 8], as: UTF8.self)
            guard length < 1 << 31, bytes[at + 4..<at + 8].allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw fail("chunk \(index)", "expected a length below 2³¹ and a four-letter type at byte \(at)")
            }
            guard at + 12 + length <= bytes.count else { throw fail(type, "length \(length) runs past the end of the file") }
            let stored = bytes[at + 8 + length..<at + 12 + length].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let computed = crc32(bytes[at + 4..<at + 8 + length])
            guard stored == computed else {
                throw fail(type, String(format: "CRC %08x does not match the chunk's bytes (%08x): the file is damaged", stored, computed))
            }
            if index == 0 && type != "IHDR" { throw fail(type, "expected IHDR as the first chunk") }
            at += 12 + length
            index += 1
            if type == "IEND" {
                guard length == 0 else { throw fail("IEND", "expected an empty chunk, found \(length) bytes") }
                guard at == bytes.count else { throw fail("IEND", "\(bytes.count - at) bytes follow the end of the image") }
                return
            }
        }
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    /// CRC-32 of `bytes` (the chunk type and data).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
