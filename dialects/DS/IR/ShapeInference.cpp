//===- ShapeInference.cpp - shared shape inference helpers ------*- C++ -*-===//

#include "dialects/DS/IR/DSOps.h"

#include "mlir/Dialect/Traits.h"

using namespace mlir;
using namespace mlir::ds;

/// Normalizes an ONNX axis in [-rank, rank) (or [-rank, rank] when
/// `inclusive`) to [0, rank); fails with a diagnostic otherwise.
FailureOr<int64_t> mlir::ds::normalizeAxis(Operation *op, int64_t axis,
                                           int64_t rank, bool inclusive) {
  int64_t limit = inclusive ? rank + 1 : rank;
  if (axis < -rank || axis >= limit)
    return op->emitOpError("axis ")
           << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

Type mlir::ds::meetTypes(Type a, Type b) {
  if (a == b)
    return a;
  auto sa = dyn_cast<ShapedType>(a), sb = dyn_cast<ShapedType>(b);
  if (!sa || !sb || sa.getElementType() != sb.getElementType())
    return nullptr;
  if (!sb.hasRank())
    return a;
  if (!sa.hasRank())
    return b;
  if (sa.getRank() != sb.getRank())
    return nullptr;
  SmallVector<int64_t> dims;
  for (auto [x, y] : llvm::zip(sa.getShape(), sb.getShape())) {
    if (!ShapedType::isDynamic(x) && !ShapedType::isDynamic(y) && x != y)
      return nullptr;
    dims.push_back(ShapedType::isDynamic(x) ? y : x);
  }
  // Keep `a`'s encoding: inference never invents one.
  auto ra = dyn_cast<RankedTensorType>(a);
  return RankedTensorType::get(dims, sa.getElementType(),
                               ra ? ra.getEncoding() : Attribute());
}

LogicalResult mlir::ds::verifyInferredTypes(Operation *op) {
  SmallVector<Type> inferred;
  if (failed(cast<ShapeInferenceOpInterface>(op).inferResultTypes(inferred)))
    return failure();
  for (auto [result, type] : llvm::zip(op->getResults(), inferred))
    if (!meetTypes(result.getType(), type))
      return op->emitOpError("result type ")
             << result.getType() << " contradicts the inferred type " << type;
  return success();
}

FailureOr<bool> mlir::ds::refineResultTypes(Operation *op) {
  auto iface = dyn_cast<ShapeInferenceOpInterface>(op);
  if (!iface)
    return false;
  SmallVector<Type> inferred;
  if (failed(iface.inferResultTypes(inferred)))
    return failure();
  bool changed = false;
  for (auto [result, type] : llvm::zip(op->getResults(), inferred)) {
    Type refined = meetTypes(result.getType(), type);
    if (!refined)
      return op->emitOpError("result type ")
             << result.getType() << " contradicts the inferred type " << type;
    if (refined != result.getType()) {
      result.setType(refined);
      changed = true;
    }
  }
  return changed;
}

LogicalResult mlir::ds::inferSameAsOperand(Operation *op,
                                           SmallVectorImpl<Type> &inferred) {
  inferred.push_back(op->getOperand(0).getType());
  return success();
}

LogicalResult mlir::ds::inferBroadcast(Operation *op,
                                       SmallVectorImpl<Type> &inferred) {
  auto lhs = cast<ShapedType>(op->getOperand(0).getType());
  auto rhs = cast<ShapedType>(op->getOperand(1).getType());
  Type elementType = cast<ShapedType>(op->getResult(0).getType())
                         .getElementType();
  if (!lhs.hasRank() || !rhs.hasRank()) {
    inferred.push_back(UnrankedTensorType::get(elementType));
    return success();
  }
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhs.getShape(), rhs.getShape(),
                                          shape))
    return op->emitOpError("operand shapes ")
           << lhs << " and " << rhs << " do not broadcast";
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

