// Vector exp and GELU shared by the element-wise stages (elementwise.c) and the GEMM epilogue
// (packed_gemm.c), so that GELU fused into fc1 gives the bits of GELU run after it.
// exp is Cephes' expf, the same as Sources/DiT/Tensor/VectorMath.swift: x = n·ln2 + r, a
// degree-6 polynomial for e^r, 2^n built in the exponent bits; about 1 ulp over the clamped range.
#pragma once
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

// ---- GELU, tanh approximation: x · σ(2z), z = √(2/π)(x + 0.044715x³) ----------------------------

#define GELU_K0 (-2.0f * 0.7978845608028654f)
#define GELU_K1 0.044715f

__attribute__((target("avx512f"), always_inline)) static inline __m512 gelu_v512(__m512 v) {
    __m512 z = _mm512_mul_ps(_mm512_set1_ps(GELU_K0),
                             _mm512_add_ps(v, _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(GELU_K1), v), v), v)));
    return _mm512_div_ps(v, _mm512_add_ps(_mm512_set1_ps(1.0f), exp512(z)));
}

__attribute__((target("avx2,fma"), always_inline)) static inline __m256 gelu_v256(__m256 v) {
    __m256 z = _mm256_mul_ps(_mm256_set1_ps(GELU_K0),
                             _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(GELU_K1), v), v), v)));
    return _mm256_div_ps(v, _mm256_add_ps(_mm256_set1_ps(1.0f), exp256(z)));
}

static inline float gelu_scalar(float v) { return v / (1.0f + expf(GELU_K0 * (v + GELU_K1 * v * v * v))); }
