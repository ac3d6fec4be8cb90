//===- NN.cpp - ds neural-network ops ---------------------------*- C++ -*-===//

#include "dialects/DS/IR/DSOps.h"

#include "mlir/Dialect/Traits.h"

using namespace mlir;
using namespace mlir::ds;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Whether two dimensions may be equal (either is dynamic, or they match).
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Result element type: what the op's result already says. Inference owns
/// shapes; the element type of a conv or matmul result is chosen by whoever
/// builds it (f32 for f32, i32 accumulators or a quantized type otherwise).
static Type resultElementType(Operation *op) {
  return cast<ShapedType>(op->getResult(0).getType()).getElementType();
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult ConvOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  auto weight = cast<ShapedType>(getWeight().getType());
  Type elementType = resultElementType(*this);
  if (!input.hasRank() || !weight.hasRank()) {
    inferred.push_back(UnrankedTensorType::get(elementType));
    return success();
  }
  if (input.getRank() < 3 || input.getRank() != weight.getRank())
    return emitOpError("expects input and weight of the same rank (3 or "
                       "more), got ")
           << input << " and " << weight;
  size_t spatial = input.getRank() - 2;
  if (failed(verifyWindowAttrs(*this, spatial, getStrides(), getPads(),
                               getDilations())))
    return failure();
  int64_t group = getGroup();
  int64_t channels = input.getDimSize(1), filters = weight.getDimSize(0);
  if (group < 1)
    return emitOpError("group must be positive");
  if (!ShapedType::isDynamic(channels) &&
      !compatible(channels, weight.getDimSize(1) * group) &&
      !ShapedType::isDynamic(weight.getDimSize(1)))
    return emitOpError("input has ")
           << channels << " channels but weight expects "
           << weight.getDimSize(1) << " x group " << group;
  if (!ShapedType::isDynamic(filters) && filters % group != 0)
    return emitOpError("weight has ")
           << filters << " filters, not a multiple of group " << group;
  if (Value bias = getBias()) {
    auto biasType = cast<ShapedType>(bias.getType());
    if (biasType.hasRank() &&
        (biasType.getRank() != 1 ||
         !compatible(biasType.getDimSize(0), filters)))
      return emitOpError("bias must be 1-D with one value per filter");
  }
  SmallVector<int64_t> shape = {input.getDimSize(0), filters};
  ArrayRef<int64_t> pads = getPads();
  for (size_t i = 0; i < spatial; ++i)
    shape.push_back(slidingWindowSize(
        input.getDimSize(i + 2), weight.getDimSize(i + 2), getStrides()[i],
        pads[i], pads[i + spatial], getDilations()[i], /*ceilMode=*/false));
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult MatMulOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto lhs = cast<ShapedType>(getLhs().getType());
  auto rhs = cast<ShapedType>(getRhs().getType());
  Type elementType = resultElementType(*this);
  if (!lhs.hasRank() || !rhs.hasRank()) {
    inferred.push_back(UnrankedTensorType::get(elementType));
    return success();
  }
  if (lhs.getRank() == 0 || rhs.getRank() == 0)
    return emitOpError("operands must have rank 1 or more");
  // numpy: a 1-D lhs is a row vector, a 1-D rhs a column vector; the
  // added dimension is dropped from the result.
  SmallVector<int64_t> a(lhs.getShape()), b(rhs.getShape());
  if (a.size() == 1)
    a.insert(a.begin(), 1);
  if (b.size() == 1)
    b.push_back(1);
  int64_t k1 = a.back(), k2 = b[b.size() - 2];
  if (!compatible(k1, k2))
    return emitOpError("contraction dimensions differ: ")
           << k1 << " vs " << k2;
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(ArrayRef(a).drop_back(2),
                                          ArrayRef(b).drop_back(2), shape))
    return emitOpError("batch dimensions do not broadcast");
  if (lhs.getRank() > 1)
    shape.push_back(a[a.size() - 2]);
  if (rhs.getRank() > 1)
    shape.push_back(b.back());
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// GemmOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult GemmOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto a = cast<ShapedType>(getA().getType());
  auto b = cast<ShapedType>(getB().getType());
  Type elementType = resultElementType(*this);
  if (!a.hasRank() || !b.hasRank()) {
    inferred.push_back(RankedTensorType::get({kDynamic, kDynamic},
                                             elementType));
    return success();
  }
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOpError("expects 2-D A and B, got ") << a << " and " << b;
  int64_t m = a.getDimSize(getTransA() ? 1 : 0);
  int64_t ka = a.getDimSize(getTransA() ? 0 : 1);
  int64_t kb = b.getDimSize(getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(getTransB() ? 0 : 1);
  if (!compatible(ka, kb))
    return emitOpError("contraction dimensions differ: ")
           << ka << " vs " << kb;
  SmallVector<int64_t> shape = {m, n};
  if (Value c = getC()) {
    auto cType = cast<ShapedType>(c.getType());
    SmallVector<int64_t> broadcast;
    if (cType.hasRank() &&
        (cType.getRank() > 2 ||
         !OpTrait::util::getBroadcastedShape(shape, cType.getShape(),
                                             broadcast) ||
         !compatible(broadcast[0], m) || !compatible(broadcast[1], n)))
      return emitOpError("C of type ")
             << cType << " does not broadcast to [" << m << ", " << n << "]";
  }
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult BatchNormOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  int64_t channels =
      input.hasRank() && input.getRank() >= 2 ? input.getDimSize(1) : kDynamic;
  if (input.hasRank() && input.getRank() < 2)
    return emitOpError("expects an input of rank 2 or more (N, C, ...)");
  for (Value param : {getScale(), getBias(), getMean(), getVariance()}) {
    auto type = cast<ShapedType>(param.getType());
    if (type.hasRank() &&
        (type.getRank() != 1 || !compatible(type.getDimSize(0), channels)))
      return emitOpError("scale, bias, mean and variance must be 1-D with "
                         "one value per channel");
  }
  inferred.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// LayerNormOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult LayerNormOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  if (input.hasRank()) {
    FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), input.getRank());
    if (failed(axis))
      return failure();
    ArrayRef<int64_t> normalized = input.getShape().drop_front(*axis);
    for (Value param : {getScale(), getBias()}) {
      if (!param)
        continue;
      auto type = cast<ShapedType>(param.getType());
      SmallVector<int64_t> shape;
      if (type.hasRank() &&
          (type.getRank() > static_cast<int64_t>(normalized.size()) ||
           !OpTrait::util::getBroadcastedShape(normalized, type.getShape(),
                                               shape) ||
           shape.size() != normalized.size()))
        return emitOpError("scale and bias must broadcast to the normalized "
                           "dimensions");
    }
  }
  inferred.push_back(input);
  return success();
}
