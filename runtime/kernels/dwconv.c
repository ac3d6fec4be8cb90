/*===- dwconv.c - depthwise convolution and max pooling kernels ---------===*
 *
 * Two window operations on each channel c of one NCHW image, sharing one
 * implementation: out[c] = start[c] + w[c] (*) in[c], a 2-D convolution
 * with one KH x KW filter per channel (MobileNet's and EfficientNet's
 * depthwise layers), and out[c] = max(start[c], the maximum over each
 * window of in[c]) (max pooling). The start is the output's own values, or
 * (taken over from the loop that wrote it) a bias and residual, zero or
 * -inf, held in registers when it is one value per channel. Padding (0, or
 * -inf for pooling) is implicit: the input is read unpadded. Like gemm.c,
 * it is compiled to bitcode without target features and optimized for the
 * package's CPU.
 *
 * Each channel is first copied into the interior of a padded scratch
 * buffer (padding written once per thread and call) wide enough for whole
 * vectors, or, larger than half of L1, passes through it in strips of
 * rows; every output column then takes the same branch-free path: W
 * columns of four output rows at a time in registers (four independent
 * chains of taps), the taps of all KH x KW filter positions summed before
 * one store (a loop nest over the taps would sweep the row in memory
 * KH x KW times); at column stride 2 the padded copy holds each row's
 * even columns, then its odd ones (de-interleaved once as it is copied,
 * not once per tap), except where masked loads are cheap (AVX-512): there
 * the common centred windows at stride 2 read the input's rows in place,
 * a tap's columns the even or odd lanes of two masked loads
 * (stride2_columns), and the copy, half of such a layer's time, is gone.
 * The ragged ends of rows are masked loads and stores
 * where masked stores are cheap (AVX-512); elsewhere (AVX2 on AMD, NEON)
 * they are whole vectors wherever an overlap is harmless: the last W (or
 * 2 W) columns copied again, outputs computed twice or written over by
 * the next row (on x86-64-v3, 45 KB more code; ten 576 x 14 x 14 layers
 * 1.6x faster). The common windows (3x3 and 5x5, stride 1 or 2) are
 * compiled with their shape as constants, so their taps unroll and each
 * padded row is loaded once for all the output rows that read it.
 * Images at most 2 VL wide skip the padded copy: each row is one vector in
 * registers and a tap's columns a shuffle of it (narrow_rows). The padded
 * path's vectors are W = 16 lanes where the CPU's registers are (AVX-512),
 * else 8 (dwconv_rows.inc); the narrow path's VL = 8 or 2 VL.
 * Channels are spread over the runtime's threads.
 *
 *===----------------------------------------------------------------------===*/

#include <stddef.h>
#include <stdint.h>

#include "silu.h"

enum { VL = 8, MAX_THREADS = 64 };

typedef float vf __attribute__((ext_vector_type(VL)));
typedef float vf_unaligned __attribute__((ext_vector_type(VL), aligned(4)));

/* Nonzero where a masked vector store costs what a whole one does
 * (AVX-512's mask registers): deepseek-package answers it for the
 * package's CPU when it links the kernels (targets/Common/Target.cpp).
 * Elsewhere (AVX2's masked stores are slow on AMD, NEON has none) ragged
 * ends are whole vectors where they can be. */
extern const int ds_kernel_masked_stores_cheap;

/* Nonzero where the CPU's vectors hold 16 floats (AVX-512): the padded
 * path then takes them whole. A 28-wide row is two vectors, not four (the
 * last half empty), and a 3x3 window's taps half as many instructions:
 * MobileNetV2's 192 x 28 x 28 layers 0.63-0.65x the time in a harness on
 * Emerald Rapids, EfficientNet-B0's 5x5 ones at 28 x 28 0.66x, 56 x 56 and
 * 112 x 112 ones 0.72-0.96x (bit-identical results). With AVX2 (two
 * registers a vector) a row's ragged end then costs a whole vector of 16:
 * 112 x 112 layers at stride 2 were 6-13% slower, so there it stays 8.
 * Answered like the one above. */
