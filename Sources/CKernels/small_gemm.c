#include "ckernels.h"
#include <immintrin.h>

int dit_small_gemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

__attribute__((target("avx2,fma")))
static inline float hsum(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}

// One 3 (rows of A) x 4 (rows of B) block: 12 accumulators stay in registers over all of K.
__attribute__((target("avx2,fma")))
static void block3x4(int K, const float *a0, const float *a1, const float *a2,
                     const float *b0, const float *b1, const float *b2, const float *b3, float out[3][4]) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c02 = c00, c03 = c00;
    __m256 c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    __m256 c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    int k = 0;
    // 12 accumulators + 3 rows of A + 1 weight vector = all 16 ymm registers, no spills.
    for (; k + 8 <= K; k += 8) {
        __m256 x0 = _mm256_loadu_ps(a0 + k), x1 = _mm256_loadu_ps(a1 + k), x2 = _mm256_loadu_ps(a2 + k);
        __m256 w = _mm256_loadu_ps(b0 + k);
        c00 = _mm256_fmadd_ps(x0, w, c00); c10 = _mm256_fmadd_ps(x1, w, c10); c20 = _mm256_fmadd_ps(x2, w, c20);
        w = _mm256_loadu_ps(b1 + k);
        c01 = _mm256_fmadd_ps(x0, w, c01); c11 = _mm256_fmadd_ps(x1, w, c11); c21 = _mm256_fmadd_ps(x2, w, c21);
        w = _mm256_loadu_ps(b2 + k);
        c02 = _mm256_fmadd_ps(x0, w, c02); c12 = _mm256_fmadd_ps(x1, w, c12); c22 = _mm256_fmadd_ps(x2, w, c22);
        w = _mm256_loadu_ps(b3 + k);
        c03 = _mm256_fmadd_ps(x0, w, c03); c13 = _mm256_fmadd_ps(x1, w, c13); c23 = _mm256_fmadd_ps(x2, w, c23);
    }
    float r[3][4] = {
        {hsum(c00), hsum(c01), hsum(c02), hsum(c03)},
        {hsum(c10), hsum(c11), hsum(c12), hsum(c13)},
        {hsum(c20), hsum(c21), hsum(c22), hsum(c23)}};
    const float *as[3] = {a0, a1, a2}, *bs[4] = {b0, b1, b2, b3};
    for (; k < K; k++)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) r[i][j] += as[i][k] * bs[j][k];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) out[i][j] = r[i][j];
}

__attribute__((target("avx2,fma")))
static float dot(int K, const float *a, const float *b) {
    __m256 c = _mm256_setzero_ps();
    int k = 0;
    for (; k + 8 <= K; k += 8) c = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), c);
    float s = hsum(c);
    for (; k < K; k++) s += a[k] * b[k];
    return s;
}

__attribute__((target("avx2,fma")))
void dit_small_gemm_nt(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                       const float *bias, float *C, int ldc) {
    int j = 0;
    for (; j + 4 <= N; j += 4) {  // 4 weight rows (6 KB at K = 384) stay in L1 across all of A
        const float *b0 = B + (long)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
        int r = 0;
        for (; r + 3 <= M; r += 3) {
            float out[3][4];
            block3x4(K, A + (long)r * lda, A + (long)(r + 1) * lda, A + (long)(r + 2) * lda, b0, b1, b2, b3, out);
            for (int i = 0; i < 3; i++)
                for (int q = 0; q < 4; q++)
                    C[(long)(r + i) * ldc + j + q] = out[i][q] + (bias ? bias[j + q] : 0.0f);
        }
        for (; r < M; r++)
            for (int q = 0; q < 4; q++)
                C[(long)r * ldc + j + q] = dot(K, A + (long)r * lda, B + (long)(j + q) * ldb) + (bias ? bias[j + q] : 0.0f);
    }
    for (; j < N; j++)
        for (int r = 0; r < M; r++)
            C[(long)r * ldc + j] = dot(K, A + (long)r * lda, B + (long)j * ldb) + (bias ? bias[j] : 0.0f);
}
