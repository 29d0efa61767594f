// The engine's own matrix product for Linear layers (Sources/CKernels/packed_gemm.c): the weight
// W (out, in) is packed once, at load, into panels of 32 output columns, so no call repacks it
// (OpenBLAS packs B on every call, and Debian's build falls back to SSE3 kernels on CPUs it
// does not know). The panels are split over the cores; the kernel path (AVX-512, AVX2 + FMA,
// plain C) is chosen at run time and can be forced for tests (GEMM.isa).
import CKernels

/// W (out, in) in the kernel's panel layout: (ceil(out/32), in, 32), zero-padded, 64-byte aligned;
/// in F16 or BF16 when every value of W is exactly one (a checkpoint stored so), else F32.
public final class PackedPanels: @unchecked Sendable {
    /// How the panels hold their values (DIT_HALF_F16 / DIT_HALF_BF16 for the 16-bit ones).
    public enum Storage: Int32, Sendable {
        case f32 = 0, f16 = 1, bf16 = 2
        public var bytes: Int { self == .f32 ? 4 : 2 }
        public var name: String { ["F32", "F16", "BF16"][Int(rawValue)] }
    }

    public let out: Int, inputs: Int
    public let storage: Storage
    let raw: UnsafeMutableRawPointer
    var data: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }   // F32 panels
    var count: Int { Int(dit_packed_count(Int32(out), Int32(inputs))) }
    var panels: Int { (out + 31) / 32 }
    /// Bytes the panels hold (padding included).
    public var bytes: Int { max(1, count) * storage.bytes }

    /// w (out, in), row stride ldw; `half`: in F16 or BF16 when that holds every value exactly.
    init(_ w: UnsafePointer<Float>, out: Int, inputs: Int, ldw: Int? = nil, half: Bool = false) {
        self.out = out; self.inputs = inputs
        let ld = ldw ?? inputs
        func exact(_ s: Storage) -> Bool { (0..<out).allSatisfy { dit_half_exact(w + $0 * ld, inputs, s.rawValue) != 0 } }
        storage = !half || out * inputs == 0 ? .f32 : exact(.f16) ? .f16 : exact(.bf16) ? .bf16 : .f32
        let n = Int(dit_packed_count(Int32(out), Int32(inputs)))
        raw = .allocate(byteCount: max(1, n) * storage.bytes, alignment: 64)
        if storage == .f32 {
            dit_pack_nt(Int32(out), Int32(inputs), w, Int32(ld), raw.bindMemory(to: Float.self, capacity: max(1, n)))
        } else {
            dit_pack_nt_half(Int32(out), Int32(inputs), w, Int32(ld), raw.bindMemory(to: UInt16.self, capacity: max(1, n)), storage.rawValue)
        }
    }

    deinit { raw.deallocate() }

    /// W[row][col] as the kernel reads it (widened when 16-bit).
    public func value(row: Int, col: Int) -> Float {
        let i = (row / 32) * 32 * inputs + col * 32 + row % 32
        return storage == .f32 ? data[i] : dit_half_to_float(raw.assumingMemoryBound(to: UInt16.self)[i], storage.rawValue)
    }
}

extension Tensor {
    /// Packs this (out, in) Linear weight for the GEMM kernel (Tensor.panels), in F16 / BF16 when
    /// those hold it exactly, and lets its F32 values go: the panels are the weight from now on
    /// (BLAS.linear reads them; `panels.value(row:col:)` reads one back). Call once, when final.
    public func packForLinear() {
        precondition(shape.count == 2, "packForLinear: a Linear weight is (out, in), found \(shape)")
        precondition(holdsValues, "packForLinear: packed already (its F32 values are gone)")
        panels = PackedPanels(data, out: shape[0], inputs: shape[1], half: true)
        releaseValues()
    }
}

public enum GEMM {
    /// Kernel paths: the CPU's best is the default.
    public enum ISA: Int32, CaseIterable, Sendable {
        case scalar = 0, avx2 = 1, avx512 = 2
        public var name: String { ["plain C", "AVX2 + FMA", "AVX-512"][Int(rawValue)] }
    }

    /// The best path this CPU runs.
    public static var available: ISA { ISA(rawValue: dit_isa_available()) ?? .scalar }

    /// The path in use; set it to force another (tests), nil for the best. Only paths the CPU
    /// runs are accepted. Not for use while a forward pass runs.
    public static var isa: ISA {
        get { ISA(rawValue: dit_isa()) ?? .scalar }
        set { _ = dit_set_isa(newValue.rawValue <= available.rawValue ? newValue.rawValue : -1) }
    }

    /// c (m, p.out; row stride ldc) = a (m, p.inputs; row stride lda) @ Wᵀ + bias, over all cores:
    /// split by panels when there are enough of them, else by rows.
    static func run(m: Int, _ a: UnsafePointer<Float>, lda: Int, _ p: PackedPanels, bias: UnsafePointer<Float>?,
                    _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        let n = p.out, k = p.inputs, panels = p.panels
        let work = m * k * panels * 32
        let small = work < 1 << 17  // below ~130 k multiply-adds a hand-off costs more than it saves
        if small || panels >= Parallel.cores {
            Parallel.chunks(panels, grain: small ? panels : 1) { r in
                product(p, m: m, a, lda: lda, bias: bias, c, ldc: ldc, panels: r)
            }
        } else {
            Parallel.chunks(m, grain: 12) { r in
                product(p, m: r.count, a + r.lowerBound * lda, lda: lda, bias: bias, c + r.lowerBound * ldc, ldc: ldc, panels: 0..<panels)
            }
        }
    }

    /// One call of the kernel for the panels' storage.
    @inline(__always)
    static func product(_ p: PackedPanels, m: Int, _ a: UnsafePointer<Float>, lda: Int, bias: UnsafePointer<Float>?,
                        _ c: UnsafeMutablePointer<Float>, ldc: Int, panels r: Range<Int>) {
        let (n, k) = (Int32(p.out), Int32(p.inputs))
        if p.storage == .f32 {
            dit_gemm_packed(Int32(m), n, k, a, Int32(lda), p.data, bias, c, Int32(ldc), Int32(r.lowerBound), Int32(r.upperBound))
        } else {
            dit_gemm_packed_half(Int32(m), n, k, a, Int32(lda), p.raw.assumingMemoryBound(to: UInt16.self), p.storage.rawValue,
                                 bias, c, Int32(ldc), Int32(r.lowerBound), Int32(r.upperBound))
        }
    }
}
