// C (M, N) = A (M, K) @ W (N, K)ᵀ + bias, with W (a PyTorch Linear weight, (out, in)) packed
// once, at load, into panels of 32 output columns: panel p holds W[32p + j][k] at
// [p][k][j], k-major, zero-padded past N. A micro-kernel keeps an R × 32 block of C in
// registers and streams one panel: per k, the panel's 32 values are loaded once and each of
// the R rows of A is broadcast against them. The caller splits the panels over threads.
//
// Every C element is one accumulator summed over k in order 0…K−1 and the bias is added
// last, whatever the blocking, the tile it falls in or the thread that computes it; so the
// result does not depend on how the work is split (bit-for-bit replay).
//
// Paths, chosen at run time: AVX-512F (R ≤ 12 rows × 2 zmm), AVX2 + FMA (R ≤ 6 rows × 2 ymm,
// each panel as two halves of 16), and plain C for any other CPU.
//
// Panels may also hold F16 or BF16 values (a checkpoint's own, kept at half the bytes): each
// kc × 32 block is widened into a buffer before the same kernels run on it.
#include "ckernels.h"
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define PANEL 32
#define KC 384   // k-block: a 384 × 32 panel block (48 KB) stays in L1/L2 while the rows of A stream (DiT-S: K = 384 is one block)
#define KC_HALF 128  // 16-bit panels: the widened block (16 KB) and the rows of A it meets share L1 with room to spare
#define MC 384   // row block: MC × KC of A (576 KB) stays in L2 across the panels

static int forced = -1;

int dit_isa_available(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return DIT_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return DIT_ISA_AVX2;
    return DIT_ISA_SCALAR;
}

int dit_isa(void) { return forced >= 0 ? forced : dit_isa_available(); }

int dit_set_isa(int isa) {
    if (isa < 0) { forced = -1; return dit_isa(); }
    if (isa > dit_isa_available()) return -1;
    forced = isa;
    return isa;
}

long dit_packed_count(int n, int k) { return (long)((n + PANEL - 1) / PANEL) * PANEL * k; }

void dit_pack_nt(int n, int k, const float *w, int ldw, float *packed) {
    int panels = (n + PANEL - 1) / PANEL;
    for (int p = 0; p < panels; p++) {
        float *dst = packed + (long)p * PANEL * k;
        for (int j = 0; j < PANEL; j++) {
            int row = p * PANEL + j;
            if (row < n) {
                const float *src = w + (long)row * ldw;
                for (int q = 0; q < k; q++) dst[(long)q * PANEL + j] = src[q];
            } else {
                for (int q = 0; q < k; q++) dst[(long)q * PANEL + j] = 0.0f;
            }
        }
    }
}

void dit_pack_nn(int n, int k, const float *b, int ldb, float *packed) {
    int panels = (n + PANEL - 1) / PANEL;
    for (int p = 0; p < panels; p++) {
        int cols = n - p * PANEL < PANEL ? n - p * PANEL : PANEL;
        for (int q = 0; q < k; q++) {
            float *dst = packed + ((long)p * k + q) * PANEL;
            const float *src = b + (long)q * ldb + p * PANEL;
            for (int j = 0; j < cols; j++) dst[j] = src[j];
            for (int j = cols; j < PANEL; j++) dst[j] = 0.0f;
        }
    }
}

// The last 1–5 rows of a row block, with a constant R for the tile (shared by both paths).
#define TAIL_CASES(tile, ...)                                     \
    case 5: tile(5, __VA_ARGS__); break;                          \
    case 4: tile(4, __VA_ARGS__); break;                          \
    case 3: tile(3, __VA_ARGS__); break;                          \
    case 2: tile(2, __VA_ARGS__); break;                          \
    case 1: tile(1, __VA_ARGS__); break;

// ---- AVX-512 -------------------------------------------------------------------------------

