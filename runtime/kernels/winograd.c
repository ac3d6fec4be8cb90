/*===- winograd.c - Winograd F(2x2, 3x3) and F(4x4, 3x3) transforms -----===*
 *
 * A 3x3 stride-1 convolution as Winograd's F(m x m, 3x3) (Lavin & Gray,
 * 2015), m = 2 or 4: every m x m block of outputs is A^T [(G g G^T) .
 * (B^T d B)] A for the (m + 2) x (m + 2) input tile d under it, so the 9
 * multiplies per output and input channel of the direct convolution
 * become 4 (m = 2) or 2.25 (m = 4). The compiler transforms the weights
 * (G g G^T) at compile time and runs the (m + 2)^2 products over the
 * channels, one per tile element e, as one batched sgemm:
 *
 *   M[e][f][t] = sum_c U[e][f][c] * V[e][c][t]
 *
 * These two kernels make V from the image and the output from M. Both
 * walk VL tiles of a tile row at a time in vectors, with masked loads and
 * stores where a vector would reach past the image (padding, the ragged
 * end of a row, an odd output size), so every tile takes the same path;
 * channels (filters) are spread over the runtime's threads. One source
 * serves both tile sizes: m is a constant wherever it is inlined. Like
 * gemm.c, this is compiled to bitcode without target features and
 * optimized for the package's CPU.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

#include "silu.h"

enum { VL = 16, MAXA = 6 /* the largest tile, m + 2 */ };

typedef float vf __attribute__((ext_vector_type(VL)));
typedef float vf2 __attribute__((ext_vector_type(2 * VL)));
typedef float vf4 __attribute__((ext_vector_type(4 * VL)));

extern int ds_thread_count(void);
extern void ds_parallel_for(int64_t count,
                            void (*task)(void *ctx, int64_t index, int64_t thread),
                            void *ctx);

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* Masks of the lanes lo <= j < hi for masked loads (zero elsewhere: the
 * load's pass-through operand, without which they are undefined) and
 * stores, which touch no memory outside them: the ragged ends of rows,
 * the padding, odd sizes. */
typedef _Bool mask_t __attribute__((ext_vector_type(VL)));
typedef _Bool mask2_t __attribute__((ext_vector_type(2 * VL)));
typedef _Bool mask4_t __attribute__((ext_vector_type(4 * VL)));
typedef int iota4_t __attribute__((ext_vector_type(4 * VL)));
static const iota4_t iota4 = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,
    38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
    56, 57, 58, 59, 60, 61, 62, 63};

DS_DEFINE_SILU(silu_v, vf4, iota4_t)

static inline mask4_t lanes4(int64_t lo, int64_t hi) {
  lo = min64(max64(lo, 0), 4 * VL);
  hi = min64(max64(hi, 0), 4 * VL);
  return __builtin_convertvector(iota4 >= (int)lo & iota4 < (int)hi, mask4_t);
}
static inline mask2_t lanes2(int64_t lo, int64_t hi) {
  mask4_t m = lanes4(lo, min64(hi, 2 * VL));
  return __builtin_shufflevector(m, m, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
      30, 31);
}
static inline mask_t lanes(int64_t n) {
  mask4_t m = lanes4(0, min64(n, VL));
  return __builtin_shufflevector(m, m, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
      12, 13, 14, 15);
}

/* Every 2nd (4th) element of a 2 VL (4 VL) vector from element k. */
#define PHASE2(v, k) __builtin_shufflevector(v, v, (k) + 0, (k) + 2,          \
    (k) + 4, (k) + 6, (k) + 8, (k) + 10, (k) + 12, (k) + 14, (k) + 16,        \
    (k) + 18, (k) + 20, (k) + 22, (k) + 24, (k) + 26, (k) + 28, (k) + 30)
#define PHASE4(v, k) __builtin_shufflevector(v, v, (k) + 0, (k) + 4,          \
    (k) + 8, (k) + 12, (k) + 16, (k) + 20, (k) + 24, (k) + 28, (k) + 32,      \
    (k) + 36, (k) + 40, (k) + 44, (k) + 48, (k) + 52, (k) + 56, (k) + 60)
/* Two VL (2 VL) vectors interleaved. */
#define ZIP(a, b) __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19,   \
    4, 20, 5, 21, 6, 22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13,     \
    29, 14, 30, 15, 31)
