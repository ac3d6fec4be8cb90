/*===- copy.c - the strided copy kernel -----------------------------------===*
 *
 * dst = src over a box of up to five dimensions, each side with its own
 * element strides: im2col's patches, padded copies, transposes, slices.
 * The compiled model reaches most of its buffers as views of one arena, so
 * LLVM cannot tell source and destination apart and leaves such loops
 * scalar; here they are separate restrict pointers, and the innermost
 * loop vectorizes (with de-interleaving loads for stride 2). Large copies
 * are split over the runtime's threads along the two outermost dimensions
 * longer than one.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

enum { RANK = 5 };

extern int ds_thread_count(void);
extern void ds_parallel_for(int64_t count,
                            void (*task)(void *ctx, int64_t index, int64_t thread),
                            void *ctx);

typedef struct copy_t {
  const float *src;
  float *dst;
  int64_t size[RANK], src_stride[RANK], dst_stride[RANK];
  int64_t per_task; /* of dimensions 0 and 1 together */
} copy_t;

static void row(float *restrict d, const float *restrict s, int64_t n,
                int64_t ds, int64_t ss) {
  if (ds == 1 && ss == 1)
    for (int64_t x = 0; x < n; ++x)
      d[x] = s[x];
  else if (ds == 1 && ss == 2)
    for (int64_t x = 0; x < n; ++x)
      d[x] = s[2 * x];
  else
    for (int64_t x = 0; x < n; ++x)
      d[x * ds] = s[x * ss];
}

static void task(void *ctx, int64_t index, int64_t thread) {
  (void)thread;
  const copy_t *c = ctx;
  int64_t outer = c->size[0] * c->size[1], begin = index * c->per_task;
  int64_t end = begin + c->per_task < outer ? begin + c->per_task : outer;
  for (int64_t ab = begin; ab < end; ++ab) {
    int64_t a = ab / c->size[1], b = ab % c->size[1];
    for (int64_t i = 0; i < c->size[2]; ++i)
      for (int64_t j = 0; j < c->size[3]; ++j) {
        const float *s = c->src + a * c->src_stride[0] + b * c->src_stride[1] +
                         i * c->src_stride[2] + j * c->src_stride[3];
        float *d = c->dst + a * c->dst_stride[0] + b * c->dst_stride[1] +
                   i * c->dst_stride[2] + j * c->dst_stride[3];
        row(d, s, c->size[4], c->dst_stride[4], c->src_stride[4]);
      }
  }
}

/* The entry the compiled model calls: element (i0, ..., i4) of the box
 * `n0 x ... x n4` goes from src[offset_src + sum ik * sk] to
 * dst[offset_dst + sum ik * dk]. Source and destination do not overlap. */
void ds_kernel_copy(const float *src, int64_t offset_src, float *dst,
                    int64_t offset_dst, int64_t n0, int64_t n1, int64_t n2,
                    int64_t n3, int64_t n4, int64_t s0, int64_t s1, int64_t s2,
                    int64_t s3, int64_t s4, int64_t d0, int64_t d1, int64_t d2,
                    int64_t d3, int64_t d4) {
  copy_t c = {src + offset_src, dst + offset_dst, {n0, n1, n2, n3, n4},
              {s0, s1, s2, s3, s4}, {d0, d1, d2, d3, d4}, 0};
  /* Outer dimensions of one element moved inside (they select nothing),
   * so that the outermost ones are worth splitting: an image's padded copy
   * is 1 x 1 x C x H x W. */
  for (int moved = 0; moved < RANK - 2 && c.size[0] == 1; ++moved) {
    for (int d = 0; d + 1 < RANK - 1; ++d) {
      c.size[d] = c.size[d + 1];
      c.src_stride[d] = c.src_stride[d + 1];
      c.dst_stride[d] = c.dst_stride[d + 1];
    }
    c.size[RANK - 2] = 1; /* its strides no longer matter */
  }
  int64_t outer = c.size[0] * c.size[1], threads = ds_thread_count();
  c.per_task = outer;
  /* Threads split the two outermost dimensions, which must not broadcast
   * into the destination (two threads would write the same elements). */
  if (threads > 1 && outer > 1 && (c.size[0] == 1 || c.dst_stride[0] != 0) &&
      (c.size[1] == 1 || c.dst_stride[1] != 0) &&
      n0 * n1 * n2 * n3 * n4 >= (1 << 16)) {
    c.per_task = (outer + threads - 1) / threads;
    ds_parallel_for((outer + c.per_task - 1) / c.per_task, task, &c);
  } else {
    task(&c, 0, 0);
  }
}
