/*===- gemm.c - the matrix multiply micro-kernel -------------------------===*
 *
 * C[b] += A[b] * B[b] for row-major f32 matrices, the hot loop of every
 * matmul and (through im2col) convolution. It is compiled to LLVM bitcode
 * once per architecture without target features; deepseek-package links it
 * into each model and optimizes it for the platform's CPU, so the same
 * source becomes AVX2/AVX-512 or NEON code.
 *
 * The loops follow Goto's algorithm: B is packed in KC x NC blocks of
 * NR-wide column panels, A in MC x KC blocks of MR-high row panels, and an
 * MR x NR tile of C lives in registers while the kernel walks K. MR x NR =
 * 6 x 16 floats needs 12 AVX2 (or 6 AVX-512, 24 NEON) accumulators. A
 * constant operand arrives already in its panels (ds-pack-weights), and a
 * product may start from a bias and a residual instead of from C.
 *
 *===----------------------------------------------------------------------===*/

#include <stddef.h>
#include <stdint.h>

#include "gemm_tiles.h"
#include "silu.h"

/* MC = 132 (22 row panels), not 120: a 128-row product is then one block,
 * so a 1x1 reduction to 128 channels reads B in place (b_in_place; harness
 * on Emerald Rapids, one and two threads: 128 x 784 x 512 and 128 x 3136 x
 * 256 7-13% faster, other shapes within 2-5% either way). */
enum { MR = DS_GEMM_MR, NR = DS_GEMM_NR, KC = 256, MC = 132, NC = 1024, KMAX = 1024,
       SHORT_K = 64, MAX_THREADS = 64 };
_Static_assert(MC % MR == 0 && NC % NR == 0, "blocks hold whole panels");

/* From the runtime (and libc): the thread pool, and packing buffers. */
extern int ds_thread_count(void);
extern void ds_parallel_for(int64_t count,
                            void (*task)(void *ctx, int64_t index, int64_t thread),
                            void *ctx);
extern void *aligned_alloc(size_t alignment, size_t size);
extern void free(void *p);

typedef float vf __attribute__((vector_size(NR * sizeof(float))));
/* The same vector for loads and stores at any float alignment. */
typedef float vf_unaligned __attribute__((vector_size(NR * sizeof(float)), aligned(4)));

/* Each thread packs into its own buffers, allocated on first use. */
typedef struct buffers_t {
  float a[MC * KC] __attribute__((aligned(64)));
  float b[KC * NC] __attribute__((aligned(64)));
} buffers_t;
static buffers_t *buffers[MAX_THREADS];

static buffers_t *buffers_of(int64_t thread) {
  if (!buffers[thread])
    buffers[thread] = aligned_alloc(64, sizeof(buffers_t));
  return buffers[thread];
}

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* A matrix operand: element (i, j) at p[i * rs + j * cs]. */
typedef struct matrix_t {
  float *p;
  int64_t rs, cs;
} matrix_t;

/* An operand packed ahead of time (ds-pack-weights): A as MR-row panels
 * or B as NR-column panels over all of K, [panel][p][r], so a KC block of
 * a panel starts at panel * k * R + pc * R. Null: pack at run time. */
typedef const float *packed_t;

static matrix_t transposed(matrix_t m) { return (matrix_t){m.p, m.cs, m.rs}; }
static matrix_t offset(matrix_t m, int64_t i, int64_t j) {
  return (matrix_t){m.p + i * m.rs + j * m.cs, m.rs, m.cs};
}

static void pack_a_panel_by_rows(float *out, int64_t kc, matrix_t a);

/* A[0:mc, 0:kc] as MR-row panels, [panel][p][i], zero-padded. */
static void pack_a(float *out, int64_t mc, int64_t kc, matrix_t a) {
  if (a.rs == 1) {
    /* Contiguous columns (a product computed transposed: column p is the
     * pixels of channel p), each read once, front to back, into row p of
     * every panel. */
    int64_t whole = mc / MR * MR;
    for (int64_t p = 0; p < kc; ++p) {
      const float *col = a.p + p * a.cs;
      for (int64_t i0 = 0; i0 < whole; i0 += MR)
        __builtin_memcpy(out + i0 * kc + p * MR, col + i0, MR * sizeof(float));
      float *last = out + whole * kc + p * MR;
      for (int64_t i = whole; i < mc; ++i)
        last[i - whole] = col[i];
      for (int64_t i = mc; i < (mc + MR - 1) / MR * MR; ++i)
        last[i - whole] = 0.0f;
    }
    return;
  }
  for (int64_t i0 = 0; i0 < mc; i0 += MR) {
    int64_t rows = min64(MR, mc - i0);
    if (rows == MR && a.cs == 1) {
      pack_a_panel_by_rows(out, kc, offset(a, i0, 0));
      out += kc * MR;
      continue;
    }
    for (int64_t p = 0; p < kc; ++p) {
      for (int64_t i = 0; i < rows; ++i)
        out[i] = a.p[(i0 + i) * a.rs + p * a.cs];
      for (int64_t i = rows; i < MR; ++i)
        out[i] = 0.0f;
      out += MR;
    }
  }
}

/* B[0:kc, 0:nc] as NR-column panels, [panel][p][j], zero-padded. Rows of
 * B are read whole, one after the other: panel by panel, each of a
 * panel's kc loads would start a new stream the prefetchers cannot follow
 * (rows of an image or of im2col columns lie pages apart). */
static void pack_b(float *out, int64_t kc, int64_t nc, matrix_t b) {
  int64_t full = b.cs == 1 ? nc / NR * NR : 0;
  for (int64_t p = 0; p < kc; ++p) {
    const float *row = b.p + p * b.rs;
    for (int64_t j0 = 0; j0 < full; j0 += NR)
      *(vf *)(out + j0 * kc + p * NR) = *(const vf_unaligned *)(row + j0);
  }
  out += full * kc;
  for (int64_t j0 = full; j0 < nc; j0 += NR) {
    int64_t cols = min64(NR, nc - j0);
    for (int64_t p = 0; p < kc; ++p) {
      const float *row = b.p + p * b.rs + j0 * b.cs;
      for (int64_t j = 0; j < cols; ++j)
        out[j] = row[j * b.cs];
      for (int64_t j = cols; j < NR; ++j)
        out[j] = 0.0f;
      out += NR;
    }
  }
}

/* A convolution's im2col columns read in place (implicit GEMM): element
 * (p, n) of B, p = (c kh + i) kw + j and n = y ow + x, is the image's
 * channel c at row y sh + i dh - pt, column x sw + j dw - pl, or zero
 * outside its ih x iw pixels (the padding, never written out). The columns
 * are never written out either: B's panels are packed from the image
 * itself. */
typedef struct conv_t {
  const float *image;
  int64_t cs, rs, ih, iw, pt, pl, kh, kw, ow, sh, sw, dh, dw;
} conv_t;

static inline float conv_at(const conv_t *cv, int64_t p, int64_t n) {
  int64_t c = p / (cv->kh * cv->kw), i = p / cv->kw % cv->kh, j = p % cv->kw;
  int64_t y = n / cv->ow * cv->sh + i * cv->dh - cv->pt;
  int64_t x = n % cv->ow * cv->sw + j * cv->dw - cv->pl;
  return y >= 0 && y < cv->ih && x >= 0 && x < cv->iw
             ? cv->image[c * cv->cs + y * cv->rs + x]
             : 0.0f;
}

typedef float ve __attribute__((ext_vector_type(NR)));
typedef float ve2 __attribute__((ext_vector_type(2 * NR)));
typedef _Bool mask2_t __attribute__((ext_vector_type(2 * NR)));
typedef int iota2_t __attribute__((ext_vector_type(2 * NR)));
_Static_assert(NR == 16, "pack_conv's shuffles spell out NR = 16");

/* B[p0:p0+kc, n0:n0+nc] of an im2col view as NR-column panels, like
 * pack_b. The NR columns of a panel row run along output rows of the
 * image: the panel's columns fall in runs, one unless the panel wraps to
 * the next output row, each a masked load at the same place in every tap's
 * plane (a stride-2 run de-interleaved from two vectors' worth), the runs
 * added together (masked-off lanes are zero). Panel by panel, so that the
 * stores run along the buffer (tap by tap, every store went kc x 64 B past
 * the last, and the packing was a third of MobileNetV2's stem). A panel
 * whose windows all lie inside the image loads its runs whole; one that
 * reaches into the padding also masks off, tap by tap, the lanes left or
 * right of the image and skips the rows above or below it (without a
 * zero-padded copy of the image, filled and copied on every run, a
 * stride-2 3x3 layer of 128 channels at 56 x 56 took 1.71 ms, not 1.81).
 * The column stride is 1 or 2 (the compiler copies the columns out for
 * others). */
