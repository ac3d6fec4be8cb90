//===- Tensor.cpp - ds data movement and reductions to linalg ---*- C++ -*-===//

#include "compiler/Conversion/DSToLinalg/Common.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::to_linalg;

namespace {

struct ConstantPattern : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rw) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return failure();
    rw.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// Ops that only change the shape: one tensor.reshape.
template <typename OpTy>
struct ReshapeLikePattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    auto in = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
    if (!type || !type.hasStaticShape() || !in || !in.hasStaticShape())
      return rw.notifyMatchFailure(op, "needs static shapes");
    rw.replaceOp(op, buildReshape(rw, op.getLoc(), adaptor.getOperands()[0], type));
    return success();
  }
};

struct TransposePattern : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Value init = tensor::EmptyOp::create(rw, op.getLoc(), type->getShape(),
                                         type->getElementType());
    rw.replaceOp(op, linalg::TransposeOp::create(rw, op.getLoc(), adaptor.getInput(),
                                                 init, op.getPerm())
                         .getResult()[0]);
    return success();
  }
};

struct ConcatPattern : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = type->getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    Value result = tensor::EmptyOp::create(rw, loc, type->getShape(),
                                           type->getElementType());
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto t = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> offsets(rank, rw.getIndexAttr(0)), sizes,
          strides(rank, rw.getIndexAttr(1));
      offsets[axis] = rw.getIndexAttr(offset);
      for (int64_t d : t.getShape())
        sizes.push_back(rw.getIndexAttr(d));
      result = tensor::InsertSliceOp::create(rw, loc, input, result, offsets,
                                             sizes, strides);
      offset += t.getDimSize(axis);
    }
    rw.replaceOp(op, result);
    return success();
  }
};

