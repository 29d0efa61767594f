import CKernels
import XCTest
@testable import DiT

/// The engine's packed GEMM on every kernel path this CPU runs (AVX-512, AVX2 + FMA, plain C),
/// against a double-precision product, at shapes that cross every tile, panel and k-block edge.
final class GEMMTests: XCTestCase {
    override func tearDown() { GEMM.isa = GEMM.available }

    static var paths: [GEMM.ISA] { GEMM.ISA.allCases.filter { $0.rawValue <= GEMM.available.rawValue } }

    func testEveryPathMatchesDoublePrecision() {
        var g = Xoshiro256StarStar(seed: 3)
        for (m, n, k) in [(1, 1, 1), (5, 33, 7), (13, 70, 300), (37, 8, 520), (12, 64, 256), (25, 96, 384)] {
            let a = Tensor([m, k]), w = Tensor([n, k]), b = Tensor([n])
            g.fillNormal(a.data, count: a.count); g.fillNormal(w.data, count: w.count); g.fillNormal(b.data, count: n)
            w.panels = PackedPanels(w.data, out: n, inputs: k)
            var ref = [Double](repeating: 0, count: m * n)
            for r in 0..<m { for j in 0..<n {
                var s = Double(b[j])
                for q in 0..<k { s += Double(a[r * k + q]) * Double(w[j * k + q]) }
                ref[r * n + j] = s
            } }
            for isa in Self.paths {
                GEMM.isa = isa
                let y = Tensor([m, n])
                BLAS.linear(a.data, rows: m, w, b, into: y.data)
                var worst = 0.0
                for i in 0..<m * n { worst = max(worst, abs(Double(y[i]) - ref[i])) }
                XCTAssertLessThan(worst, 1e-5 * Double(k).squareRoot() * 4, "\(isa.name) \(m)×\(n)×\(k)")
            }
        }
    }

    /// Each output is one sum over k in order: splitting rows or panels over threads, or calling
    /// on a sub-block, gives the same bits (bit-for-bit replay).
    func testSplitDoesNotChangeBits() {
        var g = Xoshiro256StarStar(seed: 4)
        let m = 40, n = 100, k = 300
        let a = Tensor([m, k]), w = Tensor([n, k])
        g.fillNormal(a.data, count: a.count); g.fillNormal(w.data, count: w.count)
        w.panels = PackedPanels(w.data, out: n, inputs: k)
        for isa in Self.paths {
            GEMM.isa = isa
            let whole = Tensor([m, n]), rows = Tensor([m, n])
            BLAS.linear(a.data, rows: m, w, nil, into: whole.data)
            for r in stride(from: 0, to: m, by: 7) {  // 7-row calls: other tile shapes, same sums
                BLAS.linear(a.data + r * k, rows: min(7, m - r), w, nil, into: rows.data + r * n)
            }
            XCTAssertEqual(whole.array, rows.array, isa.name)
        }
    }

