#pragma once
// Small-M matrix product for the Linear layers of a DiT with few tokens (DiT-S/8: 16 tokens per
// sample). OpenBLAS packs the whole weight matrix on every call, which at M = 32 rows costs as
// much as the product; this kernel streams each weight row once instead.

/// 1 when the CPU has AVX2 and FMA (the kernel's requirement), else 0.
int dit_small_gemm_available(void);

/// Packs B (k, n), row stride ldb, as the W = Bᵀ of the product above (for A @ B).
void dit_pack_nn(int n, int k, const float *b, int ldb, float *packed);
/// C[r][j] = bias[j] + sum_k A[r][k] * B[j][k]  for r < M, j < N   (B is PyTorch's (out, in)).
/// bias may be NULL. Row strides lda, ldb, ldc in elements.
void dit_small_gemm_nt(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                       const float *bias, float *C, int ldc);

// Packed-panel GEMM for Linear layers (packed_gemm.c): the weight is packed once into panels of
// 32 output columns, then C (m, n) = A (m, k) @ W (n, k)ᵀ + bias over a range of panels.

/// Kernel paths, best last: the CPU's own is chosen at run time; tests force the others.
enum { DIT_ISA_SCALAR = 0, DIT_ISA_AVX2 = 1, DIT_ISA_AVX512 = 2 };
/// The best path this CPU runs.
int dit_isa_available(void);
/// The path in use.
int dit_isa(void);
/// Forces a path (-1: back to the best); returns it, or -1 when this CPU cannot run it.
int dit_set_isa(int isa);

/// Floats of W (n, k) packed: ceil(n / 32) panels of 32 × k (64-byte alignment is fastest).
long dit_packed_count(int n, int k);
/// Packs W (n, k), row stride ldw, into panels (zero-padded past n).
void dit_pack_nt(int n, int k, const float *w, int ldw, float *packed);
/// Packs B (k, n), row stride ldb, as the W = Bᵀ of the product above (for A @ B).
void dit_pack_nn(int n, int k, const float *b, int ldb, float *packed);
/// C[r][j] = bias[j] + sum_k A[r][k] W[j][k] for r < m and the columns of panels
/// [panelBegin, panelEnd); bias may be NULL. Row strides lda, ldc in elements.
void dit_gemm_packed(int m, int n, int k, const float *a, int lda, const float *packed,
                     const float *bias, float *c, int ldc, int panelBegin, int panelEnd);

// Element-wise stages (elementwise.c), on the path dit_isa() picks.

/// In place: softmax(scale · x) over each row of x (rows, cols); scale > 0.
void dit_softmax_rows(float *x, int rows, int cols, float scale);
/// In place: GELU, tanh approximation (nn.GELU(approximate="tanh")), over count values.
void dit_gelu_tanh(float *x, long count);
