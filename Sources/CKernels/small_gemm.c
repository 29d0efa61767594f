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

// An R (rows of A, 1-3) x 4 (rows of B) block: with R = 3, 12 accumulators + 3 rows of A + 1
// weight vector fill the 16 ymm registers, so nothing spills. Always inlined with a constant R,
// so the loops over i unroll and the arrays live in registers.
__attribute__((target("avx2,fma"), always_inline))
static inline void block(int R, int K, const float *A, int lda, const float *B, int ldb, float out[3][4]) {
    __m256 c[3][4];
    for (int i = 0; i < R; i++)
        for (int j = 0; j < 4; j++) c[i][j] = _mm256_setzero_ps();
    int k = 0;
    for (; k + 8 <= K; k += 8) {
        __m256 x[3];
        for (int i = 0; i < R; i++) x[i] = _mm256_loadu_ps(A + (long)i * lda + k);
        for (int j = 0; j < 4; j++) {
            __m256 w = _mm256_loadu_ps(B + (long)j * ldb + k);
            for (int i = 0; i < R; i++) c[i][j] = _mm256_fmadd_ps(x[i], w, c[i][j]);
        }
    }
    for (int i = 0; i < R; i++)
        for (int j = 0; j < 4; j++) {
            float r = hsum(c[i][j]);
            for (int q = k; q < K; q++) r += A[(long)i * lda + q] * B[(long)j * ldb + q];
            out[i][j] = r;
        }
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
        for (int r = 0; r < M;) {
            int R = M - r >= 3 ? 3 : M - r;
            float out[3][4];
            const float *a = A + (long)r * lda, *b = B + (long)j * ldb;
            if (R == 3) block(3, K, a, lda, b, ldb, out);
            else if (R == 2) block(2, K, a, lda, b, ldb, out);
            else block(1, K, a, lda, b, ldb, out);
            for (int i = 0; i < R; i++)
                for (int q = 0; q < 4; q++)
                    C[(long)(r + i) * ldc + j + q] = out[i][q] + (bias ? bias[j + q] : 0.0f);
            r += R;
        }
    }
    for (; j < N; j++)
        for (int r = 0; r < M; r++)
            C[(long)r * ldc + j] = dot(K, A + (long)r * lda, B + (long)j * ldb) + (bias ? bias[j] : 0.0f);
}
