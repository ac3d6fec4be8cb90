//===- MarkLayers.cpp - profiler marks between layers -----------*- C++ -*-===//

#include "compiler/Codegen/Passes.h"
#include "dialects/DS/IR/DSOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#define DEBUG_TYPE "ds-mark-layers"

namespace mlir::ds {
#define GEN_PASS_DEF_MARKLAYERSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

constexpr StringLiteral kMark = "ds_profile_mark";

std::string layerName(Operation *op, unsigned index) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (isa<NameLoc>(inner))
        loc = inner;
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return (op->getName().stripDialect() + "#" + Twine(index)).str();
}

int64_t elements(Type t) {
  auto shaped = dyn_cast<ShapedType>(t);
  return shaped && shaped.hasStaticShape() ? shaped.getNumElements() : 0;
}

/// Floating-point operations of one run of `op` (multiply-adds count 2;
/// other ops one per result element).
int64_t flopsOf(Operation *op) {
  if (op->getNumResults() == 0)
    return 0;
  int64_t out = elements(op->getResult(0).getType());
  if (auto conv = dyn_cast<ds::ConvOp>(op)) {
    auto w = cast<ShapedType>(conv.getWeight().getType());
    if (!w.hasStaticShape())
      return 0;
    return 2 * out * (w.getNumElements() / w.getDimSize(0));
  }
  if (isa<ds::MatMulOp, ds::GemmOp>(op)) {
    auto lhs = cast<ShapedType>(op->getOperand(0).getType());
    if (!lhs.hasRank())
      return 0;
    bool transA = isa<ds::GemmOp>(op) && cast<ds::GemmOp>(op).getTransA();
    int64_t k = transA ? lhs.getDimSize(0) : lhs.getDimSize(lhs.getRank() - 1);
    return 2 * out * k;
  }
  return out;
}

std::string shapeOf(Operation *op) {
  if (op->getNumResults() == 0)
    return "";
  auto t = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!t)
    return "?";
  std::string s;
  for (auto [i, d] : llvm::enumerate(t.getShape()))
    s += (i ? "x" : "") + std::to_string(d);
  return s;
}

struct MarkLayersPass : public ds::impl::MarkLayersPassBase<MarkLayersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      return;
    MLIRContext *ctx = &getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    func::FuncOp mark = module.lookupSymbol<func::FuncOp>(kMark);
    if (!mark) {
      mark = func::FuncOp::create(b, module.getLoc(), kMark,
                                  b.getFunctionType({b.getI64Type()}, {}));
      mark.setPrivate();
    }
    SmallVector<Attribute> layers;
    auto call = [&](Operation *before, int64_t index) {
      b.setInsertionPoint(before);
      Value i = arith::ConstantIntOp::create(b, before->getLoc(),
                                             b.getI64Type(), index);
      func::CallOp::create(b, before->getLoc(), mark, ValueRange{i});
    };
    for (Operation &op : llvm::make_early_inc_range(main.getOps())) {
      if (!isa<ds::DSDialect>(op.getDialect()) || isa<ds::ConstantOp>(op))
        continue;
      int64_t index = layers.size();
      call(&op, index);
      layers.push_back(DictionaryAttr::get(
          ctx, {b.getNamedAttr("name", b.getStringAttr(layerName(&op, index))),
                b.getNamedAttr("op", b.getStringAttr(op.getName().stripDialect())),
                b.getNamedAttr("shape", b.getStringAttr(shapeOf(&op))),
                b.getNamedAttr("flops", b.getI64IntegerAttr(flopsOf(&op)))}));
    }
    call(main.getBody().front().getTerminator(), layers.size());
    module->setAttr("ds.layers", ArrayAttr::get(ctx, layers));
  }
};
} // namespace