    /// Softmax rows (with the attention scale) and GELU on every path, against double precision,
    /// at lengths that leave vector tails.
    func testSoftmaxAndGELUOnEveryPath() {
        var g = Xoshiro256StarStar(seed: 5)
        let rows = 3, cols = 37, scale: Float = 0.125
        let src = Tensor([rows, cols]); g.fillNormal(src.data, count: src.count)
        for i in 0..<src.count { src[i] *= 20 }  // wide logits: exp's range matters
        for isa in Self.paths {
            GEMM.isa = isa
            let p = src.copy()
            Ops.softmaxRows(p.data, rows: rows, cols: cols, scale: scale)
            for r in 0..<rows {
                let row = (0..<cols).map { Double(src[r * cols + $0]) * Double(scale) }
                let m = row.max()!, sum = row.map { exp($0 - m) }.reduce(0, +)
                for j in 0..<cols { XCTAssertEqual(Double(p[r * cols + j]), exp(row[j] - m) / sum, accuracy: 1e-6, "softmax \(isa.name)") }
            }
            let x = src.copy()
            Ops.geluTanh(x.data, count: x.count)
            for i in 0..<x.count {
                let v = Double(src[i]), ref = 0.5 * v * (1 + tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)))
                XCTAssertEqual(Double(x[i]), ref, accuracy: 1e-5 * max(1, abs(ref)), "GELU \(isa.name) at \(v)")
            }
        }
    }

    /// LayerNorm + modulate, the affine LayerNorm and the gated residual: the bits of the plain
    /// loops (sequential row sums, no FMA) on every path, for a row count that leaves a ragged
    /// group of 16 and a width with a vector tail.
    func testLayerNormAndGatedResidualGiveThePlainLoopsBits() {
        var g = Xoshiro256StarStar(seed: 9)
        let n = 3, t = 13, d = 40, rows = n * t, stride = 3 * d
        let x = Tensor([rows, d]), y = Tensor([rows, d]), mod = Tensor([n, stride])
        g.fillNormal(x.data, count: x.count); g.fillNormal(y.data, count: y.count); g.fillNormal(mod.data, count: mod.count)
        for i in 0..<x.count { x[i] = x[i] * 3 + 5 }   // a mean far from zero
        func plain(_ r: Int, _ a: (Int) -> Float, _ b: (Int) -> Float, eps: Float) -> [Float] {
            let row = x.data + r * d, invD = 1 / Float(d)
            var mean: Float = 0
            for i in 0..<d { mean += row[i] }
            mean *= invD
            var v: Float = 0
            for i in 0..<d { let c = row[i] - mean; v += c * c }
            let rstd = 1 / (v * invD + eps).squareRoot()
            return (0..<d).map { i in
                let centred = (row[i] - mean) * rstd
                let scaled = centred * a(i)
                return scaled + b(i)
            }
        }
        for isa in Self.paths {
            GEMM.isa = isa
            let out = Tensor([rows, d])
            Ops.layerNormModulate(x.data, n: n, t: t, d: d, shift: mod.data, scale: mod.data + d, modStride: stride, eps: 1e-5, into: out.data)
            for r in 0..<rows {
                let s = r / t, m = mod.data + s * stride
                let want = plain(r, { 1 + m[d + $0] }, { m[$0] }, eps: 1e-5)
                XCTAssertEqual((0..<d).map { out[r * d + $0].bitPattern }, want.map(\.bitPattern), "modulate \(isa.name) row \(r)")
            }
            Ops.layerNorm(x.data, rows: rows, d: d, weight: mod.data, bias: mod.data + d, into: out.data)
            for r in 0..<rows {
                let want = plain(r, { mod[$0] }, { mod[d + $0] }, eps: 1e-6)
                XCTAssertEqual((0..<d).map { out[r * d + $0].bitPattern }, want.map(\.bitPattern), "affine \(isa.name) row \(r)")
            }
            let z = x.copy()
            Ops.gatedResidual(z.data, y.data, gate: mod.data + 2 * d, modStride: stride, n: n, t: t, d: d)
            for r in 0..<rows {
                for i in 0..<d {
                    let product = mod[(r / t) * stride + 2 * d + i] * y[r * d + i]
                    XCTAssertEqual(z[r * d + i].bitPattern, (x[r * d + i] + product).bitPattern, "gate \(isa.name)")
                }
            }
        }
    }

    /// The forward pass on every path stays within the reference tolerance.
    func testForwardOnEveryPath() throws {
        let model = try Fixture.model()
        let x = try Fixture.npy("x.npy"), ref = try Fixture.npy("forward.npy")
        for isa in Self.paths {
            GEMM.isa = isa
            assertClose(try model.forward(x: x, t: Fixture.timesteps, y: Fixture.labels), ref, relTol: 1e-4, "forward, \(isa.name)")
        }
    }
}

/// Panels in F16 / BF16: chosen only when they hold every value exactly, read back exactly, and
/// the product is the F32 panels' bit for bit on every kernel path.
final class HalfPanelTests: XCTestCase {
    override func tearDown() { GEMM.isa = GEMM.available }

    /// Values of each kind: normals, subnormals, ±0, the extremes.
    func testExactnessAndRoundTrip() {
        let f16: [Float] = [0, -0.0, 1, -2.5, 65504, -65504, 6.1035156e-05, 5.9604645e-08, -3.0517578e-05, 1025, 0.33325195]
        for v in f16 { XCTAssertEqual(Float(Float16(v)), v, "\(v) is an F16") }
        XCTAssertEqual(dit_half_exact(f16, f16.count, PackedPanels.Storage.f16.rawValue), 1)
        for v: Float in [0.1, 65520, 2.9802322e-08, 1e-10, 1 + 1.0 / 4096, 1024.5] {
            XCTAssertEqual(dit_half_exact([v], 1, PackedPanels.Storage.f16.rawValue), 0, "\(v) is no F16")
        }
        XCTAssertEqual(dit_half_exact([1e30, -1e-30, 3.140625], 3, PackedPanels.Storage.bf16.rawValue), 0, "1e30 has more bits than BF16")
        XCTAssertEqual(dit_half_exact([Float(bitPattern: 0x7F7F_0000), -Float(bitPattern: 0x0080_0000), 3.140625], 3, PackedPanels.Storage.bf16.rawValue), 1)
        // Packed and read back: the same values, whatever the storage.
        let n = 40, k = 3
        let bf16: [Float] = [Float(bitPattern: 0x7F7F_0000), Float(1e-30).bf16, 3.140625], f32: [Float] = [0.1, 0.2]
        let cases: [([Float], PackedPanels.Storage)] = [(f16, .f16), (bf16, .bf16), (f32, .f32)]
        for (values, storage) in cases {
            let w: [Float] = (0..<n * k).map { i in values[i % values.count] * (i % 2 == 0 ? 1 : -1) }
            let p = w.withUnsafeBufferPointer { PackedPanels($0.baseAddress!, out: n, inputs: k, half: true) }
            XCTAssertEqual(p.storage, storage)
            XCTAssertEqual(p.bytes, 64 * k * storage.bytes, "two panels of 32 columns")
            for r in 0..<n { for q in 0..<k { XCTAssertEqual(p.value(row: r, col: q).bitPattern, w[r * k + q].bitPattern) } }
        }
    }