extern const int ds_kernel_wide_vectors;

extern int ds_thread_count(void);
extern void ds_parallel_for(int64_t count,
                            void (*task)(void *ctx, int64_t index, int64_t thread),
                            void *ctx);
extern void *aligned_alloc(size_t alignment, size_t size);
extern void free(void *p);

typedef struct dwconv_t {
  int64_t h, w, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl;
  /* The padded copy of one channel: rows x cols, or at column stride 2
   * each row split in two halves of `half`: its even columns, then its
   * odd ones (a stride-2 tap then reads consecutive floats). */
  int64_t rows, cols, half;
  int strips; /* rows holds the strip four output rows read, not all */
  int narrow;  /* rows at most 2 VL wide, in registers (narrow_rows) */
  int direct;  /* stride 2 read from the input, no scratch (stride2_columns) */
  const float *in, *in_end; /* in_end: past the last channel's last row */
  int64_t in_cs, in_rs;
  const float *weights; /* null: max pooling */
  float *out;
  int64_t out_cs, out_rs;
  int clamp, silu; /* the activation: a SiLU, then the clamp to [lo, hi] */
  float lo, hi;
  /* The output's start: 0 its own values; otherwise bit 1 adds the bias
   * and bit 2 the residual, each read at (c, pixel y * ow + x) through a
   * channel and a pixel stride (0 broadcasts); neither: zero, or -inf for
   * pooling. The residual may be the output itself (gemm.c's start_t). */
  int64_t start;
  const float *bias;
  int64_t bias_cs, bias_ps;
  const float *res;
  int64_t res_cs, res_ps;
  int64_t channels, per_task; /* the split over threads */
} dwconv_t;

/* Each thread's padded channel, grown on demand and kept for the process
 * (like gemm.c's packing buffers). */
static float *scratch[MAX_THREADS];
static int64_t scratch_size[MAX_THREADS];

static float *scratch_of(int64_t thread, int64_t floats) {
  if (scratch_size[thread] < floats) {
    free(scratch[thread]);
    scratch[thread] = aligned_alloc(64, (size_t)(floats + 15) / 16 * 64);
    scratch_size[thread] = scratch[thread] ? floats : 0;
  }
  return scratch[thread];
}

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* What the padding reads as: 0 for a convolution, -inf for pooling. */
static inline float fill_of(const dwconv_t *p) { return p->weights ? 0.0f : -__builtin_inff(); }

typedef float vf2 __attribute__((ext_vector_type(2 * VL)));
typedef float vf2_unaligned __attribute__((ext_vector_type(2 * VL), aligned(4)));
typedef int vi2 __attribute__((ext_vector_type(2 * VL)));
DS_DEFINE_SILU(silu_v, vf2, vi2)

/* The activation: a SiLU if fused, then [lo, hi]-clamped, NaN-propagating
 * (a NaN compares false and stays) as the unfused ReLU/Clip; one max and
 * one min instruction per vector. A SiLU, which costs per vector, takes
 * 2 VL lanes at a time. */
static inline vf2 activate2(vf2 v, const dwconv_t *p) {
  if (p->silu)
    v = silu_v(v);
  v = v < p->lo ? p->lo : v;
  return v > p->hi ? p->hi : v;
}
static inline float clampf(float x, const dwconv_t *p) {
  return activate2(x + (vf2){0}, p)[0];
}

/* One tap: a multiply-add with weight wc[t], or for pooling a maximum.
 * The vector maximum is the CPU's own (one instruction, where a maximum
 * that propagates NaNs and orders -0 below +0 was six on x86-64: ResNet-50's
 * max pooling took 0.6 ms, twice ORT's), so it may drop a NaN: a channel
 * holding one takes point()'s path (channel), whose scalar maximum keeps
 * it. */
