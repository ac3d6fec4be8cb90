//===- X86.cpp - x86-64 platforms -------------------------------*- C++ -*-===//

#include "targets/X86/X86.h"
#include "runtime/src/cpu_features.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
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
  // x86-64-v3's features, and v4's AVX-512 on top, that the runtime checks.
  std::vector<std::string> v3 = {"avx", "avx2", "bmi", "bmi2", "f16c", "fma"};
  std::vector<std::string> v4 = v3;
  v4.insert(v4.end(), {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"});
  if (host.getArch() == llvm::Triple::x86_64) {
    std::string features;
    std::vector<std::string> checked;
    const llvm::StringSet<> checkable = {
#define NAME(feature) feature,
        DS_X86_FEATURES(NAME)
#undef NAME
    };
    for (const auto &feature : llvm::sys::getHostCPUFeatures()) {
      features += (features.empty() ? "" : ",") +
                  std::string(feature.second ? "+" : "-") +
                  feature.first().str();
      if (feature.second && checkable.contains(feature.first()))
        checked.push_back(feature.first().str());
    }
    llvm::sort(checked);
    bool avx512 = llvm::is_contained(checked, "avx512f");
    std::string cpu = llvm::sys::getHostCPUName().str();
    // Intel's AVX-512 cores have two 512-bit FMA units; Zen 4 runs one
    // 512-bit FMA a cycle, and its kernels stay as they were tuned there.
    targets.push_back({"host", "this machine (" + cpu + ", all its features)",
                       host.str(), cpu, features, avx512 ? 512u : 256u,
                       initializeX86, "", {"clang-22", "cc"}, false, "",
                       "x86_64", "clang-22", checked,
                       avx512 && cpu != "znver4"});
  }
  targets.push_back({"x86_64", "portable x86-64-v3 (AVX2, FMA), Linux",
                     "x86_64-unknown-linux-gnu", "x86-64-v3", "", 256,
                     initializeX86, "", {"clang-22", "cc"}, false, "",
                     "x86_64", "clang-22", v3});
  targets.push_back({"x86_64-avx512",
                     "portable x86-64-v4 (AVX-512 F/BW/CD/DQ/VL), Linux",
                     "x86_64-unknown-linux-gnu", "x86-64-v4", "", 512,
                     initializeX86, "", {"clang-22", "cc"}, false, "",
                     "x86_64", "clang-22", v4, true});
  return targets;
}