/// Slices with positive steps are tensor.extract_slice; negative steps read
/// through index arithmetic in a linalg.generic.
struct SlicePattern : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    if (type->getNumElements() == 0) {
      // Nothing to read (and offsets into an empty dimension do not verify).
      rw.replaceOpWithNewOp<tensor::EmptyOp>(op, type->getShape(),
                                             type->getElementType());
      return success();
    }
    auto in = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = in.getRank();
    SmallVector<int64_t> start, step;
    op.getStartsAndSteps(in.getShape(), start, step);
    if (llvm::all_of(step, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t d = 0; d < rank; ++d) {
        offsets.push_back(rw.getIndexAttr(start[d]));
        sizes.push_back(rw.getIndexAttr(type->getDimSize(d)));
        strides.push_back(rw.getIndexAttr(step[d]));
      }
      rw.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, *type, adaptor.getInput(),
                                                    offsets, sizes, strides);
      return success();
    }
    Value input = adaptor.getInput();
    Value init = tensor::EmptyOp::create(rw, loc, type->getShape(), type->getElementType());
    auto generic = linalg::GenericOp::create(
        rw, loc, *type, ValueRange{}, init,
        SmallVector<AffineMap>{rw.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> idx;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            Value scaled = arith::MulIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, step[d]));
            idx.push_back(arith::AddIOp::create(b, l, scaled, arith::ConstantIndexOp::create(b, l, start[d])));
          }
          linalg::YieldOp::create(b, l, Value(tensor::ExtractOp::create(b, l, input, idx)));
        });
    rw.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct GatherPattern : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
    auto idxType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t rank = type->getRank(), dataRank = dataType.getRank();
    int64_t axis = positiveAxis(op.getAxis(), dataRank);
    int64_t idxRank = idxType.getRank();
    // Result dims: data[:axis] + indices + data[axis+1:].
    SmallVector<AffineExpr> idxExprs;
    for (int64_t d = 0; d < idxRank; ++d)
      idxExprs.push_back(rw.getAffineDimExpr(axis + d));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, idxExprs, rw.getContext()),
        rw.getMultiDimIdentityMap(rank)};
    Value data = adaptor.getData();
    Value init = tensor::EmptyOp::create(rw, loc, type->getShape(), type->getElementType());
    int64_t n = dataType.getDimSize(axis);
    auto generic = linalg::GenericOp::create(
        rw, loc, *type, adaptor.getIndices(), init, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          // Negative indices count from the end.
          Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
          Value wrapped = arith::AddIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, n));
          i = arith::SelectOp::create(b, l, neg, wrapped, i);
          SmallVector<Value> idx;
          for (int64_t d = 0; d < axis; ++d)
            idx.push_back(linalg::IndexOp::create(b, l, d));
          idx.push_back(i);
          for (int64_t d = axis + 1; d < dataRank; ++d)
            idx.push_back(linalg::IndexOp::create(b, l, d - 1 + idxRank));
          linalg::YieldOp::create(b, l, Value(tensor::ExtractOp::create(b, l, data, idx)));
        });
    rw.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ExpandPattern : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type || !type.hasStaticShape())
      return rw.notifyMatchFailure(op, "needs a static result");
    rw.replaceOp(op, buildElementwise(rw, op.getLoc(), type, adaptor.getInput(),
                                      [](OpBuilder &, Location, Type, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct ShapePattern : OpConversionPattern<ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ShapeOp op, OpAdaptor, ConversionPatternRewriter &rw) const override {
    OpFoldResult folded = op.fold(ShapeOp::FoldAdaptor({}, op));
    auto attr = dyn_cast_if_present<TypedAttr>(dyn_cast_if_present<Attribute>(folded));
    if (!attr)
      return rw.notifyMatchFailure(op, "needs static dimensions");
    rw.replaceOpWithNewOp<arith::ConstantOp>(op, attr);
    return success();
  }
};

/// A reduction: `combine` over the axes, then `finish` on the result.
template <typename OpTy>
struct ReducePattern : OpConversionPattern<OpTy> {
  ReducePattern(MLIRContext *ctx, double init, ScalarFn pre, ScalarFn combine,
                std::function<Value(OpBuilder &, Location, Type, Value, int64_t)> finish,
                bool lowestInit = false)
      : OpConversionPattern<OpTy>(ctx), init(init), pre(std::move(pre)),
        combine(std::move(combine)), finish(std::move(finish)),
        lowestInit(lowestInit) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Type e = type->getElementType();
    if (!isSupportedElement(e))
      return rw.notifyMatchFailure(op, "unsupported element type");
    Location loc = op.getLoc();
    auto in = cast<RankedTensorType>(adaptor.getInput().getType());
    Value x = adaptor.getInput();
    if (pre)
      x = buildElementwise(rw, loc, in, x, pre);
    TypedAttr initAttr = lowestInit ? lowestValue(rw, e)
                         : isFloat(e) ? TypedAttr(rw.getFloatAttr(e, init))
                                      : TypedAttr(rw.getIntegerAttr(e, int64_t(init)));
    if (lowestInit && init > 0) // max of negated: the highest value.
      initAttr = isFloat(e) ? TypedAttr(rw.getFloatAttr(e, APFloat::getInf(cast<FloatType>(e).getFloatSemantics())))
                            : TypedAttr(rw.getIntegerAttr(e, APInt::getSignedMaxValue(e.getIntOrFloatBitWidth())));
    Value r = buildReduction(rw, loc, x, op.getAxes(), op.getKeepdims(), initAttr, combine);
    int64_t count = in.getNumElements() / std::max<int64_t>(type->getNumElements(), 1);
    if (finish)
      r = buildElementwise(rw, loc, *type, r,
                           [&](OpBuilder &b, Location l, Type t, ValueRange a) {
                             return finish(b, l, t, a[0], count);
                           });
    rw.replaceOp(op, r);
    return success();
  }
  double init;
  ScalarFn pre, combine;
  std::function<Value(OpBuilder &, Location, Type, Value, int64_t)> finish;
  bool lowestInit;
};

template <typename F, typename I>
ScalarFn both() {
  return [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    if (isFloat(a[0].getType()))
      return F::create(b, l, a[0], a[1]);
    return I::create(b, l, a[0], a[1]);
  };
}

