#include <cblas.h>

// LAPACK, which Debian's OpenBLAS exports (no lapacke.h needed): the symmetric eigensolver
// behind the Fréchet distance's matrix square root.
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);