// R rows × 32 columns over kc values of k. first: start from zero (else from C); last: add the
// bias and store only the `cols` valid columns.
__attribute__((target("avx512f"), always_inline))
static inline void tile512(int R, int kc, const float *a, long lda, const float *b, float *c, long ldc,
                           int cols, int first, int last, const float *bias) {
    __m512 c0[12], c1[12];
    __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    __mmask16 m1 = cols >= 32 ? 0xFFFF : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
    for (int i = 0; i < R; i++) {
        if (first) { c0[i] = _mm512_setzero_ps(); c1[i] = _mm512_setzero_ps(); }
        else { c0[i] = _mm512_maskz_loadu_ps(m0, c + i * ldc); c1[i] = _mm512_maskz_loadu_ps(m1, c + i * ldc + 16); }
    }
    for (int q = 0; q < kc; q++) {
        __m512 b0 = _mm512_loadu_ps(b + q * PANEL), b1 = _mm512_loadu_ps(b + q * PANEL + 16);
        for (int i = 0; i < R; i++) {
            __m512 x = _mm512_set1_ps(a[i * lda + q]);
            c0[i] = _mm512_fmadd_ps(x, b0, c0[i]);
            c1[i] = _mm512_fmadd_ps(x, b1, c1[i]);
        }
    }
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (last && bias) { bias0 = _mm512_maskz_loadu_ps(m0, bias); bias1 = _mm512_maskz_loadu_ps(m1, bias + 16); }
    for (int i = 0; i < R; i++) {
        if (last && bias) { c0[i] = _mm512_add_ps(c0[i], bias0); c1[i] = _mm512_add_ps(c1[i], bias1); }
        _mm512_mask_storeu_ps(c + i * ldc, m0, c0[i]);
        _mm512_mask_storeu_ps(c + i * ldc + 16, m1, c1[i]);
    }
}

__attribute__((target("avx512f")))
static void rows512(int rows, int kc, const float *a, long lda, const float *b, float *c, long ldc,
                    int cols, int first, int last, const float *bias) {
    int i = 0;
    for (; i + 12 <= rows; i += 12) tile512(12, kc, a + i * lda, lda, b, c + i * ldc, ldc, cols, first, last, bias);
    const float *ar = a + i * lda;
    float *cr = c + i * ldc;
    switch (rows - i) {  // constant R: the register arrays stay registers
    case 11: tile512(11, kc, ar, lda, b, cr, ldc, cols, first, last, bias); break;
    case 10: tile512(10, kc, ar, lda, b, cr, ldc, cols, first, last, bias); break;
    case 9: tile512(9, kc, ar, lda, b, cr, ldc, cols, first, last, bias); break;
    case 8: tile512(8, kc, ar, lda, b, cr, ldc, cols, first, last, bias); break;
    case 7: tile512(7, kc, ar, lda, b, cr, ldc, cols, first, last, bias); break;
    case 6: tile512(6, kc, ar, lda, b, cr, ldc, cols, first, last, bias); break;
    TAIL_CASES(tile512, kc, ar, lda, b, cr, ldc, cols, first, last, bias)
    default: break;
    }
}

// ---- AVX2 + FMA ------------------------------------------------------------------------------

