// Multi-head self-attention of a DiT block (timm Attention, qkv_bias=True): per sample and head,
// P = softmax(q·kᵀ · head_dim^-1/2), out = P·v. q, k, v are read in place from the (N, T, 3D)
// qkv buffer (its columns are (3, heads, head_dim)); k and v are packed per head into the GEMM
// kernel's panels (GEMM.swift), and P stays in a per-core (T, T) scratch unless a probe keeps it.
import CKernels

enum Attention {
    /// Floats of one core's scratch: P (T, T), then k and v packed.
    static func scratchCount(tokens T: Int, headDim hd: Int) -> Int {
        T * T + Int(dit_packed_count(Int32(T), Int32(hd))) + Int(dit_packed_count(Int32(hd), Int32(T)))
    }

    /// qkv (N, T, 3D) -> out (N, T, D); the probabilities into probe (N, heads, T, T) when given.
    /// scratch: (cores, scratchCount).
    static func apply(qkv: Tensor, probe: Tensor?, scratch: Tensor, out: Tensor, n: Int, tokens T: Int, dim D: Int, heads: Int) {
        let hd = D / heads
        let scale = 1 / Float(hd).squareRoot()
        let q = qkv.data, o = out.data
        let pairs = n * heads, per = scratchCount(tokens: T, headDim: hd)
        let keyPanels = Int32((T + 31) / 32), valuePanels = Int32((hd + 31) / 32)
        // Each head is a (T, hd) @ (hd, T) and a (T, T) @ (T, hd) product: enough to share out.
        Profile.time("attention \(n)×\(heads) heads, \(T)×\(T)×\(hd)") {
            Parallel.indexedChunks(pairs, grain: T * T * hd >= 1 << 16 ? 1 : pairs) { part, range in
                let scr = scratch.data + part * per
                let kp = scr + T * T, vp = kp + Int(dit_packed_count(Int32(T), Int32(hd)))
                for pair in range {
                    let b = pair / heads, h = pair % heads
                    let base = q + b * T * 3 * D + h * hd
                    let p = probe.map { $0.data + pair * T * T } ?? scr
                    Profile.time("  attention: pack k, v (CPU time)") {
                        dit_pack_nt(Int32(T), Int32(hd), base + D, Int32(3 * D), kp)       // k (T, hd) as panels
                        dit_pack_nn(Int32(hd), Int32(T), base + 2 * D, Int32(3 * D), vp)   // v (T, hd) as panels of vᵀ
                    }
                    Profile.time("  attention: q·kᵀ (CPU time)") {
                        dit_gemm_packed(Int32(T), Int32(T), Int32(hd), base, Int32(3 * D), kp, nil, p, Int32(T), 0, keyPanels)  // (T, hd) @ (T, hd)ᵀ -> (T, T)
                    }
                    Profile.time("  attention: softmax (CPU time)") { Ops.softmaxRows(p, rows: T, cols: T, scale: scale) }
                    Profile.time("  attention: P·v (CPU time)") {
                        dit_gemm_packed(Int32(T), Int32(hd), Int32(T), p, Int32(T), vp, nil, o + b * T * D + h * hd, Int32(D), 0, valuePanels)  // (T, T) @ (T, hd) -> (T, hd)
                    }
                }
            }
        }
    }
}
