//===- Target.h - what deepseek needs to know about a target ----*- C++ -*-===//
//
// One small description per deploy platform. A new architecture is a new
// folder under targets/ that registers its platforms here; nothing outside
// targets/ tests for an architecture.
//
//===----------------------------------------------------------------------===//

#ifndef DS_TARGETS_COMMON_TARGET_H
#define DS_TARGETS_COMMON_TARGET_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace mlir::ds::targets {

struct Target {
  std::string platform;    // --platform name: host, x86_64, raspberrypi, ...
  std::string description; // one line for --list-platforms
  std::string triple;      // LLVM target triple
  std::string cpu;         // LLVM CPU name
  std::string features;    // LLVM feature string, "+avx2,+fma"
  unsigned vectorBits;     // widest native vector register
  /// Initializes LLVM's back end for this architecture (idempotent).
  void (*initializeLLVM)();
  /// The runtime built for this architecture: build/lib/<runtimeArch>/
  /// ("" for the host's own build/lib).
  std::string runtimeArch;
  /// C compilers that link ds-run for it, first found wins.
  std::vector<std::string> linkers;
  /// Link ds-run statically (boards with another glibc).
  bool staticLink;
  /// Runs its programs on this machine when it is another architecture
  /// ("" if none is needed).
  std::string emulator;
  /// `uname -m` of machines that run it natively.
  std::string machine;
  /// What to apt install when the linker is missing.
  std::string toolchainPackage;
  /// The CPU features its code needs, by runtime/src/cpu_features.h's
  /// names: written into the model's descriptor, checked before it runs.
  std::vector<std::string> cpuFeatures;
  /// The sgemm kernel's two-panel tiles (ds_kernel_wide_tiles): cores with
  /// two 512-bit FMA units, whose latency one 6 x 16 tile's six chains of
  /// FMAs cannot hide.
  bool wideTiles = false;
};

/// Every platform of every architecture folder.
llvm::ArrayRef<Target> allTargets();
/// The platform named `name`, or null.
const Target *lookupTarget(llvm::StringRef name);

/// Translates a module in the LLVM dialect to LLVM IR, links in the
/// micro-kernels it calls from the bitcode file `kernels` (if not empty),
/// optimizes it all at O3 for `target`, and returns the object file's bytes.
llvm::Expected<llvm::SmallVector<char, 0>>
emitObject(mlir::ModuleOp module, const Target &target,
           llvm::StringRef kernels = "");

} // namespace mlir::ds::targets

#endif // DS_TARGETS_COMMON_TARGET_H
