//===- Passes.h - deepseek code generation passes ---------------*- C++ -*-===//

#ifndef DS_COMPILER_CODEGEN_PASSES_H
#define DS_COMPILER_CODEGEN_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::ds {

/// The mark of a loop ds-linalg-to-loops lets threads share, and of the
/// function ds-outline-parallel-loops makes of it: the multiple of
/// iterations to share out (an i64).
inline constexpr llvm::StringLiteral kParallelAttr = "ds.parallel";

#define GEN_PASS_DECL
#include "compiler/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Codegen/Passes.h.inc"

} // namespace mlir::ds

#endif // DS_COMPILER_CODEGEN_PASSES_H