static void pack_conv(float *out, int64_t kc, int64_t nc, const conv_t *cv,
                      int64_t p0, int64_t n0) {
  static const iota2_t iota = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                               11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                               22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
  int64_t s = cv->sw, ow = cv->ow, row = cv->sh * cv->rs;
  /* Each tap's offset from its window's corner (output pixel (y, x) reads
   * at row y sh, column x sw, and the tap dy rows and dx columns from
   * there; kc <= KMAX: k_block), and how far any tap reaches. */
  int64_t tap[KMAX];
  int32_t dy[KMAX], dx[KMAX];
  int64_t dy_lo = 0, dy_hi = 0, dx_lo = 0, dx_hi = 0;
  for (int64_t p = 0; p < kc; ++p) {
    int64_t q = p0 + p, c = q / (cv->kh * cv->kw), i = q / cv->kw % cv->kh,
            j = q % cv->kw;
    dy[p] = (int32_t)(i * cv->dh - cv->pt);
    dx[p] = (int32_t)(j * cv->dw - cv->pl);
    tap[p] = c * cv->cs + dy[p] * cv->rs + dx[p];
    dy_lo = p == 0 || dy[p] < dy_lo ? dy[p] : dy_lo;
    dy_hi = p == 0 || dy[p] > dy_hi ? dy[p] : dy_hi;
    dx_lo = p == 0 || dx[p] < dx_lo ? dx[p] : dx_lo;
    dx_hi = p == 0 || dx[p] > dx_hi ? dx[p] : dx_hi;
  }
  mask2_t whole = __builtin_convertvector(iota < (int)((NR - 1) * s + 1), mask2_t);
  int64_t y = n0 / ow, x = n0 % ow;
  for (int64_t j0 = 0; j0 < nc; j0 += NR) {
    float *dst = out + j0 * kc;
    int64_t cols = min64(NR, nc - j0);
    /* The panel's runs: lanes t .. t + run of output row y from x, lane
     * l of the load at `base` being the image's column `left` + l before
     * the tap's shift. */
    const float *base[NR];
    mask2_t lanes[NR];
    int64_t top[NR], left[NR];
    int runs = 0, inside = 1;
    for (int64_t t = 0; t < cols; ++runs) {
      int64_t run = min64(cols - t, ow - x);
      top[runs] = y * cv->sh;
      left[runs] = (x - t) * s;
      base[runs] = cv->image + y * row + left[runs];
      lanes[runs] = __builtin_convertvector(
          iota >= (int)(t * s) & iota < (int)((t + run - 1) * s + 1), mask2_t);
      inside &= top[runs] + dy_lo >= 0 && top[runs] + dy_hi < cv->ih &&
                x * s + dx_lo >= 0 && (x + run - 1) * s + dx_hi < cv->iw;
      t += run;
      x += run;
      if (x == ow) {
        x = 0;
        ++y;
      }
    }
    if (inside && runs == 1 && cols == NR) {
      for (int64_t p = 0; p < kc; ++p) {
        ve2 w = __builtin_masked_load(whole, base[0] + tap[p], (ve2){0});
        ve v = s == 1 ? w.lo : w.even;
        __builtin_memcpy(dst + p * NR, &v, sizeof v);
      }
      continue;
    }
    for (int64_t p = 0; p < kc; ++p) {
      ve2 w = {0};
      for (int r = 0; r < runs; ++r) {
        mask2_t m = lanes[r];
        if (!inside) {
          /* Lane l reads column left + l + dx: inside the image for
           * -left - dx <= l < iw - left - dx, on a row inside it. */
          int64_t row_at = top[r] + dy[p], from = -left[r] - dx[p];
          int64_t to = cv->iw - left[r] - dx[p];
          if (row_at < 0 || row_at >= cv->ih || to <= 0 || from >= 2 * NR)
            continue;
          m &= __builtin_convertvector(iota >= (int)from & iota < (int)to, mask2_t);
        }
        w += __builtin_masked_load(m, base[r] + tap[p], (ve2){0});
      }
      ve v = s == 1 ? w.lo : w.even;
      __builtin_memcpy(dst + p * NR, &v, sizeof v);
    }
  }
}

/* The activation applied as the last K block is stored (a fused SiLU if
 * `silu`, then a clamp to [lo, hi]: ReLU, Clip); `on` is false for a plain
 * product. */
typedef struct clamp_t {
  int on, silu;
  float lo, hi;
} clamp_t;

typedef int vi __attribute__((ext_vector_type(NR)));
DS_DEFINE_SILU(silu_v, ve, vi)

/* The activation on NR lanes: NaN-propagating (a NaN compares false and
 * stays), as the unfused ReLU/Clip; one max and one min instruction. */
static inline ve activate(ve e, clamp_t c) {
  if (c.silu)
    e = silu_v(e);
  e = e < c.lo ? c.lo : e;
  return e > c.hi ? c.hi : e;
}

/* The same for one element (one lane, so it agrees with the vector paths). */
static inline float clampf(float x, clamp_t c) { return activate(x + (ve){0}, c)[0]; }

/* Where the product starts: C itself (accumulate), or, when `on`, the sum
 * of a bias and a residual matrix, either absent (null) and either
 * broadcast through zero strides. The compiler folds the loop that
 * initialized C this way into the product, which then writes C without
 * reading it first. The residual may be C itself (ds-use-kernels writes a
 * product into a residual that dies with it): every path reads a start
 * element once, before it writes that element, and never after. */
typedef struct start_t {
  int on;
  matrix_t bias, res;
} start_t;

/* A start as the entry points receive it: flags (bit 0: not from C, bit
 * 1: a bias, bit 2: a residual) and each part as (base, offset, row
 * stride, column stride). */
static start_t start_of(int64_t flags, const float *bias, int64_t offset_bias,
                        int64_t rs_bias, int64_t cs_bias, const float *res,
                        int64_t offset_res, int64_t rs_res, int64_t cs_res) {
  return (start_t){flags != 0,
                   {flags & 2 ? (float *)bias + offset_bias : 0, rs_bias, cs_bias},
                   {flags & 4 ? (float *)res + offset_res : 0, rs_res, cs_res}};
}

static start_t start_offset(start_t s, int64_t i, int64_t j) {
  if (s.bias.p)
    s.bias = offset(s.bias, i, j);
  if (s.res.p)
    s.res = offset(s.res, i, j);
  return s;
}

static inline float start_at(const start_t *s, int64_t i, int64_t j) {
  return (s->bias.p ? s->bias.p[i * s->bias.rs + j * s->bias.cs] : 0.0f) +
         (s->res.p ? s->res.p[i * s->res.rs + j * s->res.cs] : 0.0f);
}

/* The first `cols` lanes of NR, for the masked loads and stores of a
 * ragged tile's columns. */
typedef _Bool mask_t __attribute__((ext_vector_type(NR)));
static inline mask_t first_lanes(int64_t cols) {
  typedef int iota_t __attribute__((ext_vector_type(NR)));
  static const iota_t iota = {0, 1, 2,  3,  4,  5,  6,  7,
                              8, 9, 10, 11, 12, 13, 14, 15};
  return __builtin_convertvector(iota < (int)cols, mask_t);
}

/* Row i of an NR-wide tile of m (zero if absent), its first `cols`
 * columns (the rest zero). */
static inline vf row_of(matrix_t m, int64_t i, int64_t cols) {
  if (!m.p)
    return (vf){0};
  if (m.cs == 0)
    return m.p[i * m.rs] + (vf){0};
  if (m.cs == 1 && cols == NR)
    return *(const vf_unaligned *)(m.p + i * m.rs);
  if (m.cs == 1)
    return (vf)__builtin_masked_load(first_lanes(cols), m.p + i * m.rs, (ve){0});
  vf v = {0};
  for (int j = 0; j < cols; ++j)
    v[j] = m.p[i * m.rs + j * m.cs];
  return v;
}

/* C = start (for the slow paths, which then accumulate). */
static void write_start(int64_t m, int64_t n, matrix_t c, const start_t *s) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      c.p[i * c.rs + j * c.cs] = start_at(s, i, j);
}

/* A column of a tile: its MR rows in one vector of 8 lanes. */
typedef float vc __attribute__((ext_vector_type(8)));
typedef _Bool colmask_t __attribute__((ext_vector_type(8)));
_Static_assert(MR <= 8 && NR == 16, "a tile's column fits one vc, two fill a ve");

static inline colmask_t first_rows(int64_t rows) {
  typedef int iota_t __attribute__((ext_vector_type(8)));
  static const iota_t iota = {0, 1, 2, 3, 4, 5, 6, 7};
  return __builtin_convertvector(iota < (int)rows, colmask_t);
}

/* The first `rows` floats at p (the rest zero). */
static inline vc load_col(const float *p, int64_t rows, colmask_t lanes) {
  vc v = {0};
  if (rows == MR)
    __builtin_memcpy(&v, p, MR * sizeof(float));
  else
    v = __builtin_masked_load(lanes, p, (vc){0});
  return v;
}

/* Column j of a tile of m (zero if absent), its first `rows` rows. */
static inline vc col_of(matrix_t m, int64_t j, int64_t rows, colmask_t lanes) {
  if (!m.p)
    return (vc){0};
  if (m.rs == 0)
    return m.p[j * m.cs] + (vc){0};
  if (m.rs == 1)
    return load_col(m.p + j * m.cs, rows, lanes);
  vc v = {0};
  for (int i = 0; i < rows; ++i)
    v[i] = m.p[i * m.rs + j * m.cs];
  return v;
}

/* C[0:rows, 0:cols] = (start, or C) + tile, then the activation, for C
 * with contiguous rows: row by row in vectors; ragged columns masked (a
 * whole tile, the common case, stays unmasked: NEON has no masked loads). */
static inline __attribute__((always_inline)) void
store_rows_inline(const vf *tile, matrix_t c, int64_t rows, int64_t cols,
                  clamp_t clamp, const start_t *start) {
  mask_t lanes = first_lanes(cols);
  /* Unrolled: rolled, the rows went through the stack (a K = 16 product
   * 71 -> 87 GFLOP/s unrolled, K = 64 95 -> 102). */
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; ++i) {
    if (i == rows)
      break;
    float *ci = c.p + i * c.rs;
    vf base = start ? row_of(start->bias, i, cols) + row_of(start->res, i, cols)
              : cols == NR ? *(vf_unaligned *)ci
                           : (vf)__builtin_masked_load(lanes, ci, (ve){0});
    vf v = base + tile[i];
    if (clamp.on)
      v = (vf)activate((ve)v, clamp);
    if (cols == NR)
      *(vf_unaligned *)ci = v;
    else
      __builtin_masked_store(lanes, (ve)v, ci);
  }
}

/* The same out of line, for C with contiguous rows (given by its fields,
 * as to micro_kernel). */
static __attribute__((noinline)) void store_rows(const vf *tile, float *c, int64_t c_rs,
                                                 int64_t rows, int64_t cols,
                                                 clamp_t clamp,
                                                 const start_t *start) {
  store_rows_inline(tile, (matrix_t){c, c_rs, 1}, rows, cols, clamp, start);
}

/* The tile's columns two to a vector, by shuffles (built element by
 * element, with the bias added column by column, 160 -> 960 channels at
 * 7 x 7 took 0.194 ms instead of 0.177): pairs[p]
 * holds column 2p in lanes 0-7 and column 2p + 1 in lanes 8-15, row i in
 * lane i (rows MR..7 zero). Three rounds of interleaving: rows in twos,
 * fours, then eights. */