/// arg_max/arg_min: one generic with two accumulators (value, index).
template <typename OpTy, bool isMax>
struct ArgPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Location loc = op.getLoc();
    auto in = cast<RankedTensorType>(adaptor.getInput().getType());
    Type e = in.getElementType();
    if (!isFloat(e))
      return rw.notifyMatchFailure(op, "float inputs only so far");
    int64_t rank = in.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (d != axis) {
        shape.push_back(in.getDimSize(d));
        outExprs.push_back(rw.getAffineDimExpr(d));
      }
    }
    auto valType = RankedTensorType::get(shape, e);
    auto idxType = RankedTensorType::get(shape, rw.getI64Type());
    TypedAttr start = isMax ? lowestValue(rw, e)
                            : TypedAttr(rw.getFloatAttr(e, APFloat::getInf(cast<FloatType>(e).getFloatSemantics())));
    Value vals = buildFilled(rw, loc, valType, start);
    Value idxs = buildFilled(rw, loc, idxType, rw.getI64IntegerAttr(0));
    AffineMap outMap = AffineMap::get(rank, 0, outExprs, rw.getContext());
    bool last = op.getSelectLastIndex();
    auto generic = linalg::GenericOp::create(
        rw, loc, TypeRange{valType, idxType}, adaptor.getInput(), ValueRange{vals, idxs},
        SmallVector<AffineMap>{rw.getMultiDimIdentityMap(rank), outMap, outMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          auto pred = isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                            : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
          Value better = arith::CmpFOp::create(b, l, pred, a[0], a[1]);
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(b, l, ValueRange{
              arith::SelectOp::create(b, l, better, a[0], a[1]),
              arith::SelectOp::create(b, l, better, i, a[2])});
        });
    rw.replaceOp(op, buildReshape(rw, loc, generic.getResult(1), *type));
    return success();
  }
};

/// A linalg.generic over the result whose body computes each element from
/// the output indices (gathers, pads, tiles).
Value buildIndexed(OpBuilder &b, Location loc, RankedTensorType type,
                   ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                   function_ref<Value(OpBuilder &, Location, ArrayRef<Value> idx,
                                      ValueRange args)> body) {
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::GenericOp::create(
             b, loc, type, inputs, init, maps,
             SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               SmallVector<Value> idx;
               for (int64_t d = 0; d < rank; ++d)
                 idx.push_back(linalg::IndexOp::create(nb, l, d));
               linalg::YieldOp::create(nb, l, body(nb, l, idx, args.drop_back()));
             })
      .getResult(0);
}

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

struct GatherElementsPattern : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t axis = positiveAxis(op.getAxis(), dataType.getRank());
    int64_t n = dataType.getDimSize(axis);
    rw.replaceOp(op, buildIndexed(
        rw, op.getLoc(), *type, adaptor.getIndices(),
        {rw.getMultiDimIdentityMap(type->getRank())},
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx, ValueRange args) -> Value {
          Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, indexConst(b, l, 0));
          i = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, i, indexConst(b, l, n)), i);
          SmallVector<Value> at(idx);
          at[axis] = i;
          return tensor::ExtractOp::create(b, l, data, at);
        }));
    return success();
  }
};

struct TriluPattern : OpConversionPattern<TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    int64_t rank = type->getRank(), k = op.getK();
    bool upper = op.getUpper();
    rw.replaceOp(op, buildIndexed(
        rw, op.getLoc(), *type, adaptor.getInput(), {rw.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx, ValueRange args) -> Value {
          // Keep (i, j) when j - i >= k (upper) or j - i <= k (lower).
          Value diff = arith::SubIOp::create(b, l, idx[rank - 1], idx[rank - 2]);
          Value keep = arith::CmpIOp::create(
              b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
              diff, indexConst(b, l, k));
          Value zero = scalarConstant(b, l, args[0].getType(), 0);
          return arith::SelectOp::create(b, l, keep, args[0], zero);
        }));
    return success();
  }
};