    /// The vector paths (16 values at a time) and the scalar tail agree: one bad value anywhere
    /// fails the check; narrowing into panels and widening a file's bytes (odd offsets) are exact.
    func testVectorPathsOfExactnessPackingAndWidening() {
        let f16: [Float] = [0, -0.0, 1, -2.5, 65504, -65504, 6.1035156e-05, 5.9604645e-08, -3.0517578e-05, 1025, 0.33325195]
        let good = (0..<37).map { f16[$0 % f16.count] }
        for isa in GEMMTests.paths {
            GEMM.isa = isa
            for (kind, bad) in [(PackedPanels.Storage.f16, Float(0.1)), (.f16, .infinity), (.f16, 70000), (.bf16, 1.1), (.bf16, .nan)] {
                XCTAssertEqual(dit_half_exact(good.map { kind == .bf16 ? $0.bf16 : $0 }, good.count, kind.rawValue), 1, "\(isa.name)")
                for at in [0, 15, 16, 31, 32, 36] {
                    var w = good.map { kind == .bf16 ? $0.bf16 : $0 }
                    w[at] = bad
                    XCTAssertEqual(dit_half_exact(w, w.count, kind.rawValue), 0, "\(isa.name) \(kind.name): \(bad) at \(at)")
                }
            }
            // 70 × 400 in F16: two 384-blocks of k, a ragged last panel.
            let n = 70, k = 400
            let w = (0..<n * k).map { f16[($0 * 7) % f16.count] * Float(($0 % 3) - 1) }
            let p = w.withUnsafeBufferPointer { PackedPanels($0.baseAddress!, out: n, inputs: k, half: true) }
            XCTAssertEqual(p.storage, .f16)
            for r in stride(from: 0, to: n, by: 3) { for q in 0..<k { XCTAssertEqual(p.value(row: r, col: q).bitPattern, w[r * k + q].bitPattern, "\(isa.name)") } }
            // A file's F16 / BF16 bytes at an odd offset, with subnormals, ±inf and NaN.
            let bits: [UInt16] = (0..<45).map { UInt16(truncatingIfNeeded: $0 &* 2654435761 >> 7) } + [0x7C00, 0xFC00, 0x7E00, 0x0001, 0x8000]
            var bytes = [UInt8](repeating: 0, count: 1 + 2 * bits.count)
            for (i, b) in bits.enumerated() { bytes[1 + 2 * i] = UInt8(b & 0xFF); bytes[2 + 2 * i] = UInt8(b >> 8) }
            for kind in [PackedPanels.Storage.f16, .bf16] {
                var out = [Float](repeating: 0, count: bits.count)
                bytes.withUnsafeBytes { raw in dit_widen_half(raw.baseAddress! + 1, &out, bits.count, kind.rawValue) }
                for (i, b) in bits.enumerated() {
                    let want = kind == .f16 ? Float(Float16(bitPattern: b)) : Float(bitPattern: UInt32(b) << 16)
                    if want.isNaN { XCTAssertTrue(out[i].isNaN, "\(isa.name) \(kind.name) NaN"); continue }  // quieted or not
                    XCTAssertEqual(out[i].bitPattern, want.bitPattern, "\(isa.name) \(kind.name) \(String(b, radix: 16))")
                }
            }
        }
    }

    func testHalfPanelsGiveTheF32Bits() {
        var g = Xoshiro256StarStar(seed: 5)
        for (m, n, k, storage) in [(3, 70, 300, PackedPanels.Storage.f16), (37, 33, 400, .bf16), (13, 64, 7, .f16), (400, 40, 20, .bf16)] {
            let a = Tensor([m, k]), w = Tensor([n, k]), b = Tensor([n])
            g.fillNormal(a.data, count: a.count); g.fillNormal(b.data, count: n); g.fillNormal(w.data, count: w.count)
            // BF16 values beyond F16's range (×10⁶), so that F16 does not hold them too.
            for i in 0..<w.count { w[i] = storage == .f16 ? Float(Float16(w[i])) : (w[i] * 1e6).bf16 }
            let full = Tensor([n, k]); full.copy(from: w)
            full.panels = PackedPanels(full.data, out: n, inputs: k)          // F32 panels
            w.packForLinear()                                                  // 16-bit panels, F32 let go
            XCTAssertEqual(w.panels?.storage, storage)
            XCTAssertFalse(w.holdsValues)
            XCTAssertEqual(w.residentBytes, w.panels!.bytes + 4)
            for isa in GEMMTests.paths {
                GEMM.isa = isa
                let y = Tensor([m, n]), y32 = Tensor([m, n])
                BLAS.linear(a.data, rows: m, w, b, into: y.data)
                BLAS.linear(a.data, rows: m, full, b, into: y32.data)
                XCTAssertEqual(y.array.map(\.bitPattern), y32.array.map(\.bitPattern), "\(isa.name) \(storage.name) \(m)×\(n)×\(k)")
            }
        }
    }
}

extension Float {
    /// Rounded towards zero to BF16's 8 bits of mantissa.
    var bf16: Float { Float(bitPattern: bitPattern & 0xFFFF_0000) }
}