static inline void transpose_tile(const vf acc[MR], ve pairs[NR / 2]) {
  ve r[8];
  for (int i = 0; i < 8; ++i)
    r[i] = i < MR ? (ve)acc[i] : (ve){0};
  /* u[k][h]: rows 2k, 2k + 1 of columns 8h..8h+7, lane 2c + (row & 1). */
  ve u[4][2];
  for (int k = 0; k < 4; ++k) {
    u[k][0] = __builtin_shufflevector(r[2 * k], r[2 * k + 1], 0, 16, 1, 17, 2, 18, 3,
                                      19, 4, 20, 5, 21, 6, 22, 7, 23);
    u[k][1] = __builtin_shufflevector(r[2 * k], r[2 * k + 1], 8, 24, 9, 25, 10, 26, 11,
                                      27, 12, 28, 13, 29, 14, 30, 15, 31);
  }
  /* v[m][g]: rows 4m..4m+3 of columns 4g..4g+3, lane 4c + (row & 3). */
  ve v[2][4];
  for (int m = 0; m < 2; ++m)
    for (int h = 0; h < 2; ++h) {
      v[m][2 * h] = __builtin_shufflevector(u[2 * m][h], u[2 * m + 1][h], 0, 1, 16, 17,
                                            2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
      v[m][2 * h + 1] =
          __builtin_shufflevector(u[2 * m][h], u[2 * m + 1][h], 8, 9, 24, 25, 10, 11,
                                  26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    }
  for (int g = 0; g < 4; ++g) {
    pairs[2 * g] = __builtin_shufflevector(v[0][g], v[1][g], 0, 1, 2, 3, 16, 17, 18, 19,
                                           4, 5, 6, 7, 20, 21, 22, 23);
    pairs[2 * g + 1] = __builtin_shufflevector(v[0][g], v[1][g], 8, 9, 10, 11, 24, 25,
                                               26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
  }
}

/* A pair of columns as transpose_tile leaves them (lanes 0-7 and 8-15)
 * split into its two columns, and two columns joined into a pair. */
static inline void split_pair(ve pair, vc half[2]) {
  half[0] = __builtin_shufflevector(pair, pair, 0, 1, 2, 3, 4, 5, 6, 7);
  half[1] = __builtin_shufflevector(pair, pair, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline ve join_pair(vc lo, vc hi) {
  return __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                 15);
}

/* A whole panel of A whose rows are contiguous along K (activations,
 * attention's scores): NR steps of K at a time, six row vectors transposed
 * by shuffles into NR columns of MR floats (element by element, BERT-4's
 * attention products took 11% longer in a harness). */
static void pack_a_panel_by_rows(float *out, int64_t kc, matrix_t a) {
  int64_t p = 0;
  for (; p + NR <= kc; p += NR, out += NR * MR) {
    vf rows[MR];
    for (int i = 0; i < MR; ++i)
      rows[i] = *(const vf_unaligned *)(a.p + i * a.rs + p);
    ve pairs[NR / 2];
    transpose_tile(rows, pairs);
    for (int j = 0; j < NR / 2; ++j) {
      vc half[2];
      split_pair(pairs[j], half);
      __builtin_memcpy(out + 2 * j * MR, &half[0], MR * sizeof(float));
      __builtin_memcpy(out + (2 * j + 1) * MR, &half[1], MR * sizeof(float));
    }
  }
  for (; p < kc; ++p, out += MR)
    for (int i = 0; i < MR; ++i)
      out[i] = a.p[i * a.rs + p];
}

/* The common store, for C with contiguous rows and a whole tile's
 * columns: row i is s[i * s_rs] + base[i * base_rs : NR] (a bias
 * broadcast along the row, and a residual, a bias along C's columns, or C
 * itself; absent parts read zeros) plus the tile, then `clamp`, always on
 * (infinite bounds without a ReLU or Clip). The same straight-line code for
 * every start: branching on the start's kind row by row, the stores took a
 * quarter of a K = 64 product (harness, 256 x 3136 x 64 13-26% faster). */
typedef struct plain_t {
  const float *s, *base;
  int64_t s_rs, base_rs;
  clamp_t clamp;
} plain_t;
static const float zeros[NR] __attribute__((aligned(64)));

/* The plain store for a tile of C (`whole`: all its rows and columns
 * stored), if it is one. */
static inline int plain_of(plain_t *plan, matrix_t c, int whole, clamp_t clamp,
                           const start_t *start) {
  if (c.cs != 1 || !whole || clamp.silu)
    return 0;
  *plan = (plain_t){zeros, c.p, 0, c.rs,
                    {1, 0, clamp.on ? clamp.lo : -__builtin_inff(),
                     clamp.on ? clamp.hi : __builtin_inff()}};
  if (!start)
    return 1;
  matrix_t bias = start->bias, res = start->res;
  if (bias.p && bias.cs == 0) { /* along rows */
    plan->s = bias.p;
    plan->s_rs = bias.rs;
    bias.p = 0;
  }
  if (bias.p && res.p)
    return 0;
  matrix_t base = bias.p ? bias : res;
  if (base.p && base.cs != 1)
    return 0;
  plan->base = base.p ? base.p : zeros;
  plan->base_rs = base.p ? base.rs : 0;
  return 1;
}

static inline __attribute__((always_inline)) void
store_plain(const vf acc[MR], const plain_t *plan, float *c, int64_t c_rs, int64_t rows) {
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; ++i) {
    if (i == rows)
      break;
    ve v = (plan->s[i * plan->s_rs] + *(const vf_unaligned *)(plan->base + i * plan->base_rs)) +
           acc[i];
    *(vf_unaligned *)(c + i * c_rs) = activate(v, plan->clamp);
  }
}

/* C[0:rows, 0:cols] = (start, or C) + acc, then the activation: the tile
 * a micro-kernel computed, stored. `start` is null except in the first K
 * block of a product that starts from a bias/residual. */
static inline __attribute__((always_inline)) void
store_tile(vf acc[MR], matrix_t c, int64_t rows, int64_t cols, clamp_t clamp,
           const start_t *start) {
  plain_t plan;
  if (plain_of(&plan, c, cols == NR, clamp, start)) {
    store_plain(acc, &plan, c.p, c.rs, rows);
    return;
  }
  if (c.cs == 1 && clamp.silu) {
    /* Out of line: the SiLU's code in this function slowed the common
     * epilogue (a K = 16 product by 10%). */
    vf tile[MR];
    __builtin_memcpy(tile, acc, sizeof tile);
    store_rows(tile, c.p, c.rs, rows, cols, clamp, start);
    return;
  }
  if (c.cs == 1) {
    store_rows_inline(acc, c, rows, cols, clamp, start);
    return;
  }
  if (c.rs == 1) {
    /* C's columns contiguous (a product computed transposed, C^T = B^T
     * A^T): column by column, each the tile's rows in one short vector
     * (whole columns stored unmasked: 24 bytes, as NEON has no masked
     * stores). */
    start_t t = start ? (start_t){1, transposed(start->bias), transposed(start->res)}
                      : (start_t){0};
    if (plain_of(&plan, transposed(c), rows == MR && cols == NR, clamp, start ? &t : 0)) {
      /* The plain store on C^T, whose rows are the tile's columns: two
       * at a time, as transpose_tile pairs them. */
      ve pairs[NR / 2];
      transpose_tile(acc, pairs);
#pragma clang loop unroll(full)
      for (int j = 0; j < NR; j += 2) {
        vc s[2];
        for (int h = 0; h < 2; ++h)
          s[h] = plan.s[(j + h) * plan.s_rs] +
                 load_col(plan.base + (j + h) * plan.base_rs, MR, first_rows(MR));
        vc v[2];
        split_pair(activate(join_pair(s[0], s[1]) + pairs[j / 2], plan.clamp), v);
        for (int h = 0; h < 2; ++h)
          __builtin_memcpy(c.p + (j + h) * c.cs, &v[h], MR * sizeof(float));
      }
      return;
    }
    colmask_t lanes = first_rows(rows);
    /* A bias broadcast along C^T's rows (a channel's bias) is one vector
     * for all rows of the tile: added before transposing. */
    int row_bias = start && start->bias.p && start->bias.rs == 0;
    vf bias = row_bias ? row_of(start->bias, 0, cols) : (vf){0};
    vf sum[MR];
    for (int i = 0; i < MR; ++i)
      sum[i] = acc[i] + bias;
    ve pairs[NR / 2];
    transpose_tile(sum, pairs);
#pragma clang loop unroll(full)
    for (int j = 0; j < NR; j += 2) {
      vc v[2];
      split_pair(pairs[j / 2], v);
      for (int h = 0; h < 2; ++h)
        if (j + h < cols)
          v[h] += start ? (row_bias ? (vc){0} : col_of(start->bias, j + h, rows, lanes)) +
                              col_of(start->res, j + h, rows, lanes)
                        : load_col(c.p + (j + h) * c.cs, rows, lanes);
      if (clamp.on) /* Two columns to a vector of NR: a SiLU costs per vector. */
        split_pair(activate(join_pair(v[0], v[1]), clamp), v);
      for (int h = 0; h < 2; ++h) {
        if (j + h >= cols)
          break;
        if (rows == MR)
          __builtin_memcpy(c.p + (j + h) * c.cs, &v[h], MR * sizeof(float));
        else
          __builtin_masked_store(lanes, v[h], c.p + (j + h) * c.cs);
      }
    }
    return;
  }
  /* The general path indexes the tile by element: from a copy in memory,
   * so that acc itself is never addressed and stays in registers. */
  float t[MR][NR];
  for (int i = 0; i < MR; ++i)
    __builtin_memcpy(t[i], &acc[i], sizeof(vf));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      float v = (start ? start_at(start, i, j) : c.p[i * c.rs + j * c.cs]) +
                t[i][j];
      c.p[i * c.rs + j * c.cs] = clamp.on ? clampf(v, clamp) : v;
    }
}

/* C[0:rows, 0:cols] = (start, or C) + packed A panel * B panel (its rows
 * b_rs apart: NR when packed), then the activation, multiplying only the
 * panel's first r rows (rows <= r; the panel is zero below its last). C
 * comes as its three fields: as a struct (24 bytes) it was passed in
 * memory, written as 8-byte fields and copied as 16 bytes, a load no store
 * could forward to, which stalled every tile. */
static inline __attribute__((always_inline)) void
micro_rows(int r, int64_t kc, const float *restrict a, int64_t a_ps,
           const float *restrict b, int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs, int64_t rows,
           int64_t cols, clamp_t clamp, const start_t *start) {
  vf acc[MR] = {{0}};
  for (int64_t p = 0; p < kc; ++p) {
    vf bv = *(const vf_unaligned *)(b + p * b_rs); /* packed weights: 4-byte aligned */
    for (int i = 0; i < r; ++i)
      acc[i] += a[p * a_ps + i] * bv;
  }
  store_tile(acc, (matrix_t){c, c_rs, c_cs}, rows, cols, clamp, start);
}

/* The whole MR-row tile, out of line (inlined into the block loops, their
 * state was spilled around every tile). */
static __attribute__((noinline)) void
micro_kernel(int64_t kc, const float *restrict a, int64_t a_ps, const float *restrict b,
             int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs, int64_t rows,
             int64_t cols, clamp_t clamp, const start_t *start) {
  micro_rows(MR, kc, a, a_ps, b, b_rs, c, c_rs, c_cs, rows, cols, clamp, start);
}

/* Nonzero where a core has two 512-bit FMA units (AVX-512, but for Zen 4,
 * which runs one a cycle): the six FMA chains of one MR x NR tile then
 * cannot hide their latency. deepseek-package answers it for the
 * package's CPU when it links the kernels (targets/Common/Target.cpp). */
extern const int ds_kernel_wide_tiles;

/* The part of a larger tile from C's row i and column j on, stored like
 * store_tile. */
static inline __attribute__((always_inline)) void
store_part(vf acc[MR], float *c, int64_t c_rs, int64_t c_cs, int64_t i, int64_t j,
           int64_t rows, int64_t cols, clamp_t clamp, const start_t *start) {
  start_t part = start ? start_offset(*start, i, j) : (start_t){0};
  store_tile(acc, (matrix_t){c + i * c_rs + j * c_cs, c_rs, c_cs}, rows, cols, clamp,
             start ? &part : 0);
}

/* Two column panels at once, an MR x 2NR tile in twelve chains sharing
 * each broadcast of A: its two halves' tiles, each summed in the same
 * order as by micro_kernel; only the panel's first r rows multiplied, as
 * in micro_rows. The second panel's columns are `cols`, the first's all
 * NR. In a harness on Emerald Rapids: 6 x 16 106-122 GFLOP/s, 6 x 32
 * 137-162. */
static inline __attribute__((always_inline)) void
wide_rows(int r, int64_t kc, const float *restrict a, int64_t a_ps, const float *restrict b,
          const float *restrict b2, int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs,
          int64_t rows, int64_t cols, clamp_t clamp, const start_t *start) {
  vf acc[MR] = {{0}}, acc2[MR] = {{0}};
  for (int64_t p = 0; p < kc; ++p) {
    vf bv = *(const vf_unaligned *)(b + p * b_rs);
    vf bv2 = *(const vf_unaligned *)(b2 + p * b_rs);
    /* Both panels' lines 16 steps ahead into L1: two panels over K do not
     * fit in it (weights come from memory or L2, an image's rows in place
     * from L2), and the hardware's prefetchers lag two streams (harness,
     * alternating calls: 160 x 49 x 960 and 1280 x 49 x 320 5-8% faster
     * warm and cold, 512 x 784 x 1024 5%; 8 and 24 steps measured alike,
     * into L2 no gain). */
    __builtin_prefetch(b + (p + 16) * b_rs, 0, 3);
    __builtin_prefetch(b2 + (p + 16) * b_rs, 0, 3);
    for (int i = 0; i < r; ++i) {
      acc[i] += a[p * a_ps + i] * bv;
      acc2[i] += a[p * a_ps + i] * bv2;
    }
  }
  store_tile(acc, (matrix_t){c, c_rs, c_cs}, rows, NR, clamp, start);
  store_part(acc2, c, c_rs, c_cs, 0, NR, rows, cols, clamp, start);
}

static __attribute__((noinline)) void
micro_wide(int64_t kc, const float *restrict a, int64_t a_ps, const float *restrict b,
           const float *restrict b2, int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs,
           int64_t rows, int64_t cols, clamp_t clamp, const start_t *start) {
  wide_rows(MR, kc, a, a_ps, b, b2, b_rs, c, c_rs, c_cs, rows, cols, clamp, start);
}

/* Two whole row panels (the second a_step floats after the first) by two
 * column panels: a 2MR x 2NR tile in 24 chains, each load of B feeding
 * twelve FMAs, not six. B comes from L2 (a packed block, or an image read
 * in place), and a sibling hyperthread shares its bandwidth; halving it
 * made 64 x 3136 x 256, 256 x 3136 x 64, 512 x 196 x 2048, 2048 x 49 x 512
 * and a stride-2 3 x 3 convolution 5-12% faster in a harness on a contended
 * Emerald Rapids core (medians, two builds alternating; products with K <=
 * 32 the same). Each quarter sums in micro_wide's order. */
static __attribute__((noinline)) void
micro_pair(int64_t kc, const float *restrict a, int64_t a_step, int64_t a_ps,
           const float *restrict b,
           const float *restrict b2, int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs,
           int64_t cols, clamp_t clamp, const start_t *start) {
  const float *restrict a2 = a + a_step;
  /* Four named tiles, not an array of them: indexed in a loop, the
   * accumulators lived on the stack around the loop. */
  vf acc[MR] = {{0}}, acc2[MR] = {{0}}, acc3[MR] = {{0}}, acc4[MR] = {{0}};
  for (int64_t p = 0; p < kc; ++p) {
    vf bv = *(const vf_unaligned *)(b + p * b_rs);
    vf bv2 = *(const vf_unaligned *)(b2 + p * b_rs);
    __builtin_prefetch(b + (p + 16) * b_rs, 0, 3); /* as in wide_rows */
    __builtin_prefetch(b2 + (p + 16) * b_rs, 0, 3);
    for (int i = 0; i < MR; ++i) {
      acc[i] += a[p * a_ps + i] * bv;
      acc2[i] += a[p * a_ps + i] * bv2;
      acc3[i] += a2[p * a_ps + i] * bv;
      acc4[i] += a2[p * a_ps + i] * bv2;
    }
  }
  store_tile(acc, (matrix_t){c, c_rs, c_cs}, MR, NR, clamp, start);
  store_part(acc2, c, c_rs, c_cs, 0, NR, MR, cols, clamp, start);
  store_part(acc3, c, c_rs, c_cs, MR, 0, MR, NR, clamp, start);
  store_part(acc4, c, c_rs, c_cs, MR, NR, MR, cols, clamp, start);
}

/* The same for a ragged panel of two to four rows: eight chains where
 * micro_kernel4 has four. A 16-row product's last panel is a quarter of
 * it (Winograd's 512 x 16 x 512 on a 7 x 7 image: 6-14% faster in a
 * harness; 64 x 3136 x 256 and the stems measured the same). */
static __attribute__((noinline)) void
micro_wide4(int64_t kc, const float *restrict a, int64_t a_ps, const float *restrict b,
            const float *restrict b2, int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs,
            int64_t rows, int64_t cols, clamp_t clamp, const start_t *start) {
  wide_rows(4, kc, a, a_ps, b, b2, b_rs, c, c_rs, c_cs, rows, cols, clamp, start);
}

/* The same for a ragged panel of at most four rows (products of 16, 32 or
 * 64 rows): four chains of FMAs still hide their latency, and the panel's
 * zero rows beyond the fourth are not multiplied. */
static __attribute__((noinline)) void
micro_kernel4(int64_t kc, const float *restrict a, int64_t a_ps, const float *restrict b,
              int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs, int64_t rows,
              int64_t cols, clamp_t clamp, const start_t *start) {
  micro_rows(4, kc, a, a_ps, b, b_rs, c, c_rs, c_cs, rows, cols, clamp, start);
}

/* The same for a ragged column panel of more than NARROW and at most
 * NR / 2 columns (24 channels computed transposed: a panel and 8 columns):
 * vectors of NR / 2 lanes, half the FMAs of a whole tile (an AVX2 or NEON
 * tile is two or four registers a row, and Zen 4 runs a 512-bit FMA as two
 * of 256). Each lane sums in the same order as in a whole tile. */
typedef float vh __attribute__((vector_size(NR / 2 * sizeof(float))));
typedef float vh_unaligned __attribute__((vector_size(NR / 2 * sizeof(float)), aligned(4)));
_Static_assert(NR == 16, "micro_half widens its tile with 16-lane shuffles");
static __attribute__((noinline)) void
micro_half(int64_t kc, const float *restrict a, const float *restrict b,
           int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs, int64_t rows,
           int64_t cols, clamp_t clamp, const start_t *start) {
  vh half[MR] = {{0}};
  for (int64_t p = 0; p < kc; ++p) {
    vh bv = *(const vh_unaligned *)(b + p * b_rs);
    for (int i = 0; i < MR; ++i)
      half[i] += a[p * MR + i] * bv;
  }
  vf acc[MR];
  for (int i = 0; i < MR; ++i)
    acc[i] = __builtin_shufflevector(half[i], (vh){0}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
                                     10, 11, 12, 13, 14, 15);
  store_tile(acc, (matrix_t){c, c_rs, c_cs}, rows, cols, clamp, start);
}

/* A ragged column panel of at most NARROW columns (a 196-pixel image: 12
 * panels and 4 columns), up to four row panels at once with rows in lanes:
 * a column of a row panel is one vector of 8 (6 rows, 2 lanes unused), so
 * no FMA works on the panel's zero columns. micro_half's NR / 2 lanes did
 * one useless column for each useful one, in six chains, and took a tenth
 * of 96 x 196 x 576 for 2% of its work (harness on Emerald Rapids, one and
 * two threads: 96 x 196 x 576, 64 x 196 x 384, 1024 x 196 x 256 and 256 x
 * 196 x 1024 3-8% faster). Each element sums in micro_kernel's order. `b`
 * is a packed panel (zero-padded to NR). */
enum { NARROW = 4, NARROW_PANELS = 4 };
_Static_assert(NARROW <= MR, "a narrow tile's columns transpose as rows of one tile");
typedef float vc_unaligned __attribute__((ext_vector_type(8), aligned(4)));

/* A narrow tile of one row panel given as its columns (row i in lane i),
 * C's row i on, stored like store_tile: transposed to rows first, the
 * columns as the first rows of a tile (out of line: inlined into each of
 * micro_narrow's loops, the stores' paths made it 36 KB). */
static __attribute__((noinline)) void
store_columns(const vc cols_of_tile[NARROW], float *c, int64_t c_rs, int64_t c_cs,
              int64_t i, int64_t rows, int64_t cols, clamp_t clamp, const start_t *start) {
  vf t[MR] = {{0}};
  for (int j = 0; j < NARROW; ++j)
    t[j] = __builtin_shufflevector(cols_of_tile[j], (vc){0}, 0, 1, 2, 3, 4, 5, 6, 7, 8,
                                   9, 10, 11, 12, 13, 14, 15);
  ve pairs[NR / 2];
  transpose_tile(t, pairs);
  for (int h = 0; h < MR / 2; ++h) {
    t[2 * h] = __builtin_shufflevector(pairs[h], (ve){0}, 0, 1, 2, 3, 4, 5, 6, 7, 16, 16,
                                       16, 16, 16, 16, 16, 16);
    t[2 * h + 1] = __builtin_shufflevector(pairs[h], (ve){0}, 8, 9, 10, 11, 12, 13, 14,
                                           15, 16, 16, 16, 16, 16, 16, 16, 16);
  }
  store_part(t, c, c_rs, c_cs, i, 0, rows, cols, clamp, start);
}

/* micro_narrow on `panels` row panels, a_step floats apart. */
static inline __attribute__((always_inline)) void
narrow_rows(int panels, int64_t kc, const float *restrict a, int64_t a_step,
            const float *restrict b, float *c, int64_t c_rs, int64_t c_cs, int64_t rows,
            int64_t cols, clamp_t clamp, const start_t *start) {
  vc acc[NARROW_PANELS][NARROW] = {{{0}}};
  for (int64_t p = 0; p < kc; ++p) {
    /* A panel's MR floats at p, read as 8: the last p's are copied, as
     * reading 8 would run past the panel. */
    vc av[NARROW_PANELS];
    for (int q = 0; q < panels; ++q)
      av[q] = p + 1 < kc ? *(const vc_unaligned *)(a + q * a_step + p * MR)
                         : load_col(a + q * a_step + p * MR, MR, first_rows(MR));
    for (int j = 0; j < NARROW; ++j)
      for (int q = 0; q < panels; ++q)
        acc[q][j] += av[q] * b[p * NR + j];
  }
  for (int q = 0; q < panels && q * MR < rows; ++q)
    store_columns(acc[q], c, c_rs, c_cs, q * MR, min64(MR, rows - q * MR), cols, clamp,
                  start);
}

/* Up to NARROW_PANELS row panels (four with wide tiles: 16 chains; two
 * otherwise, as AVX2 and NEON would spill 16 accumulators). */
static __attribute__((noinline)) void
micro_narrow(int64_t panels, int64_t kc, const float *restrict a, int64_t a_step,
             const float *restrict b, float *c, int64_t c_rs, int64_t c_cs, int64_t rows,
             int64_t cols, clamp_t clamp, const start_t *start) {
  if (panels >= 4)
    narrow_rows(4, kc, a, a_step, b, c, c_rs, c_cs, rows, cols, clamp, start);
  else if (panels == 3)
    narrow_rows(3, kc, a, a_step, b, c, c_rs, c_cs, rows, cols, clamp, start);
  else if (panels == 2)
    narrow_rows(2, kc, a, a_step, b, c, c_rs, c_cs, rows, cols, clamp, start);
  else
    narrow_rows(1, kc, a, a_step, b, c, c_rs, c_cs, rows, cols, clamp, start);
}

/* The same for a panel of one row (the last of a 49-pixel product
 * computed transposed): MR rows would cost MR times its FMAs. Four partial
 * sums over K hide the FMA latency. */
static __attribute__((noinline)) void
micro_row(int64_t kc, const float *restrict a, const float *restrict b,
          int64_t b_rs, float *c, int64_t c_rs, int64_t c_cs, int64_t cols,
          clamp_t clamp, const start_t *start) {
  vf sum[4] = {{0}};
  int64_t p = 0;
  for (; p + 4 <= kc; p += 4)
    for (int q = 0; q < 4; ++q)
      sum[q] += a[(p + q) * MR] * *(const vf_unaligned *)(b + (p + q) * b_rs);
  for (; p < kc; ++p)
    sum[0] += a[p * MR] * *(const vf_unaligned *)(b + p * b_rs);
  vf acc[MR] = {(sum[0] + sum[1]) + (sum[2] + sum[3])};
  store_tile(acc, (matrix_t){c, c_rs, c_cs}, 1, cols, clamp, start);
}

/* `cols` (at most DOTS) dot products of the contiguous a[0:k] with the
 * contiguous columns b[j * cs + 0:k], added to c[j * c_cs]; each in vectors
 * (a float sum does not vectorize by itself), its lanes then summed in
 * order, so every column's bits are the same however many go at once. A
 * classifier's weights (1000 x 1280 in MobileNetV2 and EfficientNet-B0,
 * 1000 x 2048 in ResNet-50) are read once per run from far memory: DOTS
 * columns are as many streams at once, each prefetched PREFETCH floats
 * ahead (harness on Emerald Rapids, 1000 x 1280 with the weights out of
 * the caches: 0.82-0.88x the time of one column at a time, at one and two
 * threads; from L2 1.03x). */
enum { DOTS = 8, PREFETCH = 128 };
static inline __attribute__((always_inline)) void
dot_columns(int cols, int64_t k, const float *restrict a, const float *restrict b, int64_t cs,
            float *restrict c, int64_t c_cs) {
  vf acc[DOTS] = {{0}};
  int64_t p = 0;
  for (; p + NR <= k; p += NR) {
    vf x = *(const vf_unaligned *)(a + p);
    for (int j = 0; j < cols; ++j) {
      __builtin_prefetch(b + j * cs + p + PREFETCH, 0, 3);
      acc[j] += x * *(const vf_unaligned *)(b + j * cs + p);
    }
  }
  for (int j = 0; j < cols; ++j) {
    float sum = 0.0f;
    for (int l = 0; l < NR; ++l)
      sum += acc[j][l];
    for (int64_t q = p; q < k; ++q)
      sum += a[q] * b[j * cs + q];
    c[j * c_cs] += sum;
  }
}

/* Few rows (a matrix-vector product): packing would cost as much as the
 * product, so walk B once, along its contiguous dimension. */
static void small_m(int64_t m, int64_t n, int64_t k, matrix_t a, matrix_t b,
                    matrix_t c, clamp_t clamp) {
  for (int64_t i = 0; i < m; ++i) {
    float *restrict ci = c.p + i * c.rs;
    const float *ai = a.p + i * a.rs;
    if (b.cs == 1 && c.cs == 1) {
      for (int64_t p = 0; p < k; ++p) {
        float x = ai[p * a.cs];
        const float *restrict bp = b.p + p * b.rs;
        for (int64_t j = 0; j < n; ++j)
          ci[j] += x * bp[j];
      }
    } else if (a.cs == 1 && b.rs == 1) {
      /* Dot products along contiguous rows of A and columns of B. */
      int64_t j = 0;
      for (; j + DOTS <= n; j += DOTS)
        dot_columns(DOTS, k, ai, b.p + j * b.cs, b.cs, ci + j * c.cs, c.cs);
      for (; j < n; ++j)
        dot_columns(1, k, ai, b.p + j * b.cs, b.cs, ci + j * c.cs, c.cs);
    } else {
      for (int64_t j = 0; j < n; ++j) {
        float sum = 0.0f;
        for (int64_t p = 0; p < k; ++p)
          sum += ai[p * a.cs] * b.p[j * b.cs + p * b.rs];
        ci[j * c.cs] += sum;
      }
    }
    if (clamp.on)
      for (int64_t j = 0; j < n; ++j)
        ci[j * c.cs] = clampf(ci[j * c.cs], clamp);
  }
}

/* The slow path when packing buffers cannot be had and an operand is
 * packed, over K's [p0, p1): element (x, p) of an R-panel operand is at
 * x / R * k * R + p * R + x % R. */
static void naive(int64_t m, int64_t n, int64_t k, int64_t p0, int64_t p1, matrix_t a,
                  matrix_t b, matrix_t c, packed_t pa, packed_t pb, clamp_t clamp,
                  const conv_t *conv, int64_t n0) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float sum = c.p[i * c.rs + j * c.cs];
      for (int64_t p = p0; p < p1; ++p)
        sum += (pa ? pa[i / MR * k * MR + p * MR + i % MR] : a.p[i * a.rs + p * a.cs]) *
               (pb     ? pb[j / NR * k * NR + p * NR + j % NR]
                : conv ? conv_at(conv, p, n0 + j)
                       : b.p[p * b.rs + j * b.cs]);
      c.p[i * c.rs + j * c.cs] = clamp.on ? clampf(sum, clamp) : sum;
    }
}

