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
 * / 2 (Cody-Waite reduction, Cephes's degree-6 polynomial for e^r; at most
 * 2 ulp from the correctly rounded SiLU for |x| <= 88), -x clamped to
 * [-88, 88] so 2^n stays a float (2^-127 comes out 0, and 1 + 0 is 1 as
 * 1 + e^-88 is): above 88 the quotient is x, below -88 it is x e^-88
 * (within |x| 7e-39 of the SiLU). n is rounded by adding 1.5 * 2^23 + 127,
 * which leaves n + 127 in the sum's low mantissa bits, 2^n's exponent
 * field as it stands (one FMA and two integer ops, where a round, a
 * conversion and an add were 8% slower). A NaN stays NaN (the dividend);
 * -inf gives -inf (the unfused x * sigmoid(x) gives -inf * 0 = NaN there).
 *
 *===----------------------------------------------------------------------===*/

#ifndef DS_KERNELS_SILU_H
#define DS_KERNELS_SILU_H

#define DS_DEFINE_SILU(name, vf_t, vi_t)                                       \
  static inline vf_t name(vf_t x) {                                            \
    vf_t t = -x;                                                               \
    t = t < -88.0f ? -88.0f : t;                                               \
    t = t > 88.0f ? 88.0f : t;                                                 \
    vf_t s = t * 1.44269504088896341f + (12582912.0f + 127.0f);                \
    vf_t n = s - (12582912.0f + 127.0f);                                       \
    vf_t r = t - n * 0.693359375f;                                             \
    r = r + n * 2.12194440e-4f;                                                \
    vf_t p = 1.9875691500e-4f;                                                 \
    p = p * r + 1.3981999507e-3f;                                              \
    p = p * r + 8.3334519073e-3f;                                              \
    p = p * r + 4.1665795894e-2f;                                              \
    p = p * r + 1.6666665459e-1f;                                              \
    p = p * r + 5.0000001201e-1f;                                              \
    p = p * r * r + r + 1.0f;                                                  \
    /* 2^n from its exponent field n + 127, in [0, 254]. */                   \
    vi_t bits = ((vi_t)s - 0x4B400000) << 23;                                  \
    return x / (1.0f + p * (vf_t)bits);                                        \
  }

#endif
