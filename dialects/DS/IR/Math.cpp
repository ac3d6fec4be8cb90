//===- Math.cpp - ds elementwise ops ----------------------------*- C++ -*-===//
//
// Shape inference for elementwise ops is shared (ShapeInference.cpp); this
// file holds their folders.
//
//===----------------------------------------------------------------------===//

#include "dialects/DS/IR/DSOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::ds;

/// Whether `value` is a constant splat equal to `scalar` (float or integer).
static bool isSplatOf(Attribute value, double scalar) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(value);
  if (!splat)
    return false;
  Type type = splat.getElementType();
  if (isa<FloatType>(type))
    return splat.getSplatValue<APFloat>().convertToDouble() == scalar;
  if (isa<IntegerType>(type))
    return splat.getSplatValue<APInt>().getSExtValue() ==
           static_cast<int64_t>(scalar);
  return false;
}

/// x op identity -> x, when broadcasting does not change x's type.
static OpFoldResult foldIdentity(Operation *op, ArrayRef<Attribute> operands,
                                 double identity) {
  Value result = op->getResult(0);
  for (unsigned i = 0; i < 2; ++i) {
    Value other = op->getOperand(1 - i);
    if (isSplatOf(operands[i], identity) && other.getType() == result.getType())
      return other;
  }
  return {};
}

// Verify: by shape inference. Fold:
OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(*this, adaptor.getOperands(), 0.0);
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(*this, adaptor.getOperands(), 1.0);
}

//===----------------------------------------------------------------------===//
// ClipOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult ClipOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  for (Value bound : {getMin(), getMax()}) {
    if (!bound)
      continue;
    auto type = cast<ShapedType>(bound.getType());
    if (type.getElementType() != input.getElementType())
      return emitOpError("bounds must have the input's element type");
    if (type.hasStaticShape() && type.getNumElements() != 1)
      return emitOpError("bounds must be scalars");
  }
  inferred.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// CastOp
//===----------------------------------------------------------------------===//

// Shape inference: the input's shape, the result's element type.
LogicalResult CastOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  inferred.push_back(input.clone(
      cast<ShapedType>(getType()).getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// WhereOp
//===----------------------------------------------------------------------===//

// Shape inference: all three operands broadcast together.
LogicalResult WhereOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  Type elementType = cast<ShapedType>(getLhs().getType()).getElementType();
  if (cast<ShapedType>(getRhs().getType()).getElementType() != elementType)
    return emitOpError("both branches must have the same element type");
  SmallVector<int64_t> shape;
  for (Value v : getOperands()) {
    auto type = cast<ShapedType>(v.getType());
    if (!type.hasRank()) {
      inferred.push_back(UnrankedTensorType::get(elementType));
      return success();
    }
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, type.getShape(), next))
      return emitOpError("operand shapes do not broadcast");
    shape = std::move(next);
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}
