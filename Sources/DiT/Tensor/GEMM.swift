// The engine's own matrix product for Linear layers (Sources/CKernels/packed_gemm.c): the weight
// W (out, in) is packed once, at load, into panels of 32 output columns, so no call repacks it
// (OpenBLAS packs B on every call, and Debian's build falls back to SSE3 kernels on CPUs it
// does not know). The panels are split over the cores; the kernel path (AVX-512, AVX2 + FMA,
// plain C) is chosen at run time and can be forced for tests (GEMM.isa).
import CKernels

/// W (out, in) in the kernel's panel layout: (ceil(out/32), in, 32), zero-padded, 64-byte aligned.
public final class PackedPanels: @unchecked Sendable {
    public let out: Int, inputs: Int
    let data: UnsafeMutablePointer<Float>
    var count: Int { Int(dit_packed_count(Int32(out), Int32(inputs))) }
    var panels: Int { (out + 31) / 32 }

    /// w (out, in), row stride ldw.
    init(_ w: UnsafePointer<Float>, out: Int, inputs: Int, ldw: Int? = nil) {
        self.out = out; self.inputs = inputs
        let n = Int(dit_packed_count(Int32(out), Int32(inputs)))
        data = UnsafeMutableRawPointer.allocate(byteCount: max(1, n) * 4, alignment: 64).bindMemory(to: Float.self, capacity: max(1, n))
        dit_pack_nt(Int32(out), Int32(inputs), w, Int32(ldw ?? inputs), data)
    }

    deinit { UnsafeMutableRawPointer(data).deallocate() }
}

extension Tensor {
    /// Packs this (out, in) Linear weight for the GEMM kernel (Tensor.panels); call once, after
    /// its values are final (the panels are a copy).
    public func packForLinear() {
        precondition(shape.count == 2, "packForLinear: a Linear weight is (out, in), found \(shape)")
        panels = PackedPanels(data, out: shape[0], inputs: shape[1])
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
                dit_gemm_packed(Int32(m), Int32(n), Int32(k), a, Int32(lda), p.data, bias, c, Int32(ldc),
                                Int32(r.lowerBound), Int32(r.upperBound))
            }
        } else {
            Parallel.chunks(m, grain: 12) { r in
                dit_gemm_packed(Int32(r.count), Int32(n), Int32(k), a + r.lowerBound * lda, Int32(lda), p.data, bias,
                                c + r.lowerBound * ldc, Int32(ldc), 0, Int32(panels))
            }
        }
    }
}