/* Whether gemm_blocked reads B's whole column panels in place (see there). */
static int b_in_place(int64_t m, int64_t k, matrix_t b, packed_t pb, const conv_t *conv) {
  return !pb && !conv && b.cs == 1 && m <= k && m <= MC && k > SHORT_K;
}

/* Whether a product is one to split over K (split_k): K longer than C
 * is high or wide, so that C is the smallest of the three matrices (a
 * projection to fewer channels). */
static int splits_k(int64_t m, int64_t n, int64_t k, const conv_t *conv) {
  return !conv && k > m && k > n && k >= 2 * SHORT_K;
}

/* The longest K block the packing buffers hold for an m x n product's
 * blocks of A and B (those packed at run time), up to KMAX: a narrow
 * product's packed weights are then read in long runs (a KC block of a
 * panel is a short stream of its own, and there are K / KC of them per
 * panel). B read in place by wide tiles takes KC: two panels' K block is
 * then at most 32 KB and stays in L1 while the row panels pass it (a
 * 14 x 14 image's projections, 96 x 196 x 576 and 64 x 196 x 384, 10-15%
 * faster in a harness on Emerald Rapids). A product split over K runs in
 * two halves wherever they fit the buffers, on any thread count, ahead of
 * that rule (96 x 196 x 576 as 2 x 288, not 3 x 192: the same time at one
 * thread in the harness). Decided for the whole product,
 * so that every thread count sums in the same blocks (bit-identical
 * results). */