// R rows × 16 columns (half a panel) over kc values of k; as tile512 otherwise.
__attribute__((target("avx2,fma"), always_inline))
static inline void tile256(int R, int kc, const float *a, long lda, const float *b, float *c, long ldc,
                           int cols, int first, int last, const float *bias) {
    __m256 c0[6], c1[6];
    if (cols >= 16 && first) {
        for (int i = 0; i < R; i++) { c0[i] = _mm256_setzero_ps(); c1[i] = _mm256_setzero_ps(); }
    } else {
        float tmp[16] = {0};
        for (int i = 0; i < R; i++) {
            if (!first) for (int j = 0; j < cols && j < 16; j++) tmp[j] = c[i * ldc + j];
            c0[i] = _mm256_loadu_ps(tmp); c1[i] = _mm256_loadu_ps(tmp + 8);
        }
    }
    for (int q = 0; q < kc; q++) {
        __m256 b0 = _mm256_loadu_ps(b + q * PANEL), b1 = _mm256_loadu_ps(b + q * PANEL + 8);
        for (int i = 0; i < R; i++) {
            __m256 x = _mm256_broadcast_ss(a + i * lda + q);
            c0[i] = _mm256_fmadd_ps(x, b0, c0[i]);
            c1[i] = _mm256_fmadd_ps(x, b1, c1[i]);
        }
    }
    for (int i = 0; i < R; i++) {
        float out[16];
        _mm256_storeu_ps(out, c0[i]); _mm256_storeu_ps(out + 8, c1[i]);
        if (last && bias) for (int j = 0; j < 16; j++) out[j] += j < cols ? bias[j] : 0.0f;
        if (cols >= 16) {
            _mm256_storeu_ps(c + i * ldc, _mm256_loadu_ps(out));
            _mm256_storeu_ps(c + i * ldc + 8, _mm256_loadu_ps(out + 8));
        } else {
            for (int j = 0; j < cols; j++) c[i * ldc + j] = out[j];
        }
    }
}

__attribute__((target("avx2,fma")))
static void rows256(int rows, int kc, const float *a, long lda, const float *b, float *c, long ldc,
                    int cols, int first, int last, const float *bias) {
    for (int h = 0; h < 2 && cols > 16 * h; h++) {  // the panel's two halves of 16 columns
        const float *bh = b + 16 * h;
        float *ch = c + 16 * h;
        const float *biash = bias ? bias + 16 * h : 0;
        int hc = cols - 16 * h;
        int i = 0;
        for (; i + 6 <= rows; i += 6) tile256(6, kc, a + i * lda, lda, bh, ch + i * ldc, ldc, hc, first, last, biash);
        const float *ar = a + i * lda;
        float *cr = ch + i * ldc;
        switch (rows - i) {
        TAIL_CASES(tile256, kc, ar, lda, bh, cr, ldc, hc, first, last, biash)
        default: break;
        }
    }
}

// ---- plain C -------------------------------------------------------------------------------

static void rowsScalar(int rows, int kc, const float *a, long lda, const float *b, float *c, long ldc,
                       int cols, int first, int last, const float *bias) {
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            float s = first ? 0.0f : c[i * ldc + j];
            for (int q = 0; q < kc; q++) s += a[i * lda + q] * b[q * PANEL + j];
            if (last && bias) s += bias[j];
            c[i * ldc + j] = s;
        }
}

// ---- half-precision panels -------------------------------------------------------------------

