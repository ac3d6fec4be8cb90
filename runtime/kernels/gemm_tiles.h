/*===- gemm_tiles.h - the sgemm kernel's tile shape and paths ------------===*
 *
 * Shared by the kernel (gemm.c) and the compiler, which packs constant
 * weights at compile time into the panels the kernel would pack them into
 * at run time (ds-pack-weights): both must agree on the tile and on which
 * way round a product is computed.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DS_GEMM_TILES_H
#define DS_GEMM_TILES_H

#include <stdint.h>

/* The register tile: MR rows of A times NR columns of B. */
enum { DS_GEMM_MR = 6, DS_GEMM_NR = 16 };

/* Products of at most two rows walk B directly, without packing. */
static inline int ds_gemm_unpacked(int64_t m) { return m <= 2; }

/* A narrow C (a convolution's last, smallest images) is computed as
 * C^T = B^T A^T, which fills the NR-wide panels better. */
static inline int ds_gemm_transposes(int64_t m, int64_t n) {
  return !ds_gemm_unpacked(m) && n < 4 * DS_GEMM_NR && m > n;
}

#endif
