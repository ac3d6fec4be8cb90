//===- Resize.cpp - ds.resize to linalg.generic -----------------*- C++ -*-===//
//
// One linalg.generic over the output: each resized dimension maps its index
// back to an input coordinate (in f64, as ONNX's reference does), picks its
// taps (1 for nearest, 2 for linear, 4 for cubic) with weights, and the body
// sums the product of the weights over every combination of taps, reading
// the input with tensor.extract at edge-clamped indices.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/DSToLinalg/Common.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::to_linalg;

namespace {

struct Tap {
  Value index;  // index type, clamped to the input
  Value weight; // f64, or null for nearest
};

class ResizeBody {
public:
  ResizeBody(ResizeOp op, OpBuilder &b, Location loc)
      : op(op), b(b), loc(loc), f64(b.getF64Type()) {}

  Value f(double v) { return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v)); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }

  /// The input coordinate of output index `out` in dimension `d`.
  Value coordinate(Value out, int64_t d, int64_t inLen) {
    Value x = arith::SIToFPOp::create(
        b, loc, f64, arith::IndexCastOp::create(b, loc, b.getI64Type(), out));
    double scale = op.getScales()[d];
    // The reference uses the unrounded resized length.
    double resized = inLen * scale;
    StringRef mode = op.getCoordinateTransformationMode();
    if (mode == "asymmetric")
      return div(x, f(scale));
    if (mode == "tf_half_pixel_for_nn")
      return div(add(x, f(0.5)), f(scale));
    if (mode == "align_corners")
      return resized == 1 ? f(0) : mul(x, f((inLen - 1) / (resized - 1)));
    if (mode == "pytorch_half_pixel" && resized <= 1)
      return f(0);
    if (mode == "tf_crop_and_resize") {
      ArrayRef<double> roi = op.getRoi();
      double start = roi[d], end = roi[d + roi.size() / 2];
      if (resized <= 1)
        return f(0.5 * (start + end) * (inLen - 1));
      return add(f(start * (inLen - 1)),
                 mul(x, f((end - start) * (inLen - 1) / (resized - 1))));
    }
    // half_pixel and pytorch_half_pixel.
    return sub(div(add(x, f(0.5)), f(scale)), f(0.5));
  }

  Value clampIndex(Value i, int64_t len) {
    Value lo = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
    Value hi = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(len - 1));
    i = arith::MaxSIOp::create(b, loc, arith::MinSIOp::create(b, loc, i, hi), lo);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
  }
  Value toInt(Value x) { return arith::FPToSIOp::create(b, loc, b.getI64Type(), x); }
  Value offset(Value i, int64_t k) {
    return arith::AddIOp::create(
        b, loc, i, arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(k)));
  }

  /// The taps of dimension `d` at input coordinate `x`.
  SmallVector<Tap> taps(Value x, int64_t len) {
    StringRef mode = op.getMode();
    if (mode == "nearest") {
      StringRef rounding = op.getNearestMode();
      Value r = rounding == "floor"  ? Value(math::FloorOp::create(b, loc, x))
              : rounding == "ceil"   ? Value(math::CeilOp::create(b, loc, x))
              : rounding == "round_prefer_ceil"
                  ? Value(math::FloorOp::create(b, loc, add(x, f(0.5))))
                  : Value(math::CeilOp::create(b, loc, sub(x, f(0.5))));
      return {{clampIndex(toInt(r), len), Value()}};
    }
    Value floor = math::FloorOp::create(b, loc, x);
    Value ratio = sub(x, floor);
    Value base = toInt(floor);
    if (mode == "linear")
      return {{clampIndex(base, len), sub(f(1), ratio)},
              {clampIndex(offset(base, 1), len), ratio}};
    // Cubic: neighbors floor - 1 .. floor + 2.
    double a = op.getCubicCoeffA().convertToDouble();
    auto outer = [&](Value t) { // |t| in [1, 2]
      return sub(mul(add(mul(sub(mul(f(a), t), f(5 * a)), t), f(8 * a)), t), f(4 * a));
    };
    auto inner = [&](Value t) { // |t| in [0, 1]
      return add(mul(mul(sub(mul(f(a + 2), t), f(a + 3)), t), t), f(1));
    };
    Value rest = sub(f(1), ratio);
    SmallVector<Value> weights = {outer(add(ratio, f(1))), inner(ratio),
                                  inner(rest), outer(add(rest, f(1)))};
    SmallVector<Value> raw;
    for (int64_t k = 0; k < 4; ++k)
      raw.push_back(offset(base, k - 1));
    if (op.getExcludeOutside()) {
      // Neighbors outside the input weigh nothing; the rest renormalize.
      Value zero = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
      Value last = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(len - 1));
      Value sum = f(0);
      for (int64_t k = 0; k < 4; ++k) {
        Value inside = arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, raw[k], zero),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, raw[k], last));
        weights[k] = arith::SelectOp::create(b, loc, inside, weights[k], f(0));
        sum = add(sum, weights[k]);
      }
      for (Value &w : weights)
        w = div(w, sum);
    }
    SmallVector<Tap> result;
    for (int64_t k = 0; k < 4; ++k)
      result.push_back({clampIndex(raw[k], len), weights[k]});
    return result;
  }

  ResizeOp op;
  OpBuilder &b;
  Location loc;
  Type f64;
};

