// The element-wise stages over every token that cost most after the GEMMs: softmax rows (the
// attention probabilities) and GELU (the MLP), 16 or 8 lanes wide on the path dit_isa() picks.
// exp is Cephes' expf, the same as Sources/DiT/Tensor/VectorMath.swift: x = n·ln2 + r, a
// degree-6 polynomial for e^r, 2^n built in the exponent bits; about 1 ulp over the clamped range.
#include "ckernels.h"
#include <immintrin.h>
#include <math.h>

#define EXP_POLY(T, set1, add, mul, fmadd, sub)                                   \
    T y = set1(1.9875691500e-4f);                                                 \
    y = fmadd(y, x, set1(1.3981999507e-3f));                                      \
    y = fmadd(y, x, set1(8.3334519073e-3f));                                      \
    y = fmadd(y, x, set1(4.1665795894e-2f));                                      \
    y = fmadd(y, x, set1(1.6666665459e-1f));                                      \
    y = fmadd(y, x, set1(5.0000001201e-1f));                                      \
    y = add(fmadd(y, mul(x, x), x), set1(1.0f));

// One exp per vector width W (512, 256): the same steps with _mm512_* or _mm256_* intrinsics.
#define DEFINE_EXP(name, W, T, isa)                                                                     \
    __attribute__((target(isa), always_inline)) static inline T name(T x) {                             \
        x = _mm##W##_min_ps(_mm##W##_max_ps(x, _mm##W##_set1_ps(-87.3f)), _mm##W##_set1_ps(88.3f));     \
        T shifted = _mm##W##_fmadd_ps(x, _mm##W##_set1_ps(1.44269504088896341f), _mm##W##_set1_ps(12582912.0f)); \
        T n = _mm##W##_sub_ps(shifted, _mm##W##_set1_ps(12582912.0f));                                   \
        x = _mm##W##_fmadd_ps(n, _mm##W##_set1_ps(2.12194440e-4f), _mm##W##_fnmadd_ps(n, _mm##W##_set1_ps(0.693359375f), x)); \
        EXP_POLY(T, _mm##W##_set1_ps, _mm##W##_add_ps, _mm##W##_mul_ps, _mm##W##_fmadd_ps, _mm##W##_sub_ps) \
        T bits = _mm##W##_castsi##W##_ps(_mm##W##_slli_epi32(_mm##W##_add_epi32(_mm##W##_sub_epi32(    \
            _mm##W##_castps_si##W(shifted), _mm##W##_set1_epi32(0x4B400000)), _mm##W##_set1_epi32(127)), 23)); \
        return _mm##W##_mul_ps(y, bits);                                                                 \
    }

DEFINE_EXP(exp512, 512, __m512, "avx512f")
DEFINE_EXP(exp256, 256, __m256, "avx2,fma")

// ---- softmax(scale · x) over each row ----------------------------------------------------------
// max(round(scale · x)) = round(scale · max x) for scale > 0, so the row max is taken before scaling.

__attribute__((target("avx512f")))
static void softmax512(float *x, int rows, int cols, float scale) {
    __m512 vs = _mm512_set1_ps(scale);
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * cols;
        __m512 vmax = _mm512_set1_ps(-INFINITY);
        for (int j = 0; j < cols; j += 16) {
            __mmask16 m = cols - j >= 16 ? 0xFFFF : (__mmask16)((1u << (cols - j)) - 1);
            vmax = _mm512_mask_max_ps(vmax, m, vmax, _mm512_maskz_loadu_ps(m, row + j));
        }
        __m512 vm = _mm512_set1_ps(_mm512_reduce_max_ps(vmax) * scale), vsum = _mm512_setzero_ps();
        for (int j = 0; j < cols; j += 16) {
            __mmask16 m = cols - j >= 16 ? 0xFFFF : (__mmask16)((1u << (cols - j)) - 1);
            __m512 e = exp512(_mm512_sub_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, row + j), vs), vm));
            _mm512_mask_storeu_ps(row + j, m, e);
            vsum = _mm512_add_ps(vsum, _mm512_maskz_mov_ps(m, e));
        }
        __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(vsum));
        for (int j = 0; j < cols; j += 16) {
            __mmask16 m = cols - j >= 16 ? 0xFFFF : (__mmask16)((1u << (cols - j)) - 1);
            _mm512_mask_storeu_ps(row + j, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, row + j), inv));
        }
    }
}

__attribute__((target("avx2,fma")))
static float hsum256(__m256 v) {
    float o[8]; _mm256_storeu_ps(o, v);
    return ((o[0] + o[1]) + (o[2] + o[3])) + ((o[4] + o[5]) + (o[6] + o[7]));
}

