//===- ARM.cpp - ARMv8 (AArch64) platforms ----------------------*- C++ -*-===//

#include "targets/ARM/ARM.h"

#include "llvm/Support/TargetSelect.h"

using namespace mlir::ds::targets;

static void initializeAArch64() {
  LLVMInitializeAArch64TargetInfo();
  LLVMInitializeAArch64Target();
  LLVMInitializeAArch64TargetMC();
  LLVMInitializeAArch64AsmPrinter();
}

std::vector<Target> arm::targets() {
  // cpuFeatures: runtime/src/cpu_features.h's names.
  auto platform = [](std::string name, std::string description,
                     std::string cpu, std::string features,
                     std::vector<std::string> cpuFeatures) {
    return Target{std::move(name), std::move(description),
                  "aarch64-unknown-linux-gnu", std::move(cpu),
                  std::move(features), 128, initializeAArch64, "aarch64",
                  {"aarch64-linux-gnu-gcc"}, /*staticLink=*/true,
                  "qemu-aarch64", "aarch64", "gcc-aarch64-linux-gnu",
                  std::move(cpuFeatures)};
  };
  return {
      platform("raspberrypi", "Raspberry Pi 4 (Cortex-A72, NEON), 64-bit OS",
               "cortex-a72", "+neon", {"asimd"}),
      platform("raspberrypi5",
               "Raspberry Pi 5 (Cortex-A76, NEON, dot product), 64-bit OS",
               "cortex-a76", "+neon,+dotprod", {"asimd", "asimddp"}),
      platform("armv8", "any ARMv8-A AArch64 Linux (NEON)", "generic",
               "+neon", {"asimd"}),
  };
}
