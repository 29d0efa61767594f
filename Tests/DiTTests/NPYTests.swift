import Foundation
import XCTest
@testable import DiT

final class NPYTests: XCTestCase {
    func testRoundTrip() throws {
        let t = Tensor([2, 3], [1, -2, 3.5, .pi, 0, -0.25])
        let back = try NPY.decode(NPY.encode(t), file: "mem")
        XCTAssertEqual(back.shape, [2, 3])
        XCTAssertEqual(back.array, t.array)
        XCTAssertEqual((NPY.encode(t).count - 4 * t.count) % 64, 0, "data aligned to 64 bytes as numpy writes it")
    }

    /// A hand-made header in any version / dtype.
    private func npy(version: UInt8 = 1, descr: String, fortran: Bool = false, shape: String, body: [UInt8]) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        header += String(repeating: " ", count: 3) + "\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
        let n = header.utf8.count
        if version == 1 { d.append(contentsOf: [UInt8(n & 0xff), UInt8(n >> 8)]) } else { d.append(contentsOf: withUnsafeBytes(of: UInt32(n).littleEndian, Array.init)) }
        d.append(contentsOf: Array(header.utf8))
        d.append(contentsOf: body)
        return d
    }

    func testVersions2And3AndDTypes() throws {
        let f64 = withUnsafeBytes(of: (1.5).bitPattern.littleEndian, Array.init) + withUnsafeBytes(of: (-2.0).bitPattern.littleEndian, Array.init)
        XCTAssertEqual(try NPY.decode(npy(version: 2, descr: "<f8", shape: "(2,)", body: f64), file: "a").array, [1.5, -2])
        XCTAssertEqual(try NPY.decode(npy(version: 3, descr: "<i4", shape: "(2,)", body: [5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), file: "b").array, [5, -1])
        XCTAssertEqual(try NPY.decode(npy(descr: ">f4", shape: "(1,)", body: [0x3f, 0x80, 0, 0]), file: "c").array, [1])
        XCTAssertEqual(try NPY.decode(npy(descr: "<f2", shape: "(1, 1)", body: [0x00, 0x3c]), file: "d").array, [1])
        XCTAssertEqual(try NPY.decode(npy(descr: "|u1", shape: "()", body: [7]), file: "e").shape, [])
    }

    func testRefusals() {
        func refuse(_ d: Data, field: String, _ contains: String, line: UInt = #line) {
            XCTAssertThrowsError(try NPY.decode(d, file: "x.npy"), line: line) { e in
                let e = e as? DiTError
                XCTAssertEqual(e?.file, "x.npy", line: line)
                XCTAssertEqual(e?.field, field, line: line)
                XCTAssertTrue(e?.problem.contains(contains) ?? false, "\(String(describing: e))", line: line)
            }
        }
        refuse(npy(descr: "<f4", fortran: true, shape: "(1,)", body: [0, 0, 0, 0]), field: "fortran_order", "Fortran")
        refuse(npy(descr: "<c8", shape: "(1,)", body: [0, 0, 0, 0, 0, 0, 0, 0]), field: "descr", "unsupported")
        refuse(npy(descr: "<f4", shape: "(2,)", body: [0, 0, 0, 0]), field: "data", "do not hold shape [2]")
        refuse(npy(version: 9, descr: "<f4", shape: "(1,)", body: [0, 0, 0, 0]), field: "version", "unsupported")
        refuse(Data("hello world".utf8), field: "magic", "NumPy")
        refuse(npy(descr: "<f4", shape: "(a,)", body: []), field: "shape", "integers")
    }
}