__attribute__((target("avx2,fma")))
static void softmax256(float *x, int rows, int cols, float scale) {
    int vecEnd = cols & ~7;
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * cols;
        __m256 vmax = _mm256_set1_ps(-INFINITY);
        for (int j = 0; j < vecEnd; j += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(row + j));
        float o[8], m = -INFINITY;
        _mm256_storeu_ps(o, vmax);
        for (int i = 0; i < 8; i++) m = o[i] > m ? o[i] : m;
        for (int j = vecEnd; j < cols; j++) m = row[j] > m ? row[j] : m;
        m *= scale;
        __m256 vm = _mm256_set1_ps(m), vs = _mm256_set1_ps(scale), vsum = _mm256_setzero_ps();
        for (int j = 0; j < vecEnd; j += 8) {
            __m256 e = exp256(_mm256_sub_ps(_mm256_mul_ps(_mm256_loadu_ps(row + j), vs), vm));
            _mm256_storeu_ps(row + j, e);
            vsum = _mm256_add_ps(vsum, e);
        }
        float sum = hsum256(vsum);
        for (int j = vecEnd; j < cols; j++) { float e = expf(row[j] * scale - m); row[j] = e; sum += e; }
        float inv = 1.0f / sum;
        __m256 vinv = _mm256_set1_ps(inv);
        for (int j = 0; j < vecEnd; j += 8) _mm256_storeu_ps(row + j, _mm256_mul_ps(_mm256_loadu_ps(row + j), vinv));
        for (int j = vecEnd; j < cols; j++) row[j] *= inv;
    }
}

static void softmaxScalar(float *x, int rows, int cols, float scale) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * cols, m = -INFINITY, sum = 0.0f;
        for (int j = 0; j < cols; j++) m = row[j] > m ? row[j] : m;
        m *= scale;
        for (int j = 0; j < cols; j++) { row[j] = expf(row[j] * scale - m); sum += row[j]; }
        float inv = 1.0f / sum;
        for (int j = 0; j < cols; j++) row[j] *= inv;
    }
}

void dit_softmax_rows(float *x, int rows, int cols, float scale) {
    int isa = dit_isa();
    if (isa == DIT_ISA_AVX512) softmax512(x, rows, cols, scale);
    else if (isa == DIT_ISA_AVX2) softmax256(x, rows, cols, scale);
    else softmaxScalar(x, rows, cols, scale);
}

// ---- GELU, tanh approximation: x · σ(2z), z = √(2/π)(x + 0.044715x³) ----------------------------

#define GELU_K0 (-2.0f * 0.7978845608028654f)
#define GELU_K1 0.044715f

__attribute__((target("avx512f")))
static void gelu512(float *x, long count) {
    __m512 k0 = _mm512_set1_ps(GELU_K0), k1 = _mm512_set1_ps(GELU_K1), one = _mm512_set1_ps(1.0f);
    for (long i = 0; i < count; i += 16) {
        __mmask16 m = count - i >= 16 ? 0xFFFF : (__mmask16)((1u << (count - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        __m512 z = _mm512_mul_ps(k0, _mm512_add_ps(v, _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(k1, v), v), v)));
        _mm512_mask_storeu_ps(x + i, m, _mm512_div_ps(v, _mm512_add_ps(one, exp512(z))));
    }
}

__attribute__((target("avx2,fma")))
static void gelu256(float *x, long count) {
    __m256 k0 = _mm256_set1_ps(GELU_K0), k1 = _mm256_set1_ps(GELU_K1), one = _mm256_set1_ps(1.0f);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 z = _mm256_mul_ps(k0, _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(k1, v), v), v)));
        _mm256_storeu_ps(x + i, _mm256_div_ps(v, _mm256_add_ps(one, exp256(z))));
    }
    for (; i < count; i++) { float v = x[i]; x[i] = v / (1.0f + expf(GELU_K0 * (v + GELU_K1 * v * v * v))); }
}

void dit_gelu_tanh(float *x, long count) {
    int isa = dit_isa();
    if (isa == DIT_ISA_AVX512) gelu512(x, count);
    else if (isa == DIT_ISA_AVX2) gelu256(x, count);
    else for (long i = 0; i < count; i++) { float v = x[i]; x[i] = v / (1.0f + expf(GELU_K0 * (v + GELU_K1 * v * v * v))); }
}

static _Thread_local int thread_serial = 0;

int dit_thread_serial(void) { return thread_serial; }

int dit_set_thread_serial(int serial) {
    int old = thread_serial;
    thread_serial = serial;
    return old;
}

// ---- LayerNorm (+ modulate) and the gated residual ----------------------------------------------
// The same arithmetic, in the same order, as the plain loops they replace: each row's mean and
// variance summed one value at a time from the first (16 rows at once, one per lane, through
// gathers), then (x − mean) · rstd · a + b elementwise, and x + g · y, with no contraction into FMAs.
// So every path gives the bits of the scalar code, and the shipped models' outputs stay as they were.
#pragma STDC FP_CONTRACT OFF