struct PadPattern : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    StringRef mode = op.getMode();
    Value value = adaptor.getValue();
    rw.replaceOp(op, buildIndexed(
        rw, op.getLoc(), *type, ValueRange{}, {},
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx, ValueRange) -> Value {
          // Source index = output index - begin pad, then per mode.
          SmallVector<Value> src;
          Value inside = arith::ConstantIntOp::create(b, l, 1, 1);
          for (int64_t d = 0; d < rank; ++d) {
            int64_t dim = inType.getDimSize(d);
            Value s = arith::SubIOp::create(b, l, idx[d], indexConst(b, l, pads[d]));
            Value lo = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, s, indexConst(b, l, 0));
            Value hi = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, s, indexConst(b, l, dim));
            if (mode == "constant") {
              Value out = arith::OrIOp::create(b, l, lo, hi);
              inside = arith::AndIOp::create(b, l, inside, arith::XOrIOp::create(
                  b, l, out, arith::ConstantIntOp::create(b, l, 1, 1)));
              // Clamp so the read stays in bounds; the select drops it.
              s = arith::MaxSIOp::create(b, l, s, indexConst(b, l, 0));
              s = arith::MinSIOp::create(b, l, s, indexConst(b, l, dim - 1));
            } else if (mode == "edge") {
              s = arith::MaxSIOp::create(b, l, s, indexConst(b, l, 0));
              s = arith::MinSIOp::create(b, l, s, indexConst(b, l, dim - 1));
            } else { // reflect: -s below 0, 2 * (dim - 1) - s above dim - 1
              Value below = arith::SubIOp::create(b, l, indexConst(b, l, 0), s);
              Value above = arith::SubIOp::create(b, l, indexConst(b, l, 2 * (dim - 1)), s);
              s = arith::SelectOp::create(b, l, lo, below, arith::SelectOp::create(b, l, hi, above, s));
            }
            src.push_back(s);
          }
          Value v = tensor::ExtractOp::create(b, l, input, src);
          if (mode != "constant")
            return v;
          Value pad = value ? Value(tensor::ExtractOp::create(b, l, value, ValueRange{}))
                            : scalarConstant(b, l, v.getType(), 0);
          return arith::SelectOp::create(b, l, inside, v, pad);
        }));
    return success();
  }
};

struct TilePattern : OpConversionPattern<TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    rw.replaceOp(op, buildIndexed(
        rw, op.getLoc(), *type, ValueRange{}, {},
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx, ValueRange) -> Value {
          SmallVector<Value> src;
          for (auto [d, i] : llvm::enumerate(idx))
            src.push_back(arith::RemUIOp::create(b, l, i, indexConst(b, l, inType.getDimSize(d))));
          return tensor::ExtractOp::create(b, l, input, src);
        }));
    return success();
  }
};

struct OneHotPattern : OpConversionPattern<OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    int64_t rank = type->getRank(), depth = op.getDepth();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    SmallVector<AffineExpr> idx;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        idx.push_back(rw.getAffineDimExpr(d));
    Value values = adaptor.getValues();
    auto valuesType = cast<RankedTensorType>(values.getType());
    rw.replaceOp(op, buildIndexed(
        rw, op.getLoc(), *type, adaptor.getIndices(),
        {AffineMap::get(rank, 0, idx, rw.getContext())},
        [&](OpBuilder &b, Location l, ArrayRef<Value> at, ValueRange args) -> Value {
          Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, indexConst(b, l, 0));
          i = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, i, indexConst(b, l, depth)), i);
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, at[axis]);
          SmallVector<Value> zeros(valuesType.getRank(), indexConst(b, l, 0));
          auto element = [&](int64_t k) -> Value {
            SmallVector<Value> pos(zeros);
            pos.back() = indexConst(b, l, k);
            return tensor::ExtractOp::create(b, l, values, pos);
          };
          return arith::SelectOp::create(b, l, hit, element(1), element(0));
        }));
    return success();
  }
};

