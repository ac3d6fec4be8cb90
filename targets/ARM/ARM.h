//===- ARM.h - ARMv8 (AArch64) platforms ------------------------*- C++ -*-===//

#ifndef DS_TARGETS_ARM_ARM_H
#define DS_TARGETS_ARM_ARM_H

#include "targets/Common/Target.h"

#include <vector>

namespace mlir::ds::targets::arm {
/// raspberrypi (Pi 4: Cortex-A72), raspberrypi5 (Cortex-A76 with dotprod),
/// armv8 (any AArch64 Linux): NEON everywhere, ds-run linked statically with
/// Debian's AArch64 cross toolchain.
std::vector<Target> targets();
} // namespace mlir::ds::targets::arm

#endif // DS_TARGETS_ARM_ARM_H