// Mean and 1/√(var + eps) of n rows (n ≤ 16) of length d, row stride d, into mean[], rstd[].
static void moments_scalar(const float *x, int n, int d, float eps, float *mean, float *rstd) {
    float invD = 1.0f / (float)d;
    for (int r = 0; r < n; r++) {
        const float *row = x + (long)r * d;
        float m = 0;
        for (int i = 0; i < d; i++) m += row[i];
        m *= invD;
        float v = 0;
        for (int i = 0; i < d; i++) { float c = row[i] - m; v += c * c; }
        mean[r] = m;
        rstd[r] = 1.0f / sqrtf(v * invD + eps);
    }
}

__attribute__((target("avx512f")))
static void moments16(const float *x, int d, float eps, float *mean, float *rstd) {
    __m512i idx = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(d));
    __m512 invD = _mm512_set1_ps(1.0f / (float)d), m = _mm512_setzero_ps(), v = _mm512_setzero_ps();
    for (int i = 0; i < d; i++) m = _mm512_add_ps(m, _mm512_i32gather_ps(idx, x + i, 4));
    m = _mm512_mul_ps(m, invD);
    for (int i = 0; i < d; i++) {
        __m512 c = _mm512_sub_ps(_mm512_i32gather_ps(idx, x + i, 4), m);
        v = _mm512_add_ps(v, _mm512_mul_ps(c, c));
    }
    _mm512_storeu_ps(mean, m);
    _mm512_storeu_ps(rstd, _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_sqrt_ps(_mm512_add_ps(_mm512_mul_ps(v, invD), _mm512_set1_ps(eps)))));
}

// o = (row − mean) · rstd · a + b, a = 1 + scale[i] (modulate) or weight[i] (affine).
static void normalize_scalar(const float *row, int d, float mean, float rstd, const float *a, int plusOne, const float *b, float *o) {
    for (int i = 0; i < d; i++) o[i] = (row[i] - mean) * rstd * (plusOne ? 1 + a[i] : a[i]) + b[i];
}

__attribute__((target("avx512f")))
static void normalize512(const float *row, int d, float mean, float rstd, const float *a, int plusOne, const float *b, float *o) {
    __m512 vm = _mm512_set1_ps(mean), vr = _mm512_set1_ps(rstd), one = _mm512_set1_ps(1.0f);
    int i = 0;
    for (; i + 16 <= d; i += 16) {
        __m512 s = _mm512_loadu_ps(a + i);
        if (plusOne) s = _mm512_add_ps(one, s);
        __m512 y = _mm512_mul_ps(_mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(row + i), vm), vr), s);
        _mm512_storeu_ps(o + i, _mm512_add_ps(y, _mm512_loadu_ps(b + i)));
    }
    normalize_scalar(row + i, d - i, mean, rstd, a + i, plusOne, b + i, o + i);
}

void dit_layer_norm(const float *x, int rowBegin, int rowEnd, int d, float eps, const float *a, const float *b, int plusOne,
                    int rowsPerStep, long stride, float *out) {
    int wide = dit_isa() == DIT_ISA_AVX512;
    float mean[16], rstd[16];
    for (int r0 = rowBegin; r0 < rowEnd; r0 += 16) {
        int n = rowEnd - r0 < 16 ? rowEnd - r0 : 16;
        const float *x0 = x + (long)r0 * d;
        if (wide && n == 16) moments16(x0, d, eps, mean, rstd);
        else moments_scalar(x0, n, d, eps, mean, rstd);
        for (int j = 0; j < n; j++) {
            int r = r0 + j;
            long step = rowsPerStep > 0 ? (long)(r / rowsPerStep) * stride : 0;   // a sample's own shift and scale
            if (wide) normalize512(x + (long)r * d, d, mean[j], rstd[j], a + step, plusOne, b + step, out + (long)r * d);
            else normalize_scalar(x + (long)r * d, d, mean[j], rstd[j], a + step, plusOne, b + step, out + (long)r * d);
        }
    }
}

static void gated_scalar(float *x, const float *y, const float *g, int d) {
    for (int i = 0; i < d; i++) x[i] += g[i] * y[i];
}

__attribute__((target("avx512f")))
static void gated512(float *x, const float *y, const float *g, int d) {
    int i = 0;
    for (; i + 16 <= d; i += 16)
        _mm512_storeu_ps(x + i, _mm512_add_ps(_mm512_loadu_ps(x + i), _mm512_mul_ps(_mm512_loadu_ps(g + i), _mm512_loadu_ps(y + i))));
    gated_scalar(x + i, y + i, g + i, d - i);
}

void dit_gated_residual(float *x, const float *y, const float *gate, long modStride, int n, int t, int d) {
    int wide = dit_isa() == DIT_ISA_AVX512;
    for (int s = 0; s < n; s++) {
        const float *g = gate + (long)s * modStride;
        for (int tok = 0; tok < t; tok++) {
            long o = ((long)s * t + tok) * d;
            if (wide) gated512(x + o, y + o, g, d);
            else gated_scalar(x + o, y + o, g, d);
        }
    }
}
