/* Single-core FMA peak in GFLOP/s: 12 independent chains of 8-wide (AVX2)
 * or 16-wide (AVX-512) or 4-wide (NEON) fused multiply-adds, long enough to hide their latency.
 * Build: clang -O2 -march=native -mprefer-vector-width=512 fma_peak.c -o fma_peak
 * (without the last flag, clang splits 512-bit vectors on Intel's cores). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#elif defined(__AVX2__)
#define LANES 8
#else
#define LANES 4
#endif
typedef float vec __attribute__((vector_size(LANES * 4)));

int main(void) {
  vec acc[12], mul, add;
  for (int i = 0; i < LANES; ++i) {
    mul[i] = 0.999999f;
    add[i] = 1e-7f;
  }
  for (int c = 0; c < 12; ++c)
    acc[c] = mul * (float)(c + 1);
  const long iterations = 200000000;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < 12; ++c)
      acc[c] = acc[c] * mul + add;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  float sink = 0;
  for (int c = 0; c < 12; ++c)
    sink += acc[c][0];
  printf("%.1f\n", 2.0 * LANES * 12 * iterations / seconds / 1e9 + sink * 0);
  return 0;
}