static inline float tap(const float *wc, int64_t t, float acc, float x) {
  return wc ? acc + wc[t] * x : __builtin_elementwise_maximum(acc, x);
}

/* One output element, bounds-checked, from the unpadded input: the path
 * for strides above 2 or when no scratch memory can be had. */
static float point(const dwconv_t *p, const float *in, const float *wc,
                   int64_t y, int64_t x, float acc) {
  for (int64_t i = 0; i < p->kh; ++i) {
    int64_t iy = y * p->sh - p->pt + i * p->dh;
    if (iy < 0 || iy >= p->h)
      continue;
    for (int64_t j = 0; j < p->kw; ++j) {
      int64_t ix = x * p->sw - p->pl + j * p->dw;
      if (ix >= 0 && ix < p->w)
        acc = tap(wc, i * p->kw + j, acc, in[iy * p->in_rs + ix]);
    }
  }
  return acc;
}

/* A window's shape: kernel, strides and dilations. */
typedef struct geometry_t {
  int64_t kh, kw, sh, sw, dh, dw;
  int fixed; /* the shape is a constant */
} geometry_t;

/* The padded column tap column j of output column x reads in padded row
 * `line`: x sw + j dw, at stride 2 in the even or the odd half. */
static inline __attribute__((always_inline)) const float *
column(const dwconv_t *p, geometry_t g, const float *line, int64_t x, int64_t j) {
  int64_t u = j * g.dw;
  return g.sw == 2 ? line + (u & 1) * p->half + x + (u >> 1) : line + x + u;
}

/* The padded path (dwconv_rows.inc) for vectors of VL lanes and of 2 VL:
 * the package's CPU picks one (ds_kernel_wide_vectors), and the link drops
 * the other. */
typedef int vi __attribute__((ext_vector_type(VL)));
#define W 8
#define vw vf
#define vw_unaligned vf_unaligned
#define vwi vi
#define EVENS(a, b) __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14)
#define ODDS(a, b) __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15)
#define PADDED(name) name##_8
#include "dwconv_rows.inc"
#define W 16
#define vw vf2
#define vw_unaligned vf2_unaligned
#define vwi vi2
#define EVENS(a, b)                                                            \
  __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, \
                          26, 28, 30)
#define ODDS(a, b)                                                             \
  __builtin_shufflevector(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, \
                          27, 29, 31)
#define PADDED(name) name##_16
#include "dwconv_rows.inc"
_Static_assert(VL == 8, "dwconv_rows.inc is included for 8 and 16 lanes");

/* Images at most 2 VL wide ("narrow": MobileNet's and EfficientNet's
 * 14 x 14 and 7 x 7 layers). Each row of the channel is copied once into
 * the scratch as one aligned vector of 2 VL lanes, the lanes past its end
 * the fill; the columns a tap reads for a row of outputs, x s + o for
 * output column x, are then one shuffle of that vector in registers (the
 * fill where x s + o is outside the row), not an unaligned load of a
 * padded copy. Outputs at most VL wide take VL-lane vectors, wider ones
 * 2 VL; eight rows of outputs at a time, so eight independent chains of
 * taps (figures in docs/Architecture.md). The shuffles' lanes must be
 * constants: `s` and `o` are, once inlined, and the switch folds to one
 * case. */
#define NARROW_LANE(x, s, o) \
  ((x) * (s) + (o) >= 0 && (x) * (s) + (o) < 2 * VL ? (x) * (s) + (o) : 2 * VL)
#define NARROW_TAP(s, o)                                                       \
  case (s) * 8 + (o) + 2:                                                      \
    return __builtin_shufflevector(row, fill, NARROW_LANE(0, s, o),            \
                                   NARROW_LANE(1, s, o), NARROW_LANE(2, s, o), \
                                   NARROW_LANE(3, s, o), NARROW_LANE(4, s, o), \
                                   NARROW_LANE(5, s, o), NARROW_LANE(6, s, o), \
                                   NARROW_LANE(7, s, o));
