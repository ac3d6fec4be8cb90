//===- ShapeInference.cpp - propagate shapes through ds ops -----*- C++ -*-===//

#include "dialects/DS/IR/DSOps.h"
#include "dialects/DS/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#define DEBUG_TYPE "ds-shape-inference"

namespace mlir::ds {
#define GEN_PASS_DEF_SHAPEINFERENCEPASS
#include "dialects/DS/Transforms/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;

namespace {
struct ShapeInferencePass
    : public ds::impl::ShapeInferencePassBase<ShapeInferencePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Blocks of a graph are in SSA order, so one forward walk sees every
    // producer before its users.
    WalkResult walk = func.walk([](Operation *op) {
      return failed(refineResultTypes(op)) ? WalkResult::interrupt()
                                           : WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // The function returns what its body now computes.
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    func.setFunctionType(FunctionType::get(&getContext(),
                                           func.getArgumentTypes(),
                                           ret.getOperandTypes()));
  }
};
} // namespace