/// out[..i..] = sum of x[..j..] over j <= i (or j < i, j >= i, j > i): a
/// reduction loop j beside the output's loops.
struct CumSumPattern : OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Type e = type->getElementType();
    if (!isSupportedElement(e))
      return rw.notifyMatchFailure(op, "unsupported element type");
    Location loc = op.getLoc();
    int64_t rank = type->getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    SmallVector<AffineExpr> in, out;
    for (int64_t d = 0; d < rank; ++d) {
      in.push_back(rw.getAffineDimExpr(d == axis ? rank : d));
      out.push_back(rw.getAffineDimExpr(d));
    }
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    auto pred = reverse ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
                        : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
    Value init = buildFilled(rw, loc, *type, rw.getZeroAttr(e));
    Value r = linalg::GenericOp::create(
                  rw, loc, *type, adaptor.getInput(), init,
                  SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, in, rw.getContext()),
                                         AffineMap::get(rank + 1, 0, out, rw.getContext())},
                  iterators,
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    Value i = linalg::IndexOp::create(b, l, axis);
                    Value j = linalg::IndexOp::create(b, l, rank);
                    Value take = arith::CmpIOp::create(b, l, pred, j, i);
                    Value x = arith::SelectOp::create(b, l, take, a[0],
                                                      scalarConstant(b, l, e, 0));
                    Value sum = isFloat(e) ? Value(arith::AddFOp::create(b, l, a[1], x))
                                           : Value(arith::AddIOp::create(b, l, a[1], x));
                    linalg::YieldOp::create(b, l, sum);
                  })
                  .getResult(0);
    rw.replaceOp(op, r);
    return success();
  }
};

} // namespace

void to_linalg::populateTensorPatterns(RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add<ConstantPattern, ReshapeLikePattern<ReshapeOp>, ReshapeLikePattern<FlattenOp>,
        ReshapeLikePattern<SqueezeOp>, ReshapeLikePattern<UnsqueezeOp>,
        TransposePattern, ConcatPattern, SlicePattern, GatherPattern,
        ExpandPattern, ShapePattern, GatherElementsPattern, TriluPattern,
        PadPattern, TilePattern, OneHotPattern, CumSumPattern,
        ArgPattern<ArgMaxOp, true>,
        ArgPattern<ArgMinOp, false>>(ctx);

  auto mulF = both<arith::MulFOp, arith::MulIOp>();
  auto addF = both<arith::AddFOp, arith::AddIOp>();
  auto square = [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    if (isFloat(a[0].getType()))
      return arith::MulFOp::create(b, l, a[0], a[0]);
    return arith::MulIOp::create(b, l, a[0], a[0]);
  };
  auto absV = [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    if (isFloat(a[0].getType()))
      return math::AbsFOp::create(b, l, a[0]);
    return math::AbsIOp::create(b, l, a[0]);
  };
  auto exp = [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return math::ExpOp::create(b, l, a[0]);
  };
  auto mean = [](OpBuilder &b, Location l, Type t, Value v, int64_t n) -> Value {
    if (isFloat(t))
      return arith::DivFOp::create(b, l, v, scalarConstant(b, l, t, n));
    return arith::DivSIOp::create(b, l, v, scalarConstant(b, l, t, n));
  };
  auto log = [](OpBuilder &b, Location l, Type, Value v, int64_t) -> Value {
    return math::LogOp::create(b, l, v);
  };
  auto sqrt = [](OpBuilder &b, Location l, Type, Value v, int64_t) -> Value {
    return math::SqrtOp::create(b, l, v);
  };
  p.add(std::make_unique<ReducePattern<ReduceSumOp>>(ctx, 0, nullptr, addF, nullptr));
  p.add(std::make_unique<ReducePattern<ReduceMeanOp>>(ctx, 0, nullptr, addF, mean));
  p.add(std::make_unique<ReducePattern<ReduceProdOp>>(ctx, 1, nullptr, mulF, nullptr));
  p.add(std::make_unique<ReducePattern<ReduceMaxOp>>(
      ctx, 0, nullptr, both<arith::MaximumFOp, arith::MaxSIOp>(), nullptr, true));
  p.add(std::make_unique<ReducePattern<ReduceMinOp>>(
      ctx, 1, nullptr, both<arith::MinimumFOp, arith::MinSIOp>(), nullptr, true));
  p.add(std::make_unique<ReducePattern<ReduceL1Op>>(ctx, 0, absV, addF, nullptr));
  p.add(std::make_unique<ReducePattern<ReduceL2Op>>(ctx, 0, square, addF, sqrt));
  p.add(std::make_unique<ReducePattern<ReduceSumSquareOp>>(ctx, 0, square, addF, nullptr));
  p.add(std::make_unique<ReducePattern<ReduceLogSumOp>>(ctx, 0, nullptr, addF, log));
  p.add(std::make_unique<ReducePattern<ReduceLogSumExpOp>>(ctx, 0, exp, addF, log));
}