static int64_t k_block(int64_t m, int64_t n, int64_t k, matrix_t b, packed_t pa,
                       packed_t pb, const conv_t *conv) {
  int64_t kmax = KMAX;
  if (!pa)
    kmax = min64(kmax, MC * KC / ((min64(m, MC) + MR - 1) / MR * MR));
  if (!pb)
    kmax = min64(kmax, KC * NC / ((min64(n, NC) + NR - 1) / NR * NR));
  if (splits_k(m, n, k, conv) && (k + 1) / 2 <= kmax)
    return (k + 1) / 2;
  if (ds_kernel_wide_tiles && b_in_place(m, k, b, pb, conv))
    kmax = min64(kmax, KC);
  return kmax;
}

/* How many column panels from panel jp of an nc-column block (the first
 * `direct` read in place) one tile covers: with wide tiles two, where both
 * are read alike (packed, or in place) and the second is more than half
 * full (a narrower one is micro_half's); otherwise one. */
static inline int64_t span_at(int64_t jp, int64_t nc, int64_t direct) {
  return ds_kernel_wide_tiles && nc - (jp + 1) * NR > NR / 2 &&
                 (jp * NR >= direct || (jp + 1) * NR < direct)
             ? 2
             : 1;
}

/* The packed product on one thread's buffers, in K blocks of at most
 * kmax, all of them or (`only` >= 0) that one; `pa`/`pb`, when given,
 * are A/B already packed; `conv`, when given, is B as an im2col view, from
 * its column n0. */
