/*===- winograd.c - Winograd F(2x2, 3x3) transforms ----------------------===*
 *
 * A 3x3 stride-1 convolution as Winograd's F(2x2, 3x3) (Lavin & Gray,
 * 2015): every 2x2 block of outputs is A^T [ (G g G^T) . (B^T d B) ] A for
 * the 4x4 input tile d under it, so the 9 multiplies per output and input
 * channel of the direct convolution become 4. The compiler transforms the
 * weights (G g G^T) at compile time and runs the 16 products over the
 * channels, one per tile element e, as one batched sgemm:
 *
 *   M[e][f][t] = sum_c U[e][f][c] * V[e][c][t]
 *
 * These two kernels make V from the image and the output from M. Both
 * walk VL tiles of a tile row at a time in vectors, with masked loads and
 * stores where a vector would reach past the image (padding, the ragged
 * end of a row, an odd output size), so every tile takes the same path;
 * channels (filters) are spread over the runtime's threads. Like gemm.c, this is compiled to bitcode without target
 * features and optimized for the package's CPU.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

enum { VL = 16 };

typedef float vf __attribute__((ext_vector_type(VL)));
typedef float vf2 __attribute__((ext_vector_type(2 * VL)));

extern int ds_thread_count(void);
extern void ds_parallel_for(int64_t count,
                            void (*task)(void *ctx, int64_t index, int64_t thread),
                            void *ctx);

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Masks of the lanes lo <= j < hi for masked loads (zero elsewhere: the
 * load's pass-through operand, without which they are undefined) and
 * stores, which touch no memory outside them: the ragged ends of rows,
 * the padding, odd sizes. */
typedef _Bool mask_t __attribute__((ext_vector_type(VL)));
typedef _Bool mask2_t __attribute__((ext_vector_type(2 * VL)));
typedef int iota2_t __attribute__((ext_vector_type(2 * VL)));
static const iota2_t iota2 = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                              11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                              22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

static inline mask2_t lanes2(int64_t lo, int64_t hi) {
  lo = lo < 0 ? 0 : (lo > 2 * VL ? 2 * VL : lo);
  hi = hi < 0 ? 0 : (hi > 2 * VL ? 2 * VL : hi);
  return __builtin_convertvector(iota2 >= (int)lo & iota2 < (int)hi, mask2_t);
}
static inline mask_t lanes(int64_t n) {
  mask2_t m = lanes2(0, n);
  return __builtin_shufflevector(m, m, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                 12, 13, 14, 15);
}

/* The even and odd elements of a 2 VL vector. */
#define EVEN(v) __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
#define ODD(v) __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31)
/* Two VL vectors interleaved. */
#define ZIP(a, b)                                                              \
  __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6,   \
                          22, 7, 23, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, \
                          29, 14, 30, 15, 31)
_Static_assert(VL == 16, "the shuffles above spell out VL = 16");

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

/*===-- Input: V = B^T d B ------------------------------------------------===*/

typedef struct input_t {
  int64_t th, tw, h, w, top, left; /* tiles; the image and its padding */
  const float *x;
  int64_t x_cs, x_rs;
  float *v;
  int64_t channels;
} input_t;

/* B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1] applied to d0..d3. */
#define BT(d0, d1, d2, d3, o0, o1, o2, o3)                                     \
  do {                                                                         \
    o0 = (d0) - (d2);                                                          \
    o1 = (d1) + (d2);                                                          \
    o2 = (d2) - (d1);                                                          \
    o3 = (d1) - (d3);                                                          \
  } while (0)

