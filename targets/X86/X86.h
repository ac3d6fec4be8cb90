//===- X86.h - x86-64 platforms ---------------------------------*- C++ -*-===//

#ifndef DS_TARGETS_X86_X86_H
#define DS_TARGETS_X86_X86_H

#include "targets/Common/Target.h"

#include <vector>

namespace mlir::ds::targets::x86 {
/// `host` (this machine's CPU and features) and `x86_64` (x86-64-v3:
/// AVX2 + FMA, portable to every x86 server since 2015).
std::vector<Target> targets();
} // namespace mlir::ds::targets::x86

#endif // DS_TARGETS_X86_X86_H
