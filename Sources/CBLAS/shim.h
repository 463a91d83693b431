// OpenBLAS's CBLAS interface (Debian: libopenblas-dev, found through pkg-config "openblas").
#include <cblas.h>
#include <stddef.h>

// LAPACK's Cholesky factorisation, which libopenblas also exports. Debian's libopenblas-dev ships
// no lapack.h, so the Fortran entry point is declared here (the trailing length is Fortran's
// hidden argument for `uplo`).
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info, size_t uplo_length);
