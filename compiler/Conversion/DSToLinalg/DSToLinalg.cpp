//===- DSToLinalg.cpp - the ds-to-linalg pass -------------------*- C++ -*-===//

#include "compiler/Conversion/DSToLinalg/Common.h"
#include "compiler/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#define DEBUG_TYPE "ds-to-linalg"

namespace mlir::ds {
#define GEN_PASS_DEF_CONVERTDSTOLINALGPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {
struct ConvertDSToLinalgPass
    : public ds::impl::ConvertDSToLinalgPassBase<ConvertDSToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<ds::DSDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    RewritePatternSet patterns(ctx);
    ds::to_linalg::populateElementwisePatterns(patterns);
    ds::to_linalg::populateNNPatterns(patterns);
    ds::to_linalg::populateTensorPatterns(patterns);
    // Name every op that is left, with why, instead of the framework's
    // generic "failed to legalize", which is dropped here.
    LogicalResult converted = success();
    {
      ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &diag) {
        return success(StringRef(diag.str()).starts_with("failed to legalize"));
      });
      converted = applyPartialConversion(getOperation(), target,
                                         std::move(patterns));
    }
    if (failed(converted)) {
      getOperation().walk([](Operation *op) {
        if (isa<ds::DSDialect>(op->getDialect()))
          op->emitError("cannot lower to linalg yet (needs static shapes, "
                        "float or signless integer elements, and a supported "
                        "form of the op)");
      });
      signalPassFailure();
    }
  }
};
} // namespace