#define NARROW_TAP2(o)                                                         \
  case (o) + 2:                                                                \
    return __builtin_shufflevector(                                            \
        row, fill, NARROW_LANE(0, 1, o), NARROW_LANE(1, 1, o),                 \
        NARROW_LANE(2, 1, o), NARROW_LANE(3, 1, o), NARROW_LANE(4, 1, o),      \
        NARROW_LANE(5, 1, o), NARROW_LANE(6, 1, o), NARROW_LANE(7, 1, o),      \
        NARROW_LANE(8, 1, o), NARROW_LANE(9, 1, o), NARROW_LANE(10, 1, o),     \
        NARROW_LANE(11, 1, o), NARROW_LANE(12, 1, o), NARROW_LANE(13, 1, o),   \
        NARROW_LANE(14, 1, o), NARROW_LANE(15, 1, o));
/* VL outputs of a row at stride s (1 or 2), tap column offset o. */
static inline __attribute__((always_inline)) vf narrow_tap(vf2 row, vf2 fill, int64_t s,
                                                           int64_t o) {
  switch (s * 8 + o + 2) {
    NARROW_TAP(1, -2) NARROW_TAP(1, -1) NARROW_TAP(1, 0) NARROW_TAP(1, 1)
    NARROW_TAP(1, 2) NARROW_TAP(2, -2) NARROW_TAP(2, -1) NARROW_TAP(2, 0)
    NARROW_TAP(2, 1) NARROW_TAP(2, 2)
  }
  __builtin_unreachable();
}
/* 2 VL outputs of a row at stride 1. */
static inline __attribute__((always_inline)) vf2 narrow_tap2(vf2 row, vf2 fill, int64_t s,
                                                             int64_t o) {
  (void)s;
  switch (o + 2) { NARROW_TAP2(-2) NARROW_TAP2(-1) NARROW_TAP2(0) NARROW_TAP2(1) NARROW_TAP2(2) }
  __builtin_unreachable();
}
#undef NARROW_TAP2
#undef NARROW_TAP
#undef NARROW_LANE

/* The scratch of a narrow channel: NARROW_TOP rows of the fill above the
 * image (its padding on top is at most that), its rows, then the fill for
 * every row a block of NARROW_BLOCK output rows reaches below it. */
enum { NARROW_BLOCK = 8, NARROW_TOP = 4, NARROW_ROWS = NARROW_TOP + 2 * VL + 8 };

/* The channel at `in` into the scratch `rows` (whose other rows hold the
 * fill). Where 2 VL floats from a row's start are not all inside the
 * input (the last rows of its last channel), the row goes through a local
 * copy. */
static void narrow_load(const dwconv_t *p, const float *in, float *rows) {
  vi2 iota = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  vf2 fill = fill_of(p) + (vf2){0};
  int inside = p->in_end - (in + (p->h - 1) * p->in_rs) >= 2 * VL;
  for (int64_t y = 0; y < p->h; ++y) {
    const float *src = in + y * p->in_rs;
    vf2 v;
    if (inside || p->in_end - src >= 2 * VL) {
      v = *(const vf2_unaligned *)src;
    } else {
      float copy[2 * VL] = {0};
      for (int64_t x = 0; x < p->w; ++x)
        copy[x] = src[x];
      v = *(const vf2_unaligned *)copy;
    }
    *(vf2 *)(rows + (NARROW_TOP + y) * 2 * VL) = iota < (int)p->w ? v : fill;
  }
}

/* Output columns [x, x + n) of output row y, 0 < n <= VL: a whole vector
 * where its tail lands on outputs written after it (rows are contiguous
 * and this is not the channel's last vector), else masked where that is
 * cheap, else lane by lane. */