#define ZIP32(a, b) __builtin_shufflevector(a, b, 0, 32, 1, 33, 2, 34, 3,     \
    35, 4, 36, 5, 37, 6, 38, 7, 39, 8, 40, 9, 41, 10, 42, 11, 43, 12, 44,     \
    13, 45, 14, 46, 15, 47, 16, 48, 17, 49, 18, 50, 19, 51, 20, 52, 21, 53,   \
    22, 54, 23, 55, 24, 56, 25, 57, 26, 58, 27, 59, 28, 60, 29, 61, 30, 62,   \
    31, 63)
_Static_assert(VL == 16, "the shuffles above spell out VL = 16");

/* A 2 VL vector in the low half of a 4 VL one. */
static inline vf4 widen(vf2 v) {
  return __builtin_shufflevector(v, (vf2){0}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
      28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45,
      46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63);
}

/* Runs `task` over [0, count) in one contiguous range per thread. */
typedef struct split_t {
  void (*task)(void *ctx, int64_t lo, int64_t hi);
  void *ctx;
  int64_t count, per_thread;
} split_t;

static void run_range(void *ctx, int64_t index, int64_t thread) {
  (void)thread;
  const split_t *s = ctx;
  int64_t lo = index * s->per_thread, hi = min64(s->count, lo + s->per_thread);
  if (lo < hi)
    s->task(s->ctx, lo, hi);
}

static void split(int64_t count, void (*task)(void *, int64_t, int64_t), void *ctx) {
  int64_t threads = ds_thread_count();
  if (threads <= 1 || count < 2) {
    task(ctx, 0, count);
    return;
  }
  split_t s = {task, ctx, count, (count + threads - 1) / threads};
  ds_parallel_for((count + s.per_thread - 1) / s.per_thread, run_range, &s);
}

/* B^T along one dimension: o[s * os] from d[s * ds], s < m + 2. */
static inline __attribute__((always_inline)) void
bt(int m, const vf *d, int ds, vf *o, int os) {
  if (m == 2) { /* [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1] */
    vf d0 = d[0], d1 = d[ds], d2 = d[2 * ds], d3 = d[3 * ds];
    o[0] = d0 - d2;
    o[os] = d1 + d2;
    o[2 * os] = d2 - d1;
    o[3 * os] = d1 - d3;
    return;
  }
  /* [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0;
   *  0 2 -1 -2 1 0; 0 4 0 -5 0 1] */
  vf d0 = d[0], d1 = d[ds], d2 = d[2 * ds], d3 = d[3 * ds], d4 = d[4 * ds],
     d5 = d[5 * ds];
  vf s = d4 - 4.0f * d2, t = d3 - 4.0f * d1, u = d4 - d2, w = 2.0f * (d3 - d1);
  o[0] = 4.0f * d0 - 5.0f * d2 + d4;
  o[os] = s + t;
  o[2 * os] = s - t;
  o[3 * os] = u + w;
  o[4 * os] = u - w;
  o[5 * os] = 4.0f * d1 - 5.0f * d3 + d5;
}

/* A^T along one dimension: o[s * os], s < m, from e[s * es], s < m + 2. */
static inline __attribute__((always_inline)) void
at(int m, const vf *e, int es, vf *o, int os) {
  vf e0 = e[0], e1 = e[es], e2 = e[2 * es], e3 = e[3 * es];
  if (m == 2) { /* [1 1 1 0; 0 1 -1 -1] */
    o[0] = e0 + e1 + e2;
    o[os] = e1 - e2 - e3;
    return;
  }
  /* [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1] */
  vf e4 = e[4 * es], e5 = e[5 * es];
  vf p = e1 + e2, q = e1 - e2, r = e3 + e4, s = e3 - e4;
  o[0] = e0 + p + r;
  o[os] = q + 2.0f * s;
  o[2 * os] = p + 4.0f * r;
  o[3 * os] = q + 8.0f * s + e5;
}

/*===-- Input: V = B^T d B ------------------------------------------------===*/

typedef struct input_t {
  int64_t m, th, tw, h, w, top, left; /* tile; tiles; the image, padding */
  const float *x;
  int64_t x_cs, x_rs;
  float *v;
  int64_t channels;
} input_t;

