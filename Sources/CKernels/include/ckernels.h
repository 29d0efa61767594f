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

// Panels kept in half precision: a Linear weight whose every value F16 (or BF16) holds exactly,
// as a checkpoint stored in F16 / BF16 gives them, at half the bytes. The product widens each
// block of a panel before the same kernels run, so it equals the F32 panels' bit for bit.
enum { DIT_HALF_F16 = 1, DIT_HALF_BF16 = 2 };
/// 1 when every one of the n values is exactly a number of that kind (finite), else 0.
int dit_half_exact(const float *w, long n, int kind);
/// As dit_pack_nt, into 16-bit values of that kind (exact: check dit_half_exact first).
void dit_pack_nt_half(int n, int k, const float *w, int ldw, unsigned short *packed, int kind);
/// The value of one 16-bit number of that kind, widened.
float dit_half_to_float(unsigned short h, int kind);
/// n 16-bit values of that kind (little-endian, at any alignment, as a file's bytes hold them) widened into dst.
void dit_widen_half(const void *src, float *dst, long n, int kind);
/// As dit_gemm_packed, with the panels of dit_pack_nt_half.
void dit_gemm_packed_half(int m, int n, int k, const float *a, int lda, const unsigned short *packed, int kind,
                          const float *bias, float *c, int ldc, int panelBegin, int panelEnd);

// Element-wise stages (elementwise.c), on the path dit_isa() picks.

/// In place: softmax(scale · x) over each row of x (rows, cols); scale > 0.
void dit_softmax_rows(float *x, int rows, int cols, float scale);
/// In place: GELU, tanh approximation (nn.GELU(approximate="tanh")), over count values.
void dit_gelu_tanh(float *x, long count);

// Per-thread switch for Parallel (Swift has no thread-local statics): a thread that already runs
// one share of a split batch keeps its stages serial instead of handing them off again.
/// 1 when this thread's stages run serially.
int dit_thread_serial(void);
/// Sets this thread's switch; returns the previous value.
int dit_set_thread_serial(int serial);

// LayerNorm rows and adaLN-Zero's gated residual (elementwise.c), bit for bit the plain loops.
/// out[r] = (x[r] − mean) · rstd · A + B for rows r in [rowBegin, rowEnd) of length d (x, out: the
/// whole buffers), eps inside the root. A is 1 + a (plusOne: modulate's scale) or a (an affine
/// weight), B is b; with rowsPerStep > 0, row r reads a and b advanced by (r / rowsPerStep) · stride
/// (each sample's own modulation).
void dit_layer_norm(const float *x, int rowBegin, int rowEnd, int d, float eps, const float *a, const float *b, int plusOne,
                    int rowsPerStep, long stride, float *out);
/// x[s, t, :] += gate[s · modStride + :] · y[s, t, :] for n samples of t tokens of d values.
void dit_gated_residual(float *x, const float *y, const float *gate, long modStride, int n, int t, int d);

// A persistent team of threads for splitting one stage over the cores (team.c): workers spin a
// little after each job, so a hand-off costs about a microsecond instead of a thread wake-up.
typedef void (*dit_team_fn)(void *ctx, int part);
/// Runs fn(ctx, p) for p in 0..<parts, part 0 on the calling thread, the others on the team
/// (started on first use, cores - 1 threads); returns when all are done: 1. Returns 0 without
/// running anything when the team is held by another caller or has too few threads: the caller
/// then splits the work its own way.
int dit_team_run(int parts, int cores, dit_team_fn fn, void *ctx);
