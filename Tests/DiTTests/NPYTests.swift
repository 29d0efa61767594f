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
    private func npy(version: UInt8 = 1, minor: UInt8 = 0, descr: String = "<f4", fortran: Bool = false, shape: String = "(1,)",
                     header raw: String? = nil, body: [UInt8]) -> Data {
        var header = raw ?? "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        header += String(repeating: " ", count: 3) + "\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [version, minor])
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

    /// Issue 27 (outside fuzzer): the header is numpy's dict with its three keys and nothing else,
    /// in format versions 1.0, 2.0 or 3.0 only.
    func testHeaderIsExactlyNumpysDict() {
        func refuse(_ d: Data, field: String, _ contains: String, line: UInt = #line) {
            XCTAssertThrowsError(try NPY.decode(d, file: "x.npy"), line: line) { e in
                XCTAssertEqual((e as? DiTError)?.field, field, "\(e)", line: line)
                XCTAssertTrue((e as? DiTError)?.problem.contains(contains) ?? false, "\(e)", line: line)
            }
        }
        let one: [UInt8] = [0, 0, 0x80, 0x3f]
        XCTAssertEqual(try NPY.decode(npy(header: "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1L,)}", body: one), file: "ok").array, [1])
        refuse(npy(minor: 5, body: one), field: "version", "1.5")
        refuse(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }", body: one), field: "header", "'extra'")
        refuse(npy(header: "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", body: one), field: "descr", "twice")
        refuse(npy(header: "{'descr': '<f4', 'fortran_order': False, }", body: one), field: "shape", "missing")
        refuse(npy(header: "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", body: one), field: "fortran_order", "True, False")
        refuse(npy(header: "{'descr': (1,), 'fortran_order': False, 'shape': (1,), }", body: one), field: "descr", "dtype")
        refuse(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } junk", body: one), field: "header", "nothing after")
        refuse(npy(header: "{'descr': '<f4 'shape': (9,)', 'fortran_order': False, 'shape': (1,), }", body: one), field: "header", "expected ','")
        refuse(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", body: one), field: "shape", "non-negative")
        refuse(npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", body: one), field: "shape", "non-negative")
    }
}