static void gemm_blocked(int64_t m, int64_t n, int64_t k, matrix_t a,
                         matrix_t b, matrix_t c, packed_t pa, packed_t pb,
                         clamp_t clamp, start_t start, buffers_t *buf,
                         const conv_t *conv, int64_t n0, int64_t kmax, int64_t only) {
  /* K in equal blocks of at most kmax: a short last block would pay a
   * whole pass over C for little work (K = 576 runs as 3 x 192, not
   * 256 + 256 + 64). [k0, k1) is the part computed. */
  int64_t blocks = k > 0 ? (k + kmax - 1) / kmax : 1;
  int64_t kstep = (k + blocks - 1) / blocks;
  int64_t k0 = only < 0 ? 0 : min64(k, only * kstep);
  int64_t k1 = only < 0 ? k : min64(k, k0 + kstep);
  if (!buf) { /* Out of memory for packing: the slow, unpacked loops. */
    if (start.on)
      write_start(m, n, c, &start);
    if (pa || pb || conv)
      naive(m, n, k, k0, k1, a, b, c, pa, pb, clamp, conv, n0);
    else
      small_m(m, n, k1 - k0, offset(a, 0, k0), offset(b, k0, 0), c, clamp);
    return;
  }
  /* B read in place where its rows are contiguous and A has no more rows
   * than columns, and few enough for one MC block: packing, a copy of all
   * of B, then costs a large share of the product (a 1x1 convolution to
   * fewer channels: 10-20% faster in place; expanding ones measured 0-10%
   * slower), and each panel of B is loaded once either way (with more
   * blocks of A, B would be re-read from memory for each: 512 x 512 x 784
   * 25% slower), and long enough K: a tile then covers fetching its K
   * lines from K rows of B (MobileNetV2's 32 -> 16 projection, K = 32 at
   * 112 x 112, is 0.29 ms in place and 0.22 packed). Whole panels are read
   * from B; a ragged last one is packed (a full-width load would run past
   * B). */
  int in_place = b_in_place(m, k, b, pb, conv);
  /* Likewise A's whole row panels in a product computed transposed with
   * few columns on this thread, all in whole panels (a 49-pixel image
   * times at most 512 channels: MobileNetV2's 7 x 7 layers, ResNet-50's
   * projections there):
   * A is the image, a panel's row p the MR pixels of channel p, contiguous,
   * which a micro-kernel broadcasts from there as well as from a copy. The
   * copy is made once per product and read once per column panel pair, so
   * with few of those it is a large share: 10% of 160 x 49 x 960, 5% of
   * 320 x 49 x 960, 3% of 512 x 49 x 2048 (harness on Emerald Rapids, fastest
   * runs, same bits). With more, the lines that each step along K touches
   * in place (two where a packed panel has 24 bytes) cost more than the
   * copy: 1280 x 49 x 320 2% slower. The ragged last panel is packed: its
   * kernel reads whole panels' rows, which would run past A. A panel in
   * place is `a_ps` floats a step along K (MR when packed). */
  int a_direct = pb && !pa && !conv && a.rs == 1 && n % NR == 0 && n <= 32 * NR;
  /* A short K with few rows of packed weights (a projection to 16 or 24
   * channels, K = 32): B in blocks of half of L1, packed and then read
   * from L1. In an NC block (128 KB) the panels lie 64 B x K apart (2 KB
   * at K = 32), so the packing's stores of a row of B fell in two L1 sets
   * and its panels were read back from L2 (16 x 12544 x 32 0.185 -> 0.163
   * ms, 24 x 3136 x 32 0.060 -> 0.055; with 96 rows 1-2% slower, their C
   * then stored in short runs). */
  int64_t nc_block = NC;
  if (pa && !pb && !conv && k <= SHORT_K && m <= 4 * MR)
    nc_block = (4096 / k + NR - 1) / NR * NR;
  for (int64_t jc = 0; jc < n; jc += nc_block) {
    int64_t nc = min64(nc_block, n - jc);
    for (int64_t pc = k0; pc < k1; pc += kstep) {
      int64_t kc = min64(kstep, k - pc);
      clamp_t last = {clamp.on && pc + kc == k, clamp.silu, clamp.lo, clamp.hi};
      /* Panel j of this block, and its distance to the next one; the
       * first `direct` columns read in place from B. */
      const float *bp = pb ? pb + jc * k + pc * NR : buf->b;
      int64_t b_step = pb ? k * NR : kc * NR;
      int64_t direct = in_place ? nc / NR * NR : 0;
      if (conv)
        pack_conv(buf->b, kc, nc, conv, pc, n0 + jc);
      else if (!pb && direct < nc)
        pack_b(buf->b, kc, nc - direct, offset(b, pc, jc + direct));
      for (int64_t ic = 0; ic < m; ic += MC) {
        int64_t mc = min64(MC, m - ic);
        const float *ap = pa ? pa + ic * k + pc * MR : buf->a;
        int64_t a_step = pa ? k * MR : kc * MR;
        /* Rows [0, whole) of the block read in place, the rest packed. */
        int64_t whole = a_direct ? mc / MR * MR : 0;
        const float *a_in = a_direct ? offset(a, ic, pc).p : 0;
        if (!pa && whole < mc)
          pack_a(buf->a, mc - whole, kc, offset(a, ic + whole, pc));
        /* Tiles column panel by column panel, each panel's B in L1 while
         * the row panels of A pass it. A short K block instead goes row
         * panel by row panel: the tiles then store along C's rows, a
         * few long runs the prefetchers follow, not a line in each of mc
         * rows per panel (with K <= 64 storing C costs as much as the
         * FMAs: MobileNetV2's 16 -> 96 expansion 0.78 -> 0.59 ms, its stem
         * 0.48 -> 0.43, ResNet-50's 64 -> 256 layers 15-30% faster). B
         * read in place keeps the usual order: its rows would be fetched
         * from memory again for every row panel. */
        int64_t col_panels = (nc + NR - 1) / NR, row_panels = (mc + MR - 1) / MR;
        /* A ragged last column panel of at most NARROW columns goes
         * through micro_narrow, after the others. */
        int narrow = nc % NR != 0 && nc % NR <= NARROW;
        col_panels -= narrow;
        int by_rows = kc <= SHORT_K && direct == 0;
        /* Row panels go in pairs where two whole ones remain (see
         * micro_pair); `group` is how many this step covers. */
        int64_t group = 1;
        for (int64_t outer = 0; outer < (by_rows ? row_panels : col_panels);
             outer += by_rows ? group : span_at(outer, nc, direct))
          for (int64_t inner = 0; inner < (by_rows ? col_panels : row_panels);
               inner += by_rows ? span_at(inner, nc, direct) : group) {
            int64_t jp = by_rows ? inner : outer, span = span_at(jp, nc, direct);
            int64_t i0 = (by_rows ? outer : inner) * MR;
            group = ds_kernel_wide_tiles && i0 + 2 * MR <= mc ? 2 : 1;
            int64_t j0 = jp * NR;
            const float *panel0 = j0 < direct ? b.p + pc * b.rs + jc + j0
                                              : bp + (j0 - direct) / NR * b_step;
            int64_t b_rs = j0 < direct ? b.rs : NR;
            if (pb && !by_rows && j0 + span * NR < nc) {
              /* B is weights packed ahead of time, read once per run
               * from memory: each row panel's tile of this column panel
               * prefetches its share of the next span's K block into L2
               * (a line per k: NR floats). MobileNetV2's 7 x 7 layers
               * 5-9% faster, BERT-4 2%; into L1 they were 10-20% slower. */
              int64_t share = (kc + row_panels - 1) / row_panels;
              int64_t end = min64((i0 / MR + group) * share, kc);
              for (int64_t l = i0 / MR * share; l < end; ++l)
                __builtin_prefetch(panel0 + span * b_step + l * NR, 0, 2);
            }
            if (group == 2 && span == 2) {
              start_t tile = start_offset(start, ic + i0, jc + j0);
              int direct_a = i0 < whole; /* then both panels are whole */
              micro_pair(kc, direct_a ? a_in + i0 : ap + (i0 - whole) / MR * a_step,
                         direct_a ? MR : a_step, direct_a ? a.cs : MR, panel0,
                         j0 < direct ? panel0 + NR : panel0 + b_step, b_rs,
                         c.p + (ic + i0) * c.rs + (jc + j0) * c.cs, c.rs, c.cs,
                         min64(NR, nc - j0 - NR), last,
                         start.on && pc == k0 ? &tile : 0);
              continue;
            }
            for (int64_t ir = i0; ir < i0 + group * MR; ir += MR) {
              int64_t rows = min64(MR, mc - ir);
              const float *a_panel = ir < whole ? a_in + ir : ap + (ir - whole) / MR * a_step;
              int64_t a_ps = ir < whole ? a.cs : MR;
              for (int64_t h = 0; h < span; ++h) {
                int64_t jr = j0 + h * NR;
                const float *panel = j0 < direct ? panel0 + h * NR : panel0 + h * b_step;
                start_t tile = start_offset(start, ic + ir, jc + jr);
                int64_t cols = min64(NR, nc - jr);
                const start_t *from = start.on && pc == k0 ? &tile : 0;
                float *tile_c = c.p + (ic + ir) * c.rs + (jc + jr) * c.cs;
                if (span == 2 && rows > 1) {
                  (rows > 4 ? micro_wide : micro_wide4)(
                      kc, a_panel, a_ps, panel, panel + (j0 < direct ? NR : b_step), b_rs,
                      tile_c, c.rs, c.cs, rows, min64(NR, nc - jr - NR), last, from);
                  break;
                }
                if (cols <= NR / 2 && rows > 1)
                  micro_half(kc, a_panel, panel, b_rs, tile_c, c.rs, c.cs, rows, cols,
                             last, from);
                else if (rows == 1)
                  micro_row(kc, a_panel, panel, b_rs, tile_c, c.rs, c.cs, cols, last,
                            from);
                else if (rows <= 4)
                  micro_kernel4(kc, a_panel, a_ps, panel, b_rs, tile_c, c.rs, c.cs, rows, cols,
                                last, from);
                else
                  micro_kernel(kc, a_panel, a_ps, panel, b_rs, tile_c, c.rs, c.cs, rows, cols,
                               last, from);
              }
            }
          }
        if (narrow) {
          int64_t j0 = col_panels * NR, group = ds_kernel_wide_tiles ? NARROW_PANELS : 2;
          const float *panel = bp + (j0 - direct) / NR * b_step;
          for (int64_t i0 = 0; i0 < mc; i0 += group * MR) {
            start_t tile = start_offset(start, ic + i0, jc + j0);
            micro_narrow(min64(group, (mc - i0 + MR - 1) / MR), kc, ap + i0 / MR * a_step,
                         a_step, panel, c.p + (ic + i0) * c.rs + (jc + j0) * c.cs, c.rs,
                         c.cs, min64(group * MR, mc - i0), nc - j0, last,
                         start.on && pc == k0 ? &tile : 0);
          }
        }
      }
    }
  }
}