static inline __attribute__((always_inline)) void
input_range(const input_t *p, int64_t c0, int64_t c1, int m) {
  int a = m + 2;
  int64_t tiles = p->th * p->tw;
  for (int64_t c = c0; c < c1; ++c) {
    const float *x = p->x + c * p->x_cs;
    float *v = p->v + c * tiles;
    for (int64_t ty = 0; ty < p->th; ++ty)
      for (int64_t tx = 0; tx < p->tw; tx += VL) {
        /* d[i][j]: column j of the VL tiles' row i, that is padded
         * columns m (tx + t) + j of padded row m ty + i: image column
         * x0 + m t + j, zero outside the image. Two windows of m VL
         * columns, from x0 and from x0 + m, hold them all. */
        int64_t x0 = m * tx - p->left;
        vf d[MAXA][MAXA], r[MAXA][MAXA], o[MAXA][MAXA];
        for (int i = 0; i < a; ++i) {
          int64_t y = m * ty + i - p->top;
          int inside = y >= 0 && y < p->h;
          /* Masked-off lanes are not read (row + x0 may point before
           * the row) and are zero. */
          const float *row = x + y * p->x_rs + x0;
          if (m == 2) {
            vf2 lo = inside ? __builtin_masked_load(lanes2(-x0, p->w - x0), row, (vf2){0})
                            : (vf2){0};
            vf2 hi = inside ? __builtin_masked_load(lanes2(-x0 - 2, p->w - x0 - 2),
                                                    row + 2, (vf2){0})
                            : (vf2){0};
            d[i][0] = PHASE2(lo, 0);
            d[i][1] = PHASE2(lo, 1);
            d[i][2] = PHASE2(hi, 0);
            d[i][3] = PHASE2(hi, 1);
          } else {
            vf4 lo = inside ? __builtin_masked_load(lanes4(-x0, p->w - x0), row, (vf4){0})
                            : (vf4){0};
            vf4 hi = inside ? __builtin_masked_load(lanes4(-x0 - 4, p->w - x0 - 4),
                                                    row + 4, (vf4){0})
                            : (vf4){0};
            d[i][0] = PHASE4(lo, 0);
            d[i][1] = PHASE4(lo, 1);
            d[i][2] = PHASE4(lo, 2);
            d[i][3] = PHASE4(lo, 3);
            d[i][4] = PHASE4(hi, 0);
            d[i][5] = PHASE4(hi, 1);
          }
          bt(m, d[i], 1, r[i], 1);
        }
        for (int j = 0; j < a; ++j)
          bt(m, &r[0][j], MAXA, &o[0][j], MAXA);
        mask_t n = lanes(p->tw - tx);
        float *out = v + ty * p->tw + tx;
        for (int i = 0; i < a; ++i)
          for (int j = 0; j < a; ++j)
            __builtin_masked_store(n, o[i][j], out + (a * i + j) * p->channels * tiles);
      }
  }
}

static void input_channels(void *ctx, int64_t c0, int64_t c1) {
  const input_t *p = ctx;
  if (p->m == 4)
    input_range(p, c0, c1, 4);
  else
    input_range(p, c0, c1, 2);
}

/* V[e][c][t] (contiguous, e = (m + 2) a + b, t = ty * tw + tx) =
 * (B^T d B)[a][b] for the (m + 2)^2 tile d at row m ty, column m tx of
 * channel c of the image x (h x w, element (c, y, x) at offset_x + c *
 * cs_x + y * rs_x + x) padded with `top` rows and `left` columns of zeros,
 * and with zeros past its other edges; m is 2 or 4. */
void ds_kernel_winograd_input(int64_t m, int64_t channels, int64_t th,
                              int64_t tw, int64_t h, int64_t w, int64_t top,
                              int64_t left, const float *x, int64_t offset_x,
                              int64_t cs_x, int64_t rs_x, float *v,
                              int64_t offset_v) {
  input_t p = {m,    th,           tw,   h,    w,           top,
               left, x + offset_x, cs_x, rs_x, v + offset_v, channels};
  split(channels, input_channels, &p);
}

/*===-- Output: Y = activation(start + A^T M A) ---------------------------===*/

typedef struct output_t {
  int64_t m, th, tw, oh, ow, filters;
  const float *mm;
  float *y;
  int64_t y_cs, y_rs;
  float lo, hi;
  int64_t silu, start;
  const float *bias;
  int64_t bias_cs, bias_ps;
  const float *res; /* may be y itself (gemm.c's start_t) */
  int64_t res_cs, res_ps;
} output_t;