static void input_channels(void *ctx, int64_t c0, int64_t c1) {
  const input_t *p = ctx;
  int64_t tiles = p->th * p->tw;
  for (int64_t c = c0; c < c1; ++c) {
    const float *x = p->x + c * p->x_cs;
    float *v = p->v + c * tiles;
    for (int64_t ty = 0; ty < p->th; ++ty)
      for (int64_t tx = 0; tx < p->tw; tx += VL) {
        /* d[i][j]: column j of the VL tiles' row i, that is padded
         * columns 2 tx + 2 t + j of padded row 2 ty + i: image column
         * x0 + 2 t + j, zero outside the image. */
        int64_t x0 = 2 * tx - p->left;
        mask2_t at0 = lanes2(-x0, p->w - x0), at2 = lanes2(-x0 - 2, p->w - x0 - 2);
        vf d[4][4];
        for (int i = 0; i < 4; ++i) {
          int64_t y = 2 * ty + i - p->top;
          vf2 lo = {0}, hi = {0};
          if (y >= 0 && y < p->h) {
            const float *row = x + y * p->x_rs;
            /* Masked-off lanes are not read (row + x0 may point before
             * the row) and are zero. */
            lo = __builtin_masked_load(at0, row + x0, (vf2){0});
            hi = __builtin_masked_load(at2, row + x0 + 2, (vf2){0});
          }
          d[i][0] = EVEN(lo);
          d[i][1] = ODD(lo);
          d[i][2] = EVEN(hi);
          d[i][3] = ODD(hi);
        }
        vf r[4][4], o[4][4];
        for (int i = 0; i < 4; ++i)
          BT(d[i][0], d[i][1], d[i][2], d[i][3], r[i][0], r[i][1], r[i][2], r[i][3]);
        for (int j = 0; j < 4; ++j)
          BT(r[0][j], r[1][j], r[2][j], r[3][j], o[0][j], o[1][j], o[2][j], o[3][j]);
        mask_t n = lanes(p->tw - tx);
        float *out = v + ty * p->tw + tx;
        for (int a = 0; a < 4; ++a)
          for (int b = 0; b < 4; ++b)
            __builtin_masked_store(n, o[a][b],
                                   (out + (4 * a + b) * p->channels * tiles));
      }
  }
}

/* V[e][c][t] (contiguous, e = 4 a + b, t = ty * tw + tx) = (B^T d B)[a][b]
 * for the 4 x 4 tile d at row 2 ty, column 2 tx of channel c of the image
 * x (h x w, element (c, y, x) at offset_x + c * cs_x + y * rs_x + x)
 * padded with `top` rows and `left` columns of zeros, and with zeros past
 * its other edges. */
void ds_kernel_winograd_input(int64_t channels, int64_t th, int64_t tw,
                              int64_t h, int64_t w, int64_t top, int64_t left,
                              const float *x, int64_t offset_x, int64_t cs_x,
                              int64_t rs_x, float *v, int64_t offset_v) {
  input_t p = {th,         tw,   h,    w,           top,     left,
               x + offset_x, cs_x, rs_x, v + offset_v, channels};
  split(channels, input_channels, &p);
}

/*===-- Output: Y = start + A^T M A, clamped ------------------------------===*/

typedef struct output_t {
  int64_t th, tw, oh, ow, filters;
  const float *m;
  float *y;
  int64_t y_cs, y_rs;
  float lo, hi;
  int64_t start;
  const float *bias;
  int64_t bias_cs, bias_ps;
  const float *res;
  int64_t res_cs, res_ps;
} output_t;

/* A^T = [1 1 1 0; 0 1 -1 -1] applied to m0..m3. */
#define AT(m0, m1, m2, m3, o0, o1)                                             \
  do {                                                                         \
    o0 = (m0) + (m1) + (m2);                                                   \
    o1 = (m1) - (m2) - (m3);                                                   \
  } while (0)

