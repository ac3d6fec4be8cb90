//===- Passes.h - deepseek code generation passes ---------------*- C++ -*-===//

#ifndef DS_COMPILER_CODEGEN_PASSES_H
#define DS_COMPILER_CODEGEN_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::ds {

#define GEN_PASS_DECL
#include "compiler/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Codegen/Passes.h.inc"

} // namespace mlir::ds

#endif // DS_COMPILER_CODEGEN_PASSES_H