static inline __attribute__((always_inline)) void
narrow_store(const dwconv_t *p, float *out, int64_t y, int64_t x, int64_t n, vf v) {
  float *o = out + y * p->out_rs + x;
  if (n == VL || (p->out_rs == p->ow && y * p->ow + x + VL <= p->oh * p->ow))
    *(vf_unaligned *)o = v;
  else if (ds_kernel_masked_stores_cheap)
    __builtin_masked_store(lanes_8(n), v, o); /* the padded path's mask */
  else
    for (int64_t i = 0; i < n; ++i)
      o[i] = v[i];
}

/* The activation and stores of output row y: `sum` holds rows y and y + 1
 * (VL outputs each) if `pair`, else row y's 2 VL outputs. A SiLU takes
 * 2 VL lanes at a time either way. */
static inline __attribute__((always_inline)) void
narrow_finish(const dwconv_t *p, float *out, int64_t y, vf2 sum, int pair) {
  if (p->clamp)
    sum = activate2(sum, p);
  vf lo = __builtin_shufflevector(sum, sum, 0, 1, 2, 3, 4, 5, 6, 7);
  vf hi = __builtin_shufflevector(sum, sum, 8, 9, 10, 11, 12, 13, 14, 15);
  if (pair) {
    narrow_store(p, out, y, 0, p->ow, lo);
    if (y + 1 < p->oh)
      narrow_store(p, out, y + 1, 0, p->ow, hi);
  } else {
    narrow_store(p, out, y, 0, VL, lo);
    narrow_store(p, out, y, VL, p->ow - VL, hi);
  }
}

/* All outputs of a narrow channel from its rows in the scratch, blocks of
 * NARROW_BLOCK output rows (those past the output's end computed from the
 * fill and not stored), each a vector `vt` of VL or 2 VL lanes whose taps
 * `tap` makes; every row of the block's window is loaded once and each of
 * its taps is one shuffle. The start is `init` (one value per channel). */
#define NARROW_ROWS(name, vt, tap, wide)                                       \
  static inline __attribute__((always_inline)) void name(                      \
      const dwconv_t *p, geometry_t g, const float *wc, float init,            \
      const float *rows, float *out) {                                         \
    vf2 fill = fill_of(p) + (vf2){0};                                          \
    for (int64_t y = 0; y < p->oh; y += NARROW_BLOCK) {                        \
      vt acc[NARROW_BLOCK];                                                    \
      _Pragma("clang loop unroll(full)")                                       \
      for (int r = 0; r < NARROW_BLOCK; ++r)                                   \
        acc[r] = init + (vt){0};                                               \
      _Pragma("clang loop unroll(full)")                                       \
      for (int64_t k = 0; k < (NARROW_BLOCK - 1) * g.sh + g.kh; ++k) {         \
        vf2 row = *(const vf2 *)(rows + (NARROW_TOP + y * g.sh - p->pt + k) *  \
                                            2 * VL);                           \
        _Pragma("clang loop unroll(full)")                                     \
        for (int64_t j = 0; j < g.kw; ++j) {                                   \
          vt v = tap(row, fill, g.sh, j - g.kw / 2);                           \
          _Pragma("clang loop unroll(full)")                                   \
          for (int r = 0; r < NARROW_BLOCK; ++r) {                             \
            int64_t i = k - r * g.sh;                                          \
            if (i >= 0 && i < g.kh)                                            \
              acc[r] = wc ? acc[r] + wc[i * g.kw + j] * v                      \
                          : acc[r] > v ? acc[r] : v;                           \
          }                                                                    \
        }                                                                      \
      }                                                                        \
      /* Unrolled, so that the sums stay in registers. */                      \
      _Pragma("clang loop unroll(full)")                                       \
      for (int r = 0; r < NARROW_BLOCK; r += 2 - wide)                         \
        if (y + r < p->oh)                                                     \
          narrow_finish(p, out, y + r, NARROW_WIDEN(wide, acc, r), !wide);     \
    }                                                                          \
  }
/* The sums of rows r and r + 1 (VL lanes each), or of row r (2 VL): lanes
 * 8-15 are the second operand's first ones, or the first's last ones. */