static void output_filters(void *ctx, int64_t f0, int64_t f1) {
  const output_t *p = ctx;
  int64_t tiles = p->th * p->tw;
  int clamp = p->lo > -__builtin_inff() || p->hi < __builtin_inff();
  for (int64_t f = f0; f < f1; ++f) {
    const float *m = p->m + f * tiles;
    float *y = p->y + f * p->y_cs;
    for (int64_t ty = 0; ty < p->th; ++ty)
      for (int64_t tx = 0; tx < p->tw; tx += VL) {
        mask_t n = lanes(p->tw - tx);
        vf e[4][4];
        for (int a = 0; a < 4; ++a)
          for (int b = 0; b < 4; ++b)
            e[a][b] = __builtin_masked_load(
                n, m + (4 * a + b) * p->filters * tiles + ty * p->tw + tx, (vf){0});
        vf r[2][4], o[2][2];
        for (int b = 0; b < 4; ++b)
          AT(e[0][b], e[1][b], e[2][b], e[3][b], r[0][b], r[1][b]);
        for (int a = 0; a < 2; ++a)
          AT(r[a][0], r[a][1], r[a][2], r[a][3], o[a][0], o[a][1]);
        for (int a = 0; a < 2; ++a) {
          int64_t oy = 2 * ty + a;
          if (oy >= p->oh)
            break;
          vf2 v = ZIP(o[a][0], o[a][1]);
          int64_t x0 = 2 * tx, pixel = oy * p->ow + x0;
          mask2_t cols = lanes2(0, p->ow - x0);
          float *dst = y + oy * p->y_rs + x0;
          /* The start of these columns: Y's own values, or bias + residual
           * (a broadcast bias and a contiguous residual in vectors). */
          if (!p->start) {
            v += __builtin_masked_load(cols, dst, (vf2){0});
          } else {
            if (p->bias && p->bias_ps == 0)
              v += p->bias[f * p->bias_cs];
            else if (p->bias)
              for (int j = 0; j < 2 * VL && x0 + j < p->ow; ++j)
                v[j] += p->bias[f * p->bias_cs + (pixel + j) * p->bias_ps];
            if (p->res && p->res_ps == 1)
              v += __builtin_masked_load(cols, p->res + f * p->res_cs + pixel, (vf2){0});
            else if (p->res)
              for (int j = 0; j < 2 * VL && x0 + j < p->ow; ++j)
                v[j] += p->res[f * p->res_cs + (pixel + j) * p->res_ps];
          }
          if (clamp) {
            /* NaN-propagating, as the unfused ReLU/Clip. */
            v = __builtin_elementwise_maximum(v, p->lo - (vf2){0});
            v = __builtin_elementwise_minimum(v, p->hi - (vf2){0});
          }
          __builtin_masked_store(cols, v, dst);
        }
      }
  }
}

/* Y (filters x oh x ow, element (f, y, x) at offset_y + f * cs_y + y * rs_y
 * + x) = start + (A^T M A)[a][b] at row 2 ty + a, column 2 tx + b, for M
 * as ds_kernel_winograd_input lays out V (filters for channels), then
 * clamped to [lo, hi]. `start` 0: Y's own values; otherwise bit 1 adds the
 * bias and bit 2 the residual, each read at (f, pixel y * ow + x) through
 * a filter and a pixel stride (0 broadcasts), as gemm.c's starts. */
void ds_kernel_winograd_output(int64_t filters, int64_t th, int64_t tw,
                               int64_t oh, int64_t ow, const float *m,
                               int64_t offset_m, float *y, int64_t offset_y,
                               int64_t cs_y, int64_t rs_y, float lo, float hi,
                               int64_t start, const float *bias,
                               int64_t offset_bias, int64_t cs_bias,
                               int64_t ps_bias, const float *res,
                               int64_t offset_res, int64_t cs_res,
                               int64_t ps_res) {
  output_t p = {th, tw, oh, ow, filters, m + offset_m, y + offset_y, cs_y, rs_y,
                lo, hi, start,
                start & 2 ? bias + offset_bias : 0, cs_bias, ps_bias,
                start & 4 ? res + offset_res : 0, cs_res, ps_res};
  split(filters, output_filters, &p);
}