/* Threads split C's columns in `slices` NR-aligned slices (slice_start;
 * a product walked unpacked: per_slice columns each); each packs its own. */
typedef struct job_t {
  int64_t m, n, k, per_slice, slices, kmax;
  matrix_t a, b, c;
  packed_t pa, pb;
  clamp_t clamp;
  start_t start;
  const conv_t *conv;
  matrix_t part; /* K's second half, for a product split over K */
} job_t;

/* The first column of slice `index` of `slices`: C's column panels shared
 * out by their cost, a ragged last panel of at most NR / 2 columns
 * (micro_half, micro_narrow) counting half (a 196-pixel image's 12 panels
 * and 4 columns on two threads: 6 and 6.5, not 7 and 5.5). */
static int64_t slice_start(int64_t n, int64_t slices, int64_t index) {
  int64_t rest = n % NR;
  int64_t units = 2 * (n / NR) + (rest == 0 ? 0 : rest <= NR / 2 ? 1 : 2);
  return min64(n, (index * units / slices + 1) / 2 * NR);
}

static void run_slice(void *ctx, int64_t index, int64_t thread) {
  const job_t *j = ctx;
  int64_t j0 = slice_start(j->n, j->slices, index);
  int64_t j1 = slice_start(j->n, j->slices, index + 1);
  if (j0 < j1)
    gemm_blocked(j->m, j1 - j0, j->k, j->a, j->conv ? j->b : offset(j->b, 0, j0),
                 offset(j->c, 0, j0), j->pa, j->pb ? j->pb + j0 * j->k : 0,
                 j->clamp, start_offset(j->start, 0, j0), buffers_of(thread),
                 j->conv, j0, j->kmax, -1);
}

/* Or rows: MR-aligned slices of A's packed panels, all of B for each. */
static void run_row_slice(void *ctx, int64_t index, int64_t thread) {
  const job_t *j = ctx;
  int64_t panels = (j->m + MR - 1) / MR;
  int64_t i0 = min64(j->m, index * panels / j->slices * MR);
  int64_t i1 = min64(j->m, (index + 1) * panels / j->slices * MR);
  if (i0 < i1)
    gemm_blocked(i1 - i0, j->n, j->k, offset(j->a, i0, 0), j->b, offset(j->c, i0, 0),
                 j->pa + i0 * j->k, j->pb, j->clamp, start_offset(j->start, i0, 0),
                 buffers_of(thread), j->conv, 0, j->kmax, -1);
}

/* Or K's halves (split_k): indices below `slices` sum the first into C
 * from its start, the others the second into `part` from zero, each over a
 * column slice; neither is activated yet. */
static void run_k_half(void *ctx, int64_t index, int64_t thread) {
  const job_t *j = ctx;
  int64_t half = index / j->slices, slice = index % j->slices;
  int64_t j0 = slice_start(j->n, j->slices, slice);
  int64_t j1 = slice_start(j->n, j->slices, slice + 1);
  start_t from = half ? (start_t){1, {0, 0, 0}, {0, 0, 0}} : j->start;
  clamp_t none = {0, j->clamp.silu, j->clamp.lo, j->clamp.hi};
  if (j0 < j1)
    gemm_blocked(j->m, j1 - j0, j->k, j->a, offset(j->b, 0, j0),
                 offset(half ? j->part : j->c, 0, j0), j->pa,
                 j->pb ? j->pb + j0 * j->k : 0, none, start_offset(from, 0, j0),
                 buffers_of(thread), 0, 0, j->kmax, half);
}

/* Then C += part and the activation, over a slice of C's rows (or of its
 * columns, where those are contiguous): the sum and the store that the
 * second K block makes unsplit, so the result is the same bits. */
static void run_add_part(void *ctx, int64_t index, int64_t thread) {
  (void)thread;
  const job_t *j = ctx;
  int by_rows = j->c.cs == 1;
  int64_t outer = by_rows ? j->m : j->n, len = by_rows ? j->n : j->m;
  int64_t c_step = by_rows ? j->c.rs : j->c.cs;
  int64_t part_step = by_rows ? j->part.rs : j->part.cs;
  for (int64_t o = index * outer / j->slices; o < (index + 1) * outer / j->slices; ++o) {
    float *restrict c = j->c.p + o * c_step;
    const float *restrict part = j->part.p + o * part_step;
    int64_t x = 0;
    for (; x + NR <= len; x += NR) {
      vf v = *(const vf_unaligned *)(c + x) + *(const vf_unaligned *)(part + x);
      *(vf_unaligned *)(c + x) = j->clamp.on ? (vf)activate((ve)v, j->clamp) : v;
    }
    for (; x < len; ++x)
      c[x] = j->clamp.on ? clampf(c[x] + part[x], j->clamp) : c[x] + part[x];
  }
}

/* The second half's buffer for an m x n product split over K, laid out
 * like C (contiguous along its rows, or along its columns); null where
 * C is neither, or out of memory. One for the process: only the model's
 * thread splits products over the pool. */
static matrix_t part_for(int64_t m, int64_t n, matrix_t c) {
  static float *part;
  static int64_t size;
  if (c.cs != 1 && c.rs != 1)
    return (matrix_t){0, 0, 0};
  if (size < m * n) {
    free(part);
    part = aligned_alloc(64, (size_t)(m * n + 15) / 16 * 64);
    size = part ? m * n : 0;
  }
  return c.cs == 1 ? (matrix_t){part, n, 1} : (matrix_t){part, 1, m};
}

/* Columns [index * per_slice, ...) of a product of one or two rows, which
 * walks B without packing (each column computed the same way on any
 * split). */
static void run_unpacked(void *ctx, int64_t index, int64_t thread) {
  (void)thread;
  const job_t *j = ctx;
  int64_t j0 = index * j->per_slice, j1 = min64(j->n, j0 + j->per_slice);
  if (j0 >= j1)
    return;
  matrix_t c = offset(j->c, 0, j0);
  if (j->start.on) {
    start_t s = start_offset(j->start, 0, j0);
    write_start(j->m, j1 - j0, c, &s);
  }
  small_m(j->m, j1 - j0, j->k, j->a, offset(j->b, 0, j0), c, j->clamp);
}

/* C = A * B (or start + A * B) on the pool's threads, or, for `thread`
 * >= 0, on that one thread alone (a batch spread over the threads). */