#define NARROW_WIDEN(wide, acc, r)                                             \
  __builtin_shufflevector(acc[r], acc[r + 1 - wide], 0, 1, 2, 3, 4, 5, 6, 7,   \
                          8, 9, 10, 11, 12, 13, 14, 15)
NARROW_ROWS(narrow_rows, vf, narrow_tap, 0)
NARROW_ROWS(narrow_rows2, vf2, narrow_tap2, 1)
#undef NARROW_ROWS
#undef NARROW_WIDEN

/* The narrow kernels with the common windows' shapes as constants. */
static void narrow_of(const dwconv_t *p, const float *wc, float init, const float *rows,
                      float *out) {
#define NARROW(k, s)                                                           \
  if (p->kh == k && p->sh == s)                                                \
    return s == 1 && p->ow > VL                                                \
               ? narrow_rows2(p, (geometry_t){k, k, s, s, 1, 1, 1}, wc, init, \
                              rows, out)                                       \
               : narrow_rows(p, (geometry_t){k, k, s, s, 1, 1, 1}, wc, init,  \
                             rows, out);
  NARROW(3, 1) NARROW(5, 1) NARROW(3, 2) NARROW(5, 2)
#undef NARROW
  __builtin_unreachable();
}

/* Whether an h x w image with rows rs apart holds a NaN (see tap): 2 VL
 * lanes at a time, reduced once at the end (a reduction per row and a
 * scalar loop over the rows' ends cost ResNet-50's max pooling a third of
 * its time). */
static int has_nan(const float *in, int64_t h, int64_t w, int64_t rs) {
  typedef _Bool mask2_t __attribute__((ext_vector_type(2 * VL)));
  vi2 iota = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  mask2_t rest = __builtin_convertvector(iota < (int)(w % (2 * VL)), mask2_t);
  vi2 nan = {0};
  for (int64_t y = 0; y < h; ++y) {
    const float *row = in + y * rs;
    int64_t x = 0;
    for (; x + 2 * VL <= w; x += 2 * VL) {
      vf2 v = *(const vf2_unaligned *)(row + x);
      nan |= v != v;
    }
    if (x < w) {
      vf2 v = __builtin_masked_load(rest, row + x, (vf2){0});
      nan |= v != v;
    }
  }
  return __builtin_reduce_or(nan) != 0;
}

/* Channel c, with `pad` (null: none could be had, or a direct channel
 * needs none) the thread's scratch, whose padding is already written. */
static void channel(const dwconv_t *p, int64_t c, float *pad) {
  const float *in = p->in + c * p->in_cs;
  const float *wc = p->weights ? p->weights + c * p->kh * p->kw : 0;
  float *out = p->out + c * p->out_cs;
  /* The start: one value for the whole channel (zero, -inf, a bias), or
   * written into the output first, which is then accumulated into. */
  float value = p->weights ? 0.0f : -__builtin_inff();
  const float *init = 0;
  if (p->start) {
    if (!p->res && (!p->bias || p->bias_ps == 0)) {
      value += p->bias ? p->bias[c * p->bias_cs] : 0.0f;
      init = &value;
    } else {
      for (int64_t y = 0; y < p->oh; ++y)
        for (int64_t x = 0; x < p->ow; ++x) {
          int64_t pixel = y * p->ow + x;
          out[y * p->out_rs + x] =
              (p->bias ? p->bias[c * p->bias_cs + pixel * p->bias_ps] : 0.0f) +
              (p->res ? p->res[c * p->res_cs + pixel * p->res_ps] : 0.0f);
        }
    }
  }
  int vectors = pad || p->direct;
  if (!wc && vectors &&
      (has_nan(in, p->h, p->w, p->in_rs) || (!init && has_nan(out, p->oh, p->ow, p->out_rs))))
    vectors = 0;
  if (p->narrow && vectors) {
    narrow_load(p, in, pad);
    narrow_of(p, wc, *init, pad, out);
    return;
  }
  if (!vectors) {
    if (init)
      for (int64_t y = 0; y < p->oh; ++y)
        for (int64_t x = 0; x < p->ow; ++x)
          out[y * p->out_rs + x] = value;
    for (int64_t y = 0; y < p->oh; ++y)
      for (int64_t x = 0; x < p->ow; ++x) {
        float v = point(p, in, wc, y, x, out[y * p->out_rs + x]);
        out[y * p->out_rs + x] = p->clamp ? clampf(v, p) : v;
      }
    return;
  }
  if (!p->strips && !p->direct) {
    /* The whole image into the padded interior (its padding rows keep
     * the fill written once per call): no output needs a bounds check. */
    (ds_kernel_wide_vectors ? copy_rows_16 : copy_rows_8)(
        p, in, pad + p->pt * p->cols, 0, min64(p->h, p->rows - p->pt));
  }
  (ds_kernel_wide_vectors ? rows_of_16 : rows_of_8)(p, wc, init, in, pad, out);
}