static inline __attribute__((always_inline)) void
output_range(const output_t *p, int64_t f0, int64_t f1, int m) {
  int a = m + 2;
  int64_t tiles = p->th * p->tw;
  int clamp = p->lo > -__builtin_inff() || p->hi < __builtin_inff();
  int silu = p->silu;
  for (int64_t f = f0; f < f1; ++f) {
    const float *mm = p->mm + f * tiles;
    float *y = p->y + f * p->y_cs;
    for (int64_t ty = 0; ty < p->th; ++ty)
      for (int64_t tx = 0; tx < p->tw; tx += VL) {
        mask_t n = lanes(p->tw - tx);
        vf e[MAXA][MAXA], r[MAXA][MAXA], o[MAXA][MAXA];
        for (int i = 0; i < a; ++i)
          for (int j = 0; j < a; ++j)
            e[i][j] = __builtin_masked_load(
                n, mm + (a * i + j) * p->filters * tiles + ty * p->tw + tx, (vf){0});
        for (int j = 0; j < a; ++j)
          at(m, &e[0][j], MAXA, &r[0][j], MAXA);
        for (int i = 0; i < m; ++i)
          at(m, r[i], 1, o[i], 1);
        for (int i = 0; i < m; ++i) {
          int64_t oy = m * ty + i;
          if (oy >= p->oh)
            break;
          /* Row oy, columns x0 .. x0 + m VL - 1: tile t's m outputs
           * side by side. */
          vf4 v = m == 2 ? widen(ZIP(o[i][0], o[i][1]))
                         : ZIP32(ZIP(o[i][0], o[i][2]), ZIP(o[i][1], o[i][3]));
          int64_t x0 = m * tx, pixel = oy * p->ow + x0;
          int64_t width = min64(m * VL, p->ow - x0);
          mask4_t cols = lanes4(0, width);
          float *dst = y + oy * p->y_rs + x0;
          /* The start of these columns: Y's own values, or bias + residual
           * (a broadcast bias and a contiguous residual in vectors). */
          if (!p->start) {
            v += __builtin_masked_load(cols, dst, (vf4){0});
          } else {
            if (p->bias && p->bias_ps == 0)
              v += p->bias[f * p->bias_cs];
            else if (p->bias)
              for (int j = 0; j < width; ++j)
                v[j] += p->bias[f * p->bias_cs + (pixel + j) * p->bias_ps];
            if (p->res && p->res_ps == 1)
              v += __builtin_masked_load(cols, p->res + f * p->res_cs + pixel, (vf4){0});
            else if (p->res)
              for (int j = 0; j < width; ++j)
                v[j] += p->res[f * p->res_cs + (pixel + j) * p->res_ps];
          }
          if (silu)
            v = silu_v(v);
          if (clamp) {
            /* NaN-propagating, as the unfused ReLU/Clip. */
            v = v < p->lo ? p->lo : v;
            v = v > p->hi ? p->hi : v;
          }
          __builtin_masked_store(cols, v, dst);
        }
      }
  }
}

static void output_filters(void *ctx, int64_t f0, int64_t f1) {
  const output_t *p = ctx;
  if (p->m == 4)
    output_range(p, f0, f1, 4);
  else
    output_range(p, f0, f1, 2);
}

/* Y (filters x oh x ow, element (f, y, x) at offset_y + f * cs_y + y * rs_y
 * + x) = start + (A^T M A)[a][b] at row m ty + a, column m tx + b, for M
 * as ds_kernel_winograd_input lays out V (filters for channels), then
 * through a SiLU if `act` is 1, then clamped to [lo, hi]. `start` 0: Y's
 * own values; otherwise bit 1 adds the bias and bit 2 the residual, each
 * read at (f, pixel y * ow + x) through a filter and a pixel stride (0
 * broadcasts), as gemm.c's starts. */
void ds_kernel_winograd_output(int64_t m, int64_t filters, int64_t th,
                               int64_t tw, int64_t oh, int64_t ow,
                               const float *mm, int64_t offset_m, float *y,
                               int64_t offset_y, int64_t cs_y, int64_t rs_y,
                               float lo, float hi, int64_t act,
                               int64_t start, const float *bias,
                               int64_t offset_bias,
                               int64_t cs_bias, int64_t ps_bias,
                               const float *res, int64_t offset_res,
                               int64_t cs_res, int64_t ps_res) {
  output_t p = {m, th, tw, oh, ow, filters, mm + offset_m, y + offset_y, cs_y, rs_y,
                lo, hi, act == 1, start,
                start & 2 ? bias + offset_bias : 0, cs_bias, ps_bias,
                start & 4 ? res + offset_res : 0, cs_res, ps_res};
  split(filters, output_filters, &p);
}
