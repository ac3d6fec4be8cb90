//===- Common.cpp - helpers shared by the ds -> linalg patterns -*- C++ -*-===//

#include "compiler/Conversion/DSToLinalg/Common.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::to_linalg;

FailureOr<RankedTensorType>
to_linalg::staticResultType(Operation *op, ConversionPatternRewriter &rw) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.hasStaticShape())
    return rw.notifyMatchFailure(op, "needs a static result shape");
  for (Value operand : op->getOperands()) {
    auto t = dyn_cast<RankedTensorType>(operand.getType());
    if (!t || !t.hasStaticShape())
      return rw.notifyMatchFailure(op, "needs static operand shapes");
  }
  return type;
}

Value to_linalg::buildElementwise(OpBuilder &b, Location loc,
                                  RankedTensorType resultType,
                                  ValueRange operands, const ScalarFn &fn) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    auto type = cast<RankedTensorType>(operand.getType());
    SmallVector<AffineExpr> exprs;
    int64_t offset = rank - type.getRank();
    for (int64_t d = 0; d < type.getRank(); ++d)
      exprs.push_back(type.getDimSize(d) == 1 &&
                              resultType.getDimSize(d + offset) != 1
                          ? b.getAffineConstantExpr(0)
                          : b.getAffineDimExpr(d + offset));
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value out = fn(nb, nloc, resultType.getElementType(),
                       args.drop_back());
        linalg::YieldOp::create(nb, nloc, out);
      });
  return generic.getResult(0);
}

Value to_linalg::buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                             TypedAttr value) {
  Value empty =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value to_linalg::buildPadded(OpBuilder &b, Location loc, Value value,
                             ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                             TypedAttr padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (auto [d, l, h] : llvm::zip(type.getShape(), low, high))
    shape.push_back(d + l + h);
  auto padded = RankedTensorType::get(shape, type.getElementType());
  Value pad = arith::ConstantOp::create(b, loc, padValue);
  SmallVector<OpFoldResult> lo, hi;
  for (auto [l, h] : llvm::zip(low, high)) {
    lo.push_back(b.getIndexAttr(l));
    hi.push_back(b.getIndexAttr(h));
  }
  return tensor::PadOp::create(b, loc, padded, value, lo, hi, pad);
}

Value to_linalg::scalarConstant(OpBuilder &b, Location loc, Type type,
                                double value) {
  if (isa<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

TypedAttr to_linalg::lowestValue(Builder &b, Type type) {
  if (auto f = dyn_cast<FloatType>(type))
    return b.getFloatAttr(
        type, APFloat::getInf(f.getFloatSemantics(), /*Negative=*/true));
  auto i = cast<IntegerType>(type);
  return b.getIntegerAttr(type, APInt::getSignedMinValue(i.getWidth()));
}

Value to_linalg::buildReduction(OpBuilder &b, Location loc, Value input,
                                ArrayRef<int64_t> axes, bool keepdims,
                                TypedAttr init, const ScalarFn &combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes)
    reduced[a < 0 ? a + rank : a] = true;
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    iterators.push_back(reduced[d] ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
    if (!reduced[d]) {
      shape.push_back(type.getDimSize(d));
      outExprs.push_back(b.getAffineDimExpr(d));
    }
  }
  auto outType = RankedTensorType::get(shape, type.getElementType());
  Value acc = buildFilled(b, loc, outType, init);
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, outExprs, b.getContext())};
  Value result =
      linalg::GenericOp::create(
          b, loc, outType, input, acc, maps, iterators,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            linalg::YieldOp::create(
                nb, nloc,
                combine(nb, nloc, type.getElementType(), {args[1], args[0]}));
          })
          .getResult(0);
  if (!keepdims)
    return result;
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < rank; ++d)
    kept.push_back(reduced[d] ? 1 : type.getDimSize(d));
  return buildReshape(b, loc, result,
                      RankedTensorType::get(kept, type.getElementType()));
}

Value to_linalg::buildReshape(OpBuilder &b, Location loc, Value value,
                              RankedTensorType type) {
  if (value.getType() == type)
    return value;
  auto shapeType = RankedTensorType::get({type.getRank()}, b.getI64Type());
  Value shape = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(shapeType, type.getShape()));
  return tensor::ReshapeOp::create(b, loc, type, value, shape);
}