static void gemm(int64_t m, int64_t n, int64_t k, matrix_t a, matrix_t b,
                 matrix_t c, packed_t pa, packed_t pb, clamp_t clamp,
                 start_t start, int64_t thread, const conv_t *conv) {
  if (k == 0) { /* An empty sum: C is its start. */
    if (start.on)
      write_start(m, n, c, &start);
    return;
  }
  if (conv && (ds_gemm_unpacked(m) || ds_gemm_transposes(m, n))) {
    /* The compiler passes im2col views only to the paths below. */
    gemm_blocked(m, n, k, a, b, c, pa, pb, clamp, start, 0, conv, 0, KC, -1);
    return;
  }
  if (ds_gemm_unpacked(m)) {
    int64_t threads = thread >= 0 ? 1 : min64(ds_thread_count(), MAX_THREADS);
    if (threads > 1 && n >= threads * NR && m * n * k >= (1 << 18)) {
      /* Columns split over the threads (a classifier's 1 x 1000 output). */
      job_t job = {m, n, k, (n + threads - 1) / threads, threads, 0, a, b, c, 0, 0,
                   clamp, start, 0};
      ds_parallel_for(threads, run_unpacked, &job);
      return;
    }
    run_unpacked(&(job_t){m, n, k, n, 1, 0, a, b, c, 0, 0, clamp, start, 0}, 0, 0);
    return;
  }
  if (ds_gemm_transposes(m, n)) {
    /* A packed as NR-column panels of A^T, and B as MR-row panels of B^T. */
    start_t t = {start.on, transposed(start.bias), transposed(start.res)};
    gemm(n, m, k, transposed(b), transposed(a), transposed(c), pb, pa, clamp, t,
         thread, 0);
    return;
  }
  if (thread >= 0) {
    gemm_blocked(m, n, k, a, b, c, pa, pb, clamp, start, buffers_of(thread), conv, 0,
                 k_block(m, n, k, b, pa, pb, conv), -1);
    return;
  }
  int64_t threads = ds_thread_count();
  int64_t panels = (n + NR - 1) / NR;
  if (threads > MAX_THREADS)
    threads = MAX_THREADS;
  if (threads > panels)
    threads = panels;
  if (threads <= 1 || m * n * k < (1 << 18)) {
    gemm_blocked(m, n, k, a, b, c, pa, pb, clamp, start, buffers_of(0), conv, 0,
                 k_block(m, n, k, b, pa, pb, conv), -1);
    return;
  }
  job_t job = {m, n, k, 0, threads, k_block(m, n, k, b, pa, pb, conv), a, b, c, pa, pb, clamp,
               start, conv};
  if (splits_k(m, n, k, conv) && (k + job.kmax - 1) / job.kmax == 2 &&
      (job.part = part_for(m, n, c)).p) {
    /* A projection to fewer channels (K longer than C is high or wide),
     * split over K: each thread reads half of the weights and half of
     * the image, the half its own core wrote (the layer before splits
     * its channels over the threads), and the halves of C are added
     * after. Split over C's columns, every thread read all of the
     * weights and, from the other core's cache, half of every image row.
     * Harness on Emerald Rapids, two threads, each image half written
     * by one of them before every call (as in a model): 64 x 196 x 384,
     * 96 x 196 x 576, 160 x 49 x 960 and 160 x 49 x 576 10-15% faster,
     * 320 x 49 x 960 and 256 x 196 x 1024 4-6%; in MobileNetV2 its 17
     * projections from 14 x 14 and 7 x 7 images 0.10 ms faster in all. */
    job.slices = threads / 2;
    ds_parallel_for(2 * job.slices, run_k_half, &job);
    job.slices = threads;
    ds_parallel_for(threads, run_add_part, &job);
    return;
  }
  if (pa && !conv && m >= 2 * n && m >= threads * 4 * MR) {
    /* Packed weights that outweigh the image (a 14 x 14 image's 1 x 1
     * expansions): each thread reads half of them from memory and packs
     * all of the image, not all of them and half of it (harness, two
     * threads: 1024 x 196 x 256 and 576 x 196 x 96 5-10% faster, with the
     * caches flushed too; 256 x 196 x 1024 up to 10% slower, so not where
     * m < 2n). */
    ds_parallel_for(threads, run_row_slice, &job);
    return;
  }
  ds_parallel_for(threads, run_slice, &job);
}

/* The activation as the entries take it: clamp bounds (infinite: none),
 * `act` 1 for a SiLU before the clamp, else 0. */
static clamp_t clamp_of(float lo, float hi, int64_t act) {
  return (clamp_t){act == 1 || lo > -__builtin_inff() || hi < __builtin_inff(),
                   act == 1, lo, hi};
}

/* A batch of products: item i's operands are each `stride` floats after
 * item i - 1's; with a packed operand (`packed` 0 for A, 1 for B, -1 for
 * none), its whole panels. */
typedef struct batch_t {
  int64_t m, n, k, stride_a, stride_b, stride_c;
  matrix_t a, b, c;
  int packed;
  clamp_t clamp;
  start_t start;
} batch_t;

/* Item i; on `thread` alone, or on the pool for thread -1. */
static void run_item(void *ctx, int64_t i, int64_t thread) {
  const batch_t *j = ctx;
  matrix_t a = {j->a.p + i * j->stride_a, j->a.rs, j->a.cs};
  matrix_t b = {j->b.p + i * j->stride_b, j->b.rs, j->b.cs};
  matrix_t c = {j->c.p + i * j->stride_c, j->c.rs, j->c.cs};
  gemm(j->m, j->n, j->k, a, b, c, j->packed == 0 ? a.p : 0, j->packed == 1 ? b.p : 0,
       j->clamp, j->start, thread, 0);
}

/* The batch: at least as many items as threads run one product per thread
 * at a time (attention's 12 heads of 128 x 128 x 64: each split over the
 * threads paid a fork and join per head and packed half as much per
 * thread); fewer split each product over the threads. */
static void run_batch(int64_t batch, const batch_t *job) {
  int64_t threads = ds_thread_count();
  if (batch > 1 && threads > 1 && batch >= threads) {
    ds_parallel_for(batch, run_item, (void *)job);
    return;
  }
  for (int64_t i = 0; i < batch; ++i)
    run_item((void *)job, i, -1);
}

/* The entry the compiled model calls: `batch` independent products
 * C += A * B. Operand A starts `offset_a` floats into `a`, each batch item
 * `stride_a` floats after the previous one, with element (i, j) at
 * [i * rs_a + j * cs_a] (likewise B and C; a transposed operand just swaps
 * its strides). The result then goes through a SiLU if `act` is 1 and is
 * clamped to [lo, hi] (infinite bounds: no clamp). */
void ds_kernel_sgemm(int64_t batch, int64_t m, int64_t n, int64_t k,
                     const float *a, int64_t offset_a, int64_t stride_a,
                     int64_t rs_a, int64_t cs_a, const float *b,
                     int64_t offset_b, int64_t stride_b, int64_t rs_b,
                     int64_t cs_b, float *c, int64_t offset_c, int64_t stride_c,
                     int64_t rs_c, int64_t cs_c, float lo, float hi,
                     int64_t act) {
  batch_t job = {m, n, k, stride_a, stride_b, stride_c,
                 {(float *)a + offset_a, rs_a, cs_a},
                 {(float *)b + offset_b, rs_b, cs_b},
                 {c + offset_c, rs_c, cs_c}, -1, clamp_of(lo, hi, act),
                 (start_t){0}};
  run_batch(batch, &job);
}

/* C = start + A * B where one operand is a constant the compiler packed
 * (ds-pack-weights), for `batch` products (Winograd's 16, else 1): `packed`
 * is 0 for A, 1 for B; that operand's data starts `offset` floats into its
 * buffer and its row and column strides are unused. The panels are those
 * gemm() would pack: MR-row panels of A or NR-column panels of B, or the
 * other way round when the product is computed transposed
 * (ds_gemm_transposes). `start` says where the product starts: 0 is C
 * itself (C += A * B); otherwise bit 1 adds the bias matrix and bit 2 the
 * residual matrix (each given like an operand, zero strides broadcasting;
 * the same for every item) and C is only written. The activation (lo, hi,
 * act) as for ds_kernel_sgemm. A batch at least as large as the pool runs
 * one product per thread at a time; a smaller one splits each product
 * over the threads. */
void ds_kernel_sgemm_packed(int64_t packed, int64_t batch, int64_t m, int64_t n,
                            int64_t k, const float *a, int64_t offset_a,
                            int64_t stride_a, int64_t rs_a, int64_t cs_a,
                            const float *b, int64_t offset_b, int64_t stride_b,
                            int64_t rs_b, int64_t cs_b, float *c,
                            int64_t offset_c, int64_t stride_c, int64_t rs_c,
                            int64_t cs_c, float lo, float hi, int64_t act,
                            int64_t start,
                            const float *bias, int64_t offset_bias,
                            int64_t rs_bias, int64_t cs_bias,
                            const float *res, int64_t offset_res,
                            int64_t rs_res, int64_t cs_res) {
  batch_t job = {m, n, k, stride_a, stride_b, stride_c,
                 {(float *)a + offset_a, rs_a, cs_a},
                 {(float *)b + offset_b, rs_b, cs_b},
                 {c + offset_c, rs_c, cs_c}, packed != 0, clamp_of(lo, hi, act),
                 start_of(start, bias, offset_bias, rs_bias, cs_bias, res,
                          offset_res, rs_res, cs_res)};
  run_batch(batch, &job);
}

/* C = start + A * B for a convolution of one image: A the weights the
 * compiler packed (ds-pack-weights, MR-row panels), B the im2col columns
 * of the image, read in place (conv_t): an ih x iw image, channel c at
 * offset_x + c * cs_x, rows rs_x apart, zero-padded by pt rows above and
 * pl columns left of it (and as far as the windows reach below and right
 * of it); kh x kw window, ow output columns, strides and dilations. C,
 * the activation and the start as for ds_kernel_sgemm_packed. */
void ds_kernel_sgemm_conv(int64_t m, int64_t n, int64_t k, const float *a,
                          int64_t offset_a, const float *x, int64_t offset_x,
                          int64_t cs_x, int64_t rs_x, int64_t ih, int64_t iw,
                          int64_t pt, int64_t pl, int64_t kh, int64_t kw,
                          int64_t ow, int64_t sh, int64_t sw, int64_t dh,
                          int64_t dw, float *c, int64_t offset_c, int64_t rs_c,
                          int64_t cs_c, float lo, float hi, int64_t act,
                          int64_t start,
                          const float *bias, int64_t offset_bias,
                          int64_t rs_bias, int64_t cs_bias, const float *res,
                          int64_t offset_res, int64_t rs_res, int64_t cs_res) {
  conv_t conv = {x + offset_x, cs_x, rs_x, ih, iw, pt, pl, kh, kw, ow, sh, sw, dh, dw};
  gemm(m, n, k, (matrix_t){(float *)a + offset_a, 0, 0}, (matrix_t){0, 0, 0},
       (matrix_t){c + offset_c, rs_c, cs_c}, a + offset_a, 0, clamp_of(lo, hi, act),
       start_of(start, bias, offset_bias, rs_bias, cs_bias, res, offset_res,
                rs_res, cs_res),
       -1, &conv);
}
