//===- DSToLinalg.cpp - the ds-to-linalg pass -------------------*- C++ -*-===//

#include "compiler/Conversion/DSToLinalg/Common.h"
#include "compiler/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#define DEBUG_TYPE "ds-to-linalg"

namespace mlir::ds {
#define GEN_PASS_DEF_CONVERTDSTOLINALGPASS
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

Type signless(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  auto element = dyn_cast<IntegerType>(
      shaped ? shaped.getElementType() : type);
  if (!element || element.isSignless())
    return type;
  auto replaced = IntegerType::get(type.getContext(), element.getWidth());
  return shaped ? Type(shaped.clone(replaced)) : Type(replaced);
}

bool isUnsigned(Type type) { return signless(type) != type; }

/// Ops whose lowering is the same for unsigned integers, or that read the
/// kUnsigned* marks.
bool lowersUnsigned(Operation *op) {
  using namespace ds;
  return isa<ConstantOp, ReshapeOp, TransposeOp, ConcatOp, FlattenOp,
             SqueezeOp, UnsqueezeOp, ExpandOp, SliceOp, TileOp, AddOp, SubOp,
             MulOp, NegOp, AndOp, OrOp, XorOp, NotOp, EqualOp, WhereOp,
             ShapeOp, DivOp, ModOp, MaxOp, MinOp, LessOp, LessOrEqualOp,
             GreaterOp, GreaterOrEqualOp, CastOp, PowOp, ClipOp, ReluOp,
             AbsOp, SignOp, BitShiftOp>(op) ||
         (isa<GatherOp, GatherElementsOp>(op) &&
          !isUnsigned(op->getOperand(1).getType()));
}

/// Sets the function type from its (single) block's argument types and
/// the return's operand types, after rewrites changed them.
void syncFunctionType(func::FuncOp func) {
  Block &entry = func.getBody().front();
  SmallVector<Type> inputs(entry.getArgumentTypes());
  SmallVector<Type> results(entry.getTerminator()->getOperandTypes());
  func.setFunctionType(FunctionType::get(func.getContext(), inputs, results));
}

/// Rewrites every unsigned integer type in `func` to the signless type of
/// its width, marking the ops that had one (kUnsignedOperands/Results).
/// Fails on an op whose lowering would get unsigned values wrong.
LogicalResult makeSignless(func::FuncOp func) {
  // Mark every op first: rewriting a result's type hides it from its users.
  bool ok = true;
  SmallVector<Operation *> marked;
  func.walk([&](Operation *op) {
    if (!isa<ds::DSDialect>(op->getDialect()))
      return;
    bool in = llvm::any_of(op->getOperandTypes(), isUnsigned);
    bool out = llvm::any_of(op->getResultTypes(), isUnsigned);
    if (!in && !out)
      return;
    if (!lowersUnsigned(op)) {
      op->emitError("cannot lower ")
          << op->getName() << " on unsigned integers yet";
      ok = false;
      return;
    }
    if (in)
      op->setAttr(ds::to_linalg::kUnsignedOperands, UnitAttr::get(op->getContext()));
    if (out)
      op->setAttr(ds::to_linalg::kUnsignedResults, UnitAttr::get(op->getContext()));
    marked.push_back(op);
  });
  for (Operation *op : marked) {
    if (auto constant = dyn_cast<ds::ConstantOp>(op)) {
      auto type = cast<ShapedType>(signless(constant.getType()));
      Attribute value = constant.getValue();
      if (auto dense = dyn_cast<DenseElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto blob = dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, blob.getRawHandle());
      op->setAttr("value", value);
    }
    for (Value result : op->getResults())
      result.setType(signless(result.getType()));
  }
  for (BlockArgument arg : func.getArguments())
    arg.setType(signless(arg.getType()));
  syncFunctionType(func);
  return success(ok);
}

/// Inputs and outputs without elements (a dimension of size 0) cross the
/// function boundary as rank-1 `tensor<0xT>`: the bare-pointer convention
/// cannot pass a buffer whose strides are 0 (`3x0`). They hold no data, so
/// only their static shape matters, and the descriptor keeps that.
void flattenEmptyIO(func::FuncOp func) {
  auto empty = [](Type t) {
    auto type = dyn_cast<RankedTensorType>(t);
    return type && type.hasStaticShape() && type.getNumElements() == 0 &&
                   type.getRank() != 1
               ? RankedTensorType::get({0}, type.getElementType())
               : RankedTensorType();
  };
  Block &entry = func.getBody().front();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  for (BlockArgument arg : func.getArguments()) {
    RankedTensorType flat = empty(arg.getType());
    if (!flat)
      continue;
    auto type = cast<RankedTensorType>(arg.getType());
    arg.setType(flat);
    Value shaped = ds::to_linalg::buildReshape(b, func.getLoc(), arg, type);
    arg.replaceAllUsesExcept(shaped, shaped.getDefiningOp());
  }
  func.walk([&](func::ReturnOp ret) {
    b.setInsertionPoint(ret);
    for (OpOperand &operand : ret->getOpOperands())
      if (RankedTensorType flat = empty(operand.get().getType()))
        operand.set(ds::to_linalg::buildReshape(b, ret.getLoc(), operand.get(), flat));
  });
  syncFunctionType(func);
}

struct ConvertDSToLinalgPass
    : public ds::impl::ConvertDSToLinalgPassBase<ConvertDSToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    if (getOperation().isExternal())
      return; // A declaration (the runtime's ds_profile_mark).
    if (failed(makeSignless(getOperation())))
      return signalPassFailure();
    flattenEmptyIO(getOperation());
    ConversionTarget target(*ctx);
    target.addIllegalDialect<ds::DSDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    RewritePatternSet patterns(ctx);
    ds::to_linalg::populateElementwisePatterns(patterns);
    ds::to_linalg::populateNNPatterns(patterns);
    ds::to_linalg::populateTensorPatterns(patterns);
    ds::to_linalg::populateResizePatterns(patterns);
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
