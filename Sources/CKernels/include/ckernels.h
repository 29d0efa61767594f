#pragma once
// Small-M matrix product for the Linear layers of a DiT with few tokens (DiT-S/8: 16 tokens per
// sample). OpenBLAS packs the whole weight matrix on every call, which at M = 32 rows costs as
// much as the product; this kernel streams each weight row once instead.

/// 1 when the CPU has AVX2 and FMA (the kernel's requirement), else 0.
int dit_small_gemm_available(void);

/// C[r][j] = bias[j] + sum_k A[r][k] * B[j][k]  for r < M, j < N   (B is PyTorch's (out, in)).
/// bias may be NULL. Row strides lda, ldb, ldc in elements.
void dit_small_gemm_nt(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                       const float *bias, float *C, int ldc);