int64_t mlir::ds::slidingWindowSize(int64_t in, int64_t kernel,
                                    int64_t stride, int64_t padBegin,
                                    int64_t padEnd, int64_t dilation,
                                    bool ceilMode) {
  if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span = in + padBegin + padEnd - ((kernel - 1) * dilation + 1);
  if (span < 0)
    return 0;
  if (!ceilMode)
    return span / stride + 1;
  int64_t out = (span + stride - 1) / stride + 1;
  // A window may not start in the end padding (ONNX and PyTorch agree).
  if ((out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

LogicalResult mlir::ds::verifyWindowAttrs(Operation *op, size_t spatialRank,
                                          ArrayRef<int64_t> strides,
                                          ArrayRef<int64_t> pads,
                                          ArrayRef<int64_t> dilations) {
  if (strides.size() != spatialRank || dilations.size() != spatialRank ||
      pads.size() != 2 * spatialRank)
    return op->emitOpError("expects ")
           << spatialRank << " strides and dilations and " << 2 * spatialRank
           << " pads for " << spatialRank << " spatial dimensions";
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return op->emitOpError("strides and dilations must be positive");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return op->emitOpError("pads must not be negative");
  return success();
}

LogicalResult mlir::ds::inferPool(Operation *op, Value input,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> pads,
                                  ArrayRef<int64_t> dilations, bool ceilMode,
                                  SmallVectorImpl<Type> &inferred) {
  auto type = cast<ShapedType>(input.getType());
  if (!type.hasRank()) {
    inferred.push_back(type);
    return success();
  }
  if (type.getRank() < 3)
    return op->emitOpError("expects an input of rank 3 or more (N, C, ...)");
  size_t spatial = type.getRank() - 2;
  if (kernel.size() != spatial)
    return op->emitOpError("expects ") << spatial << " kernel dimensions";
  if (llvm::any_of(kernel, [](int64_t k) { return k < 1; }))
    return op->emitOpError("kernel dimensions must be positive");
  if (failed(verifyWindowAttrs(op, spatial, strides, pads, dilations)))
    return failure();
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  for (size_t i = 0; i < spatial; ++i)
    shape.push_back(slidingWindowSize(type.getDimSize(i + 2), kernel[i],
                                      strides[i], pads[i], pads[i + spatial],
                                      dilations[i], ceilMode));
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult mlir::ds::inferSameWithAxis(Operation *op, Value input,
                                          int64_t axis,
                                          SmallVectorImpl<Type> &inferred) {
  auto type = cast<ShapedType>(input.getType());
  if (type.hasRank() && failed(normalizeAxis(op, axis, type.getRank())))
    return failure();
  inferred.push_back(type);
  return success();
}

LogicalResult mlir::ds::inferGlobalPool(Operation *op, Value input,
                                        SmallVectorImpl<Type> &inferred) {
  auto type = cast<ShapedType>(input.getType());
  if (!type.hasRank()) {
    inferred.push_back(type);
    return success();
  }
  if (type.getRank() < 3)
    return op->emitOpError("expects an input of rank 3 or more (N, C, ...)");
  SmallVector<int64_t> shape(type.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  inferred.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

LogicalResult mlir::ds::inferReduction(Operation *op, Value input,
                                       ArrayRef<int64_t> axes, bool keepdims,
                                       SmallVectorImpl<Type> &inferred) {
  auto type = cast<ShapedType>(input.getType());
  Type elementType =
      cast<ShapedType>(op->getResult(0).getType()).getElementType();
  if (!type.hasRank()) {
    inferred.push_back(UnrankedTensorType::get(elementType));
    return success();
  }
  int64_t rank = type.getRank();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    FailureOr<int64_t> a = normalizeAxis(op, axis, rank);
    if (failed(a))
      return failure();
    if (reduced[*a])
      return op->emitOpError("axis ") << axis << " is listed twice";
    reduced[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d])
      shape.push_back(type.getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}
