//===- X86.cpp - x86-64 platforms -------------------------------*- C++ -*-===//

#include "targets/X86/X86.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir::ds::targets;

static void initializeX86() {
  LLVMInitializeX86TargetInfo();
  LLVMInitializeX86Target();
  LLVMInitializeX86TargetMC();
  LLVMInitializeX86AsmPrinter();
}

std::vector<Target> x86::targets() {
  std::vector<Target> targets;
  llvm::Triple host(llvm::sys::getDefaultTargetTriple());
  if (host.getArch() == llvm::Triple::x86_64) {
    std::string features;
    bool avx512 = false;
    for (const auto &feature : llvm::sys::getHostCPUFeatures()) {
      features += (features.empty() ? "" : ",") +
                  std::string(feature.second ? "+" : "-") +
                  feature.first().str();
      avx512 |= feature.first() == "avx512f" && feature.second;
    }
    targets.push_back({"host",
                       "this machine (" + llvm::sys::getHostCPUName().str() +
                           ", all its features)",
                       host.str(), llvm::sys::getHostCPUName().str(),
                       features, avx512 ? 512u : 256u, initializeX86, "",
                       {"clang-22", "cc"}, false, "", "x86_64", "clang-22"});
  }
  targets.push_back({"x86_64", "portable x86-64-v3 (AVX2, FMA), Linux",
                     "x86_64-unknown-linux-gnu", "x86-64-v3", "", 256,
                     initializeX86, "", {"clang-22", "cc"}, false, "",
                     "x86_64", "clang-22"});
  return targets;
}
