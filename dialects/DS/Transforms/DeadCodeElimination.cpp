//===- DeadCodeElimination.cpp - remove unused ds ops -----------*- C++ -*-===//

#include "dialects/DS/IR/DSOps.h"
#include "dialects/DS/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define DEBUG_TYPE "ds-dce"

namespace mlir::ds {
#define GEN_PASS_DEF_DEADCODEELIMINATIONPASS
#include "dialects/DS/Transforms/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {
struct DeadCodeEliminationPass
    : public ds::impl::DeadCodeEliminationPassBase<DeadCodeEliminationPass> {
  void runOnOperation() override {
    Block &body = getOperation().getBody().front();
    // Backwards: erasing a user may make its producers dead in turn.
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
      if (op.use_empty() && isMemoryEffectFree(&op) &&
          !op.hasTrait<OpTrait::IsTerminator>())
        op.erase();
  }
};
} // namespace
