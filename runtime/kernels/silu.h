/*===- silu.h - x * sigmoid(x) for the kernels' epilogues ----------------===*
 *
 * A SiLU (EfficientNet's activation) the compiler fused into a kernel is
 * applied as the kernel stores its results, before any clamp. One
 * definition for every vector type the kernels use, instantiated with
 * DS_DEFINE_SILU(name, float vector type, int vector type of as many
 * lanes); a scalar path computes on a vector and takes one lane, so an
 * element gets the same value whichever path stores it.
 *
 * x / (1 + e^-x), e^-x = 2^n e^r with n = round(-x / ln 2) and |r| <= ln 2
 * / 2 (Cody-Waite reduction, Cephes's degree-6 polynomial for e^r, about 1
 * ulp), -x clamped to [-88, 88] so 2^n stays a normal float: beyond it
 * the quotient is x or 0 to float precision anyway. A NaN stays NaN; -inf
 * gives -inf (the unfused x * sigmoid(x) gives -inf * 0 = NaN there).
 *
 *===----------------------------------------------------------------------===*/

#ifndef DS_KERNELS_SILU_H
#define DS_KERNELS_SILU_H

#define DS_DEFINE_SILU(name, vf_t, vi_t)                                       \
  static inline vf_t name(vf_t x) {                                            \
    vf_t t = -x;                                                               \
    t = t < -88.0f ? -88.0f : t;                                               \
    t = t > 88.0f ? 88.0f : t;                                                 \
    vf_t n = __builtin_elementwise_roundeven(t * 1.44269504088896341f);        \
    vf_t r = t - n * 0.693359375f;                                             \
    r = r + n * 2.12194440e-4f;                                                \
    vf_t p = 1.9875691500e-4f;                                                 \
    p = p * r + 1.3981999507e-3f;                                              \
    p = p * r + 8.3334519073e-3f;                                              \
    p = p * r + 4.1665795894e-2f;                                              \
    p = p * r + 1.6666665459e-1f;                                              \
    p = p * r + 5.0000001201e-1f;                                              \
    p = p * r * r + r + 1.0f;                                                  \
    /* 2^n from its exponent bits (n is in [-127, 127]). */                   \
    vi_t bits = (__builtin_convertvector(n, vi_t) + 127) << 23;                 \
    vf_t y = x / (1.0f + p * (vf_t)bits);                                      \
    return x != x ? x : y;                                                     \
  }

#endif