// F16 and BF16 by their bits: exact both ways (no rounding mode, no compiler-rt helpers).
float dit_half_to_float(unsigned short h, int kind) {
    uint32_t bits;
    if (kind == DIT_HALF_BF16) {
        bits = (uint32_t)h << 16;
    } else {
        uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1F, man = h & 0x3FF;
        if (exp == 0 && man == 0) bits = sign;
        else if (exp == 0) {            // subnormal man · 2^-24: normalise
            int s = 0;
            while (!(man & 0x400)) { man <<= 1; s++; }
            bits = sign | ((uint32_t)(127 - 14 - s) << 23) | ((man & 0x3FF) << 13);
        } else if (exp == 31) bits = sign | 0x7F800000u | (man << 13);
        else bits = sign | ((exp + 112) << 23) | (man << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

// The 16-bit number equal to f, when there is one (finite values only).
static int half_exact(float f, int kind, uint16_t *out) {
    uint32_t b;
    memcpy(&b, &f, 4);
    int exp = (int)((b >> 23) & 0xFF) - 127;
    if (exp == 128) return 0;
    if (kind == DIT_HALF_BF16) { *out = (uint16_t)(b >> 16); return (b & 0xFFFF) == 0; }
    uint32_t sign = (b >> 16) & 0x8000, man = b & 0x7FFFFF;
    if ((b & 0x7FFFFFFF) == 0) { *out = (uint16_t)sign; return 1; }
    if (exp >= -14 && exp <= 15) {      // a normal F16: 10 mantissa bits
        *out = (uint16_t)(sign | (uint32_t)(exp + 15) << 10 | man >> 13);
        return (man & 0x1FFF) == 0;
    }
    if (exp < -24 || exp > 15) return 0;
    uint32_t m = 0x800000 | man; int r = -(exp + 1);   // a subnormal F16: (m >> r) · 2^-24
    *out = (uint16_t)(sign | m >> r);
    return (m & ((1u << r) - 1)) == 0;
}

// 16 values at a time: F16 by converting there and back (VCVTPS2PH rounds to nearest; a value
// it changes, or one past F16's range, which becomes ±inf, fails), BF16 by its low 16 bits;
// NaN and ±inf fail both. Returns how many of the n values were checked (a multiple of 16);
// 0 in `ok` when one of them failed.
__attribute__((target("avx512f")))
static long half_exact512(const float *w, long n, int kind, int *ok) {
    long i = 0;
    const __m512i expMask = _mm512_set1_epi32(0x7F800000);
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(w + i);
        __m512i b = _mm512_castps_si512(v);
        __mmask16 finite = _mm512_cmpneq_epi32_mask(_mm512_and_si512(b, expMask), expMask);
        __mmask16 same;
        if (kind == DIT_HALF_BF16) same = _mm512_cmpeq_epi32_mask(_mm512_and_si512(b, _mm512_set1_epi32(0xFFFF)), _mm512_setzero_si512());
        else same = _mm512_cmp_ps_mask(_mm512_cvtph_ps(_mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)), v, _CMP_EQ_OQ);
        if ((__mmask16)(finite & same) != 0xFFFF) { *ok = 0; return i + 16; }
    }
    return i;
}

int dit_half_exact(const float *w, long n, int kind) {
    uint16_t h;
    int ok = 1;
    long i = dit_isa() == DIT_ISA_AVX512 ? half_exact512(w, n, kind, &ok) : 0;
    if (!ok) return 0;
    for (; i < n; i++) if (!half_exact(w[i], kind, &h)) return 0;
    return 1;
}

// One row of k values (all exact, dit_half_exact) narrowed into h.
__attribute__((target("avx512f")))
static int narrow512(const float *w, int k, int kind, uint16_t *h) {
    int q = 0;
    for (; q + 16 <= k; q += 16) {
        __m512 v = _mm512_loadu_ps(w + q);
        __m256i x = kind == DIT_HALF_BF16 ? _mm512_cvtepi32_epi16(_mm512_srli_epi32(_mm512_castps_si512(v), 16))
                                          : _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256((__m256i *)(h + q), x);
    }
    return q;
}

void dit_pack_nt_half(int n, int k, const float *w, int ldw, unsigned short *packed, int kind) {
    int panels = (n + PANEL - 1) / PANEL;
    int wide = dit_isa() == DIT_ISA_AVX512;
    uint16_t row16[KC];
    for (int p = 0; p < panels; p++) {
        unsigned short *dst = packed + (long)p * PANEL * k;
        for (int j = 0; j < PANEL; j++) {
            int row = p * PANEL + j;
            for (int q0 = 0; q0 < k; q0 += KC) {   // a row narrowed KC values at a time, then spread over the panel
                int kc = k - q0 < KC ? k - q0 : KC, q = 0;
                if (row < n) {
                    const float *src = w + (long)row * ldw + q0;
                    if (wide) q = narrow512(src, kc, kind, row16);
                    for (; q < kc; q++) half_exact(src[q], kind, &row16[q]);
                } else {
                    memset(row16, 0, sizeof row16);
                }
                for (q = 0; q < kc; q++) dst[(long)(q0 + q) * PANEL + j] = row16[q];
            }
        }
    }
}

// The widest run of n 16-bit values at h that the path takes (a multiple of 16 or 8) widened into
// f; both at any alignment (a panel block, or a file's bytes). Returns how many it widened.
__attribute__((target("avx512f")))
static long widen512(const unsigned char *h, float *f, long n, int kind) {
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(h + 2 * i));
        __m512 v = kind == DIT_HALF_F16 ? _mm512_cvtph_ps(x) : _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(x), 16));
        _mm512_storeu_ps(f + i, v);
    }
    return i;
}