/* Channels [task * per_task, ...) on one thread. The padding of the
 * scratch is written once: each channel then overwrites only its interior. */
static void channels(void *ctx, int64_t task, int64_t thread) {
  const dwconv_t *p = ctx;
  int64_t begin = task * p->per_task;
  int64_t end = min64(begin + p->per_task, p->channels);
  int64_t padded = p->rows * p->cols;
  float *pad = p->sw <= 2 && !p->direct ? scratch_of(thread, padded) : 0;
  float fill = fill_of(p);
  if (pad)
    for (int64_t i = 0; i < padded; ++i)
      pad[i] = fill;
  for (int64_t c = begin; c < end; ++c)
    channel(p, c, pad);
}

/* Fills in the padded channel's geometry and runs the channels, one
 * contiguous range per thread (a task per channel would take the pool's
 * lock hundreds of times). */
static void run(dwconv_t *p) {
  /* Rows every tap reaches; columns every vector load reaches (whole
   * vectors of outputs). */
  int64_t width = ds_kernel_wide_vectors ? 2 * VL : VL;
  int64_t vectors = (p->ow + width - 1) / width;
  p->rows = (p->oh - 1) * p->sh + (p->kh - 1) * p->dh + 1;
  p->cols = (vectors * width - 1) * p->sw + (p->kw - 1) * p->dw + 1;
  p->half = 0;
  if (p->sw == 2) {
    /* A half holds every vector load: x + (j dw) / 2 + width - 1. */
    p->half = vectors * width + (p->kw - 1) * p->dw / 2;
    p->cols = 2 * p->half;
  }
  /* A channel larger than half of L1 passes through in strips (see
   * row_blocks): 96 x 112 x 112 at stride 2 0.274 -> 0.218 ms; smaller
   * ones are copied whole, once (in strips 576 x 14 x 14 took 0.091 ms
   * instead of 0.066). */
  p->strips = p->rows * p->cols * (int64_t)sizeof(float) > 16384;
  if (p->strips)
    p->rows = (min64(p->oh, 4) - 1) * p->sh + (p->kh - 1) * p->dh + 1;
  /* Narrow images (narrow_rows): the common windows, with the padding on
   * the left that keeps the output centred (their shuffles are compiled
   * in), and a start of one value per channel; at most 2 VL rows of
   * outputs at stride 1, VL at stride 2, so the rows their blocks read stay
   * inside the scratch's NARROW_ROWS. */
  p->narrow = p->w <= 2 * VL && p->h <= 2 * VL && p->pt <= NARROW_TOP &&
              p->kh == p->kw && (p->kh == 3 || p->kh == 5) && p->pl == p->kh / 2 &&
              p->sh == p->sw && p->dh == 1 && p->dw == 1 &&
              (p->sh == 1 ? p->ow <= 2 * VL && p->oh <= 2 * VL
                          : p->sh == 2 && p->ow <= VL && p->oh <= VL) &&
              p->start && !p->res && (!p->bias || p->bias_ps == 0);
  if (p->narrow) {
    p->in_end = p->in + (p->channels - 1) * p->in_cs + (p->h - 1) * p->in_rs + p->w;
    p->strips = 0;
    p->rows = NARROW_ROWS;
    p->cols = 2 * VL;
  }
  /* Stride 2 reads the input in place where masked loads are cheap, as
   * masked stores are (AVX-512): the row's ends and the padding are lanes
   * masked off. */
  p->direct = !p->narrow && ds_kernel_masked_stores_cheap && p->sh == 2 && p->sw == 2 &&
              p->kh == p->kw && (p->kh == 3 || p->kh == 5) && p->pl == p->kw / 2 &&
              p->dh == 1 && p->dw == 1;
  int64_t c = p->channels, threads = ds_thread_count();
  p->per_task = c;
  if (threads > 1 && threads <= MAX_THREADS && c > 1 &&
      c * p->oh * p->ow * p->kh * p->kw >= (1 << 16)) {
    p->per_task = (c + threads - 1) / threads;
    ds_parallel_for((c + p->per_task - 1) / p->per_task, channels, p);
  } else {
    channels(p, 0, 0);
  }
}