struct ResizePattern : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Type e = type->getElementType();
    bool nearest = op.getMode() == "nearest";
    if (!isSupportedElement(e) || (!nearest && !isFloat(e)))
      return rw.notifyMatchFailure(op, "interpolation needs floats");
    StringRef coordinates = op.getCoordinateTransformationMode();
    if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                             "asymmetric", "tf_half_pixel_for_nn",
                             "tf_crop_and_resize"},
                            coordinates))
      return rw.notifyMatchFailure(op, "unknown coordinate transformation");
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = type->getRank();
    bool crop = coordinates == "tf_crop_and_resize";
    Location loc = op.getLoc();
    Value init = tensor::EmptyOp::create(rw, loc, type->getShape(), e);
    SmallVector<AffineMap> maps = {rw.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rw, loc, *type, ValueRange{}, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          ResizeBody body(op, b, l);
          SmallVector<SmallVector<Tap>> taps;
          Value outside;
          for (int64_t d = 0; d < rank; ++d) {
            Value out = linalg::IndexOp::create(b, l, d);
            int64_t inLen = inType.getDimSize(d), outLen = type->getDimSize(d);
            if (!crop && inLen == outLen && op.getScales()[d] == 1.0) {
              taps.push_back({{out, Value()}});
              continue;
            }
            Value x = body.coordinate(out, d, inLen);
            if (crop) {
              Value low = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, body.f(0));
              Value high = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x,
                                                 body.f(inLen - 1));
              Value off = arith::OrIOp::create(b, l, low, high);
              outside = outside ? Value(arith::OrIOp::create(b, l, outside, off)) : off;
            }
            taps.push_back(body.taps(x, inLen));
          }
          // Sum over every combination of taps.
          Value sum = nearest ? Value() : body.f(0);
          SmallVector<int64_t> pick(rank, 0);
          while (true) {
            SmallVector<Value> at;
            Value weight;
            for (int64_t d = 0; d < rank; ++d) {
              const Tap &t = taps[d][pick[d]];
              at.push_back(t.index);
              if (t.weight)
                weight = weight ? body.mul(weight, t.weight) : t.weight;
            }
            Value v = tensor::ExtractOp::create(b, l, input, at);
            if (nearest) {
              sum = v;
              break;
            }
            v = castToF64(b, l, v);
            sum = body.add(sum, weight ? body.mul(weight, v) : v);
            int64_t d = rank - 1;
            while (d >= 0 && ++pick[d] == static_cast<int64_t>(taps[d].size()))
              pick[d--] = 0;
            if (d < 0)
              break;
          }
          if (!nearest && e != body.f64)
            sum = arith::TruncFOp::create(b, l, e, sum);
          if (outside)
            sum = arith::SelectOp::create(
                b, l, outside,
                scalarConstant(b, l, e, op.getExtrapolationValue().convertToDouble()),
                sum);
          linalg::YieldOp::create(b, l, sum);
        });
    rw.replaceOp(op, generic.getResult(0));
    return success();
  }

  static Value castToF64(OpBuilder &b, Location l, Value v) {
    if (v.getType().isF64())
      return v;
    return arith::ExtFOp::create(b, l, b.getF64Type(), v);
  }
};

} // namespace

void to_linalg::populateResizePatterns(RewritePatternSet &p) {
  p.add<ResizePattern>(p.getContext());
}