__attribute__((target("avx2,f16c")))
static long widen256(const unsigned char *h, float *f, long n, int kind) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i x = _mm_loadu_si128((const __m128i *)(h + 2 * i));
        __m256 v = kind == DIT_HALF_F16 ? _mm256_cvtph_ps(x)
                                        : _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(x), 16));  // BF16: the high half of an F32's bits
        _mm256_storeu_ps(f + i, v);
    }
    return i;
}

// n 16-bit values at h (any alignment, little-endian) widened into f, on the path isa.
static void widen(const void *h, float *f, long n, int kind, int isa) {
    const unsigned char *b = h;
    long i = 0;
    if (isa == DIT_ISA_AVX512) i = widen512(b, f, n, kind);
    else if (isa == DIT_ISA_AVX2 && __builtin_cpu_supports("f16c")) i = widen256(b, f, n, kind);
    for (; i < n; i++) {
        unsigned short v;
        memcpy(&v, b + 2 * i, 2);
        f[i] = dit_half_to_float(v, kind);
    }
}

void dit_widen_half(const void *src, float *dst, long n, int kind) { widen(src, dst, n, kind, dit_isa()); }

// ---- driver --------------------------------------------------------------------------------

// Panels of F32 (half NULL), or of 16-bit values widened block by block into `block` (KC_HALF × 32).
static void gemm(int m, int n, int k, const float *a, int lda, const float *packed, const uint16_t *half, int kind,
                 float *block, const float *bias, float *c, int ldc, int panelBegin, int panelEnd) {
    int isa = dit_isa();
    int kcMax = half ? KC_HALF : KC;
    for (int m0 = 0; m0 < m; m0 += MC) {
        int rows = m - m0 < MC ? m - m0 : MC;
        for (int k0 = 0; k0 < k; k0 += kcMax) {
            int kc = k - k0 < kcMax ? k - k0 : kcMax;
            int first = k0 == 0, last = k0 + kc == k;
            for (int p = panelBegin; p < panelEnd; p++) {
                int cols = n - p * PANEL < PANEL ? n - p * PANEL : PANEL;
                const float *ap = a + (long)m0 * lda + k0;
                const float *bp;
                if (half) { widen(half + (long)p * PANEL * k + (long)k0 * PANEL, block, (long)kc * PANEL, kind, isa); bp = block; }
                else bp = packed + (long)p * PANEL * k + (long)k0 * PANEL;
                float *cp = c + (long)m0 * ldc + p * PANEL;
                const float *biasp = bias ? bias + p * PANEL : 0;
                if (isa == DIT_ISA_AVX512) rows512(rows, kc, ap, lda, bp, cp, ldc, cols, first, last, biasp);
                else if (isa == DIT_ISA_AVX2) rows256(rows, kc, ap, lda, bp, cp, ldc, cols, first, last, biasp);
                else rowsScalar(rows, kc, ap, lda, bp, cp, ldc, cols, first, last, biasp);
            }
        }
    }
}

void dit_gemm_packed(int m, int n, int k, const float *a, int lda, const float *packed,
                     const float *bias, float *c, int ldc, int panelBegin, int panelEnd) {
    gemm(m, n, k, a, lda, packed, 0, 0, 0, bias, c, ldc, panelBegin, panelEnd);
}

void dit_gemm_packed_half(int m, int n, int k, const float *a, int lda, const unsigned short *packed, int kind,
                          const float *bias, float *c, int ldc, int panelBegin, int panelEnd) {
    float block[KC_HALF * PANEL] __attribute__((aligned(64)));   // 16 KB on this thread's stack
    gemm(m, n, k, a, lda, 0, packed, kind, block, bias, c, ldc, panelBegin, panelEnd);
}
