//===- Passes.h - ds graph passes -------------------------------*- C++ -*-===//

#ifndef DS_DIALECTS_DS_TRANSFORMS_PASSES_H
#define DS_DIALECTS_DS_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::ds {

#define GEN_PASS_DECL
#include "dialects/DS/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/DS/Transforms/Passes.h.inc"

} // namespace mlir::ds

#endif // DS_DIALECTS_DS_TRANSFORMS_PASSES_H
