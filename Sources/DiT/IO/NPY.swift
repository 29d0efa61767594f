// NumPy .npy read/write (format versions 1.0, 2.0, 3.0). Reads little- or big-endian float32,
// float64, float16 and integer arrays, converting to Float32; refuses Fortran order. Writes
// version 1.0, little-endian float32, C order.
import Foundation

public enum NPY {
    public static func read(_ path: String) throws -> Tensor {
        try decode(FileRead.contents(path, "a NumPy .npy array"), file: path)
    }

    public static func decode(_ data: Data, file: String) throws -> Tensor {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw DiTError(file: file, field: "magic", "expected a NumPy .npy file (\\x93NUMPY)")
        }
        let major = bytes[6]
        let headerLen: Int, start: Int
        switch (major, bytes[7]) {
        case (1, 0): headerLen = Int(bytes[8]) | Int(bytes[9]) << 8; start = 10
        case (2, 0), (3, 0):
            guard bytes.count >= 12 else { throw DiTError(file: file, field: "header", "truncated") }
            headerLen = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }; start = 12
        default:
            throw DiTError(file: file, field: "version", "format version \(major).\(bytes[7]) unsupported; expected 1.0, 2.0 or 3.0")
        }
        guard start + headerLen <= bytes.count else {
            throw DiTError(file: file, field: "header", "header of \(headerLen) bytes runs past the end of the file")
        }
        let encoding: String.Encoding = major == 3 ? .utf8 : .isoLatin1
        guard let header = String(bytes: bytes[start..<start + headerLen], encoding: encoding) else {
            throw DiTError(file: file, field: "header", "expected a text header")
        }
        // The header is a Python dict literal: {'descr': …, 'fortran_order': …, 'shape': (…), }
        let h = try NPYHeader(header, file: file)
        let descr = String(h.descr.prefix(32)), shape = h.shape
        guard !h.fortranOrder else {
            throw DiTError(file: file, field: "fortran_order", "Fortran-ordered arrays are not supported; save with np.ascontiguousarray")
        }
        guard let (kind, size, bigEndian) = parseDescr(h.descr) else {
            throw DiTError(file: file, field: "descr", "dtype '\(descr)' unsupported; expected float32 ('<f4'), float64, float16 or an integer type")
        }
        let body = start + headerLen
        guard let count = Tensor.checkedCount(shape), let bytesNeeded = Tensor.checkedCount([count, size]),
              bytesNeeded == bytes.count - body else {
            let needed = Tensor.checkedCount(shape + [size]).map { "\($0) expected" } ?? "more than any file holds"
            throw DiTError(file: file, field: "data", "\(bytes.count - body) bytes do not hold shape \(shape) of '\(descr)' (\(needed))")
        }
        let out = Tensor(shape)
        for i in 0..<count {
            var raw: UInt64 = 0
            for b in 0..<size {
                let byte = UInt64(bytes[body + i * size + (bigEndian ? size - 1 - b : b)])
                raw |= byte << (8 * UInt64(b))
            }
            out.data[i] = convert(raw, kind: kind, size: size)
        }
        return out
    }

    /// Writes `t` as float32; a failure names the file, as the PNG and GIF writers do.
    public static func write(_ t: Tensor, to path: String) throws {
        do { try encode(t).write(to: URL(fileURLWithPath: path)) } catch {
            throw DiTError(file: path, "cannot write the .npy (\(error.localizedDescription))")
        }
    }

    public static func encode(_ t: Tensor) -> Data {
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        let total = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"   // align data to 64 bytes
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let n = header.utf8.count
        data.append(contentsOf: [UInt8(n & 0xff), UInt8(n >> 8)])
        data.append(contentsOf: Array(header.utf8))
        var le = (0..<t.count).map { t.data[$0].bitPattern.littleEndian }
        le.withUnsafeMutableBytes { data.append(contentsOf: $0) }
        return data
    }

    // MARK: header parsing (the dict itself: NPYHeader.swift)

    /// ('f' | 'i' | 'u', byte size, big-endian) from a descr like <f4.
    private static func parseDescr(_ body: String) -> (Character, Int, Bool)? {
        guard body.count >= 3 else { return nil }
        let order = body.first!, kind = body[body.index(after: body.startIndex)]
        guard let size = Int(body.dropFirst(2)) else { return nil }
        let big = order == ">"
        guard "<>|=".contains(order) else { return nil }
        switch (kind, size) {
        case ("f", 2), ("f", 4), ("f", 8), ("i", 1), ("i", 2), ("i", 4), ("i", 8),
             ("u", 1), ("u", 2), ("u", 4), ("u", 8), ("b", 1): return (kind, size, big)
        default: return nil
        }
    }

    private static func convert(_ raw: UInt64, kind: Character, size: Int) -> Float {
        switch (kind, size) {
        case ("f", 2): return Float(Float16(bitPattern: UInt16(raw)))
        case ("f", 4): return Float(bitPattern: UInt32(raw))
        case ("f", 8): return Float(Double(bitPattern: raw))
        case ("i", _):
            let shift = UInt64(64 - 8 * size)
            return Float(Int64(bitPattern: raw << shift) >> Int64(shift))
        default: return Float(raw)
        }
    }
}