/* The entries the compiled model calls. Input: `c` channels of h x w,
 * element (c, y, x) at in[offset_in + c * in_cs + y * in_rs + x]; output
 * likewise with out_cs, out_rs. Padding pt (top) and pl (left); the bottom
 * and right ones follow from the output size. */

/* Depthwise convolution: weights [c][kh][kw] contiguous from offset_w; the
 * output starts as `start` says (dwconv_t; bit 0 alone: zero), then goes
 * through a SiLU if `act` is 1 and is clamped to [lo, hi] (infinite
 * bounds: none). */
void ds_kernel_dwconv2d(int64_t c, int64_t h, int64_t w, int64_t oh,
                        int64_t ow, int64_t kh, int64_t kw, int64_t sh,
                        int64_t sw, int64_t dh, int64_t dw, int64_t pt,
                        int64_t pl, const float *in, int64_t offset_in,
                        int64_t in_cs, int64_t in_rs, const float *weights,
                        int64_t offset_w, float *out, int64_t offset_out,
                        int64_t out_cs, int64_t out_rs, float lo, float hi,
                        int64_t act, int64_t start, const float *bias,
                        int64_t offset_bias,
                        int64_t bias_cs, int64_t bias_ps, const float *res,
                        int64_t offset_res, int64_t res_cs, int64_t res_ps) {
  dwconv_t p = {h, w, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, 0, 0, 0, 0, 0, 0,
                in + offset_in, 0, in_cs, in_rs, weights + offset_w,
                out + offset_out, out_cs, out_rs,
                act == 1 || lo > -__builtin_inff() || hi < __builtin_inff(),
                act == 1, lo, hi, start, start & 2 ? bias + offset_bias : 0, bias_cs, bias_ps,
                start & 4 ? res + offset_res : 0, res_cs, res_ps, c, c};
  run(&p);
}

/* Max pooling: out = max(start, the window's maximum), padding as -inf;
 * `start` 0: the output's own values, otherwise -inf. */
void ds_kernel_maxpool2d(int64_t c, int64_t h, int64_t w, int64_t oh,
                         int64_t ow, int64_t kh, int64_t kw, int64_t sh,
                         int64_t sw, int64_t dh, int64_t dw, int64_t pt,
                         int64_t pl, const float *in, int64_t offset_in,
                         int64_t in_cs, int64_t in_rs, float *out,
                         int64_t offset_out, int64_t out_cs, int64_t out_rs,
                         int64_t start) {
  dwconv_t p = {h, w, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, 0, 0, 0, 0, 0, 0,
                in + offset_in, 0, in_cs, in_rs, 0, out + offset_out, out_cs,
                out_rs, 0, 0, 0, 0, start != 0, 0, 0, 0, 0, 0, 0, c, c};
  run(&p);
}
