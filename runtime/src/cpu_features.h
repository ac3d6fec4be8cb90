/*===- cpu_features.h - the CPU features a package can require ----------===*
 *
 * A package's code may use any instruction its platform allows; a CPU
 * without one would stop it with SIGILL. The compiler writes the features
 * a platform needs into the model's descriptor (ds_model_desc_t's
 * cpu_features), by these names, and ds_model_create checks them first.
 * Shared by the runtime (which checks each with __builtin_cpu_supports or
 * the kernel's hwcaps) and the compiler (which requires, for the host
 * platform, those of the host's features that are listed here), so that
 * every name the compiler writes is one the runtime can check.
 *
 * X(name): x86-64 features, named as both LLVM and __builtin_cpu_supports
 * name them.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DS_CPU_FEATURES_H
#define DS_CPU_FEATURES_H

#define DS_X86_FEATURES(X)                                                     \
  X("avx") X("avx2") X("fma") X("f16c") X("bmi") X("bmi2") X("avx512f")        \
  X("avx512bw") X("avx512cd") X("avx512dq") X("avx512vl") X("avx512ifma")      \
  X("avx512vbmi") X("avx512vbmi2") X("avx512vnni") X("avx512bitalg")           \
  X("avx512vpopcntdq") X("avx512bf16") X("gfni") X("vaes") X("vpclmulqdq")

/* X(name, hwcap bit): AArch64 features, named as in /proc/cpuinfo, with
 * their AT_HWCAP bit (asm/hwcap.h). */
#define DS_AARCH64_FEATURES(X)                                                 \
  X("asimd", 1) X("asimddp", 20)

#endif
