// The recording's proof of the final image: a checksum of float bit patterns, so equal means
// bit for bit equal; FNV-1a because it is a few lines, fast enough and has no dependency.
import Foundation

/// FNV-1a (64-bit) over the little-endian bit patterns of the final x_t and, when step k was
/// computed, its x̂0: equal only when every float is bit for bit the same.
public struct ImageChecksum: Codable, Equatable, Sendable {
    public var algorithm = "fnv1a64-f32le"
    public var xt: String
    public var x0: String?

    public init(_ s: ExplorerState) {
        xt = ImageChecksum.hex(s.xt.values)
        x0 = s.view.map { ImageChecksum.hex($0.predX0.values) }
    }

    /// The values themselves, float32 little-endian, base64.
    static func base64(_ values: [Float]) -> String {
        Data(values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }).base64EncodedString()
    }

    static func floats(base64 text: String) -> [Float]? {
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else { return nil }
        return stride(from: 0, to: data.count, by: 4).map { i in
            Float(bitPattern: data[data.startIndex + i..<data.startIndex + i + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
    }

    static func hex(_ values: [Float]) -> String {
        var h = FNV1a()
        for v in values { h.add(v.bitPattern.littleEndian) }
        return String(format: "%016llx", h.value)
    }
}

struct FNV1a {
    private(set) var value: UInt64 = 0xcbf29ce484222325
    mutating func add<S: Sequence>(bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x100000001b3 }
    }
    mutating func add(_ word: UInt32) { add(bytes: withUnsafeBytes(of: word) { Array($0) }) }
}
