//===- Extents.cpp - which bytes a buffer may occupy -------------*- C++ -*-===//

#include "compiler/Codegen/Extents.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

std::optional<ds::Extent> ds::extentOf(Value v) {
  Extent extent;
  while (true) {
    Operation *def = v.getDefiningOp();
    if (!def || isa<memref::AllocOp, memref::GetGlobalOp>(def)) {
      extent.root = v;
      return extent;
    }
    if (auto view = dyn_cast<memref::ViewOp>(def)) {
      APInt shift;
      auto type = cast<MemRefType>(view.getType());
      if (isa<BlockArgument>(view.getSource()) && type.hasStaticShape() &&
          matchPattern(view.getByteShift(), m_ConstantInt(&shift))) {
        extent.root = view.getSource();
        extent.begin = shift.getSExtValue();
        extent.end = extent.begin + type.getNumElements() *
                                        type.getElementTypeBitWidth() / 8;
        return extent;
      }
    }
    auto viewLike = dyn_cast_if_present<ViewLikeOpInterface>(def);
    if (!viewLike)
      return std::nullopt;
    v = viewLike.getViewSource();
  }
}

bool ds::mayOverlap(Value a, Value b) {
  std::optional<Extent> x = extentOf(a), y = extentOf(b);
  return !x || !y || x->overlaps(*y);
}

void ds::forEachAccess(Value buffer, llvm::function_ref<void(Operation *)> f) {
  SmallVector<Value> work = {buffer};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      auto view = dyn_cast<ViewLikeOpInterface>(use.getOwner());
      if (!view || view.getViewSource() != v) {
        f(use.getOwner());
        continue;
      }
      for (Value result : view->getResults())
        if (isa<MemRefType>(result.getType()))
          work.push_back(result);
    }
  }
}
