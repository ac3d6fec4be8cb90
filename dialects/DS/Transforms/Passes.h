//===- Passes.h - ds graph passes -------------------------------*- C++ -*-===//

#ifndef DS_DIALECTS_DS_TRANSFORMS_PASSES_H
#define DS_DIALECTS_DS_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class DenseElementsAttr;
class Operation;
class Value;
} // namespace mlir

namespace mlir::ds {

/// The value of `op` if all its operands are constants and its static
/// result has at most `maxElements` elements.
FailureOr<DenseElementsAttr> evaluateConstant(Operation *op,
                                              int64_t maxElements);
/// Replaces `op` by a ds.constant of evaluateConstant's value and returns
/// the constant, or null if `op` does not fold.
Value foldConstantOp(Operation *op, int64_t maxElements);

#define GEN_PASS_DECL
#include "dialects/DS/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/DS/Transforms/Passes.h.inc"

} // namespace mlir::ds

#endif // DS_DIALECTS_DS_TRANSFORMS_PASSES_H
