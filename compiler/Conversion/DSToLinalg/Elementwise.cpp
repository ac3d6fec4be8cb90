//===- Elementwise.cpp - ds elementwise ops to linalg.generic ---*- C++ -*-===//
//
// Every elementwise ds op becomes one linalg.generic (buildElementwise) with
// a scalar body; this file is the table of bodies.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/DSToLinalg/Common.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::to_linalg;

namespace {

enum class Kinds { Any, FloatOnly };

template <typename OpTy>
struct ElementwisePattern : OpConversionPattern<OpTy> {
  using BodyFn = std::function<ScalarFn(OpTy)>;
  ElementwisePattern(MLIRContext *ctx, BodyFn body, Kinds kinds)
      : OpConversionPattern<OpTy>(ctx), body(std::move(body)), kinds(kinds) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    if (!isSupportedElement(type->getElementType()))
      return rw.notifyMatchFailure(op, "unsupported result element type");
    for (Value v : op->getOperands()) {
      Type element = cast<ShapedType>(v.getType()).getElementType();
      if (!isSupportedElement(element) ||
          (kinds == Kinds::FloatOnly && !isFloat(element)))
        return rw.notifyMatchFailure(op, "unsupported element type");
    }
    rw.replaceOp(op, buildElementwise(rw, op.getLoc(), *type,
                                      adaptor.getOperands(), body(op)));
    return success();
  }

  BodyFn body;
  Kinds kinds;
};

template <typename OpTy>
void add(RewritePatternSet &p, std::function<ScalarFn(OpTy)> body,
         Kinds kinds = Kinds::Any) {
  p.add(std::make_unique<ElementwisePattern<OpTy>>(p.getContext(),
                                                   std::move(body), kinds));
}
template <typename OpTy>
void add(RewritePatternSet &p, ScalarFn fn, Kinds kinds = Kinds::Any) {
  add<OpTy>(p, std::function<ScalarFn(OpTy)>([fn](OpTy) { return fn; }),
            kinds);
}

/// A float-only unary body from a math/arith op.
template <typename MathOp>
ScalarFn unaryFloat() {
  return [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    return MathOp::create(b, loc, a[0]);
  };
}

/// A binary body that picks the float or integer op.
template <typename FOp, typename IOp>
ScalarFn binaryOp() {
  return [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    if (isFloat(a[0].getType()))
      return FOp::create(b, loc, a[0], a[1]);
    return IOp::create(b, loc, a[0], a[1]);
  };
}

/// A binary body that picks the float, signed or unsigned integer op.
template <typename FOp, typename SOp, typename UOp>
std::function<ScalarFn(Operation *)> signedBinaryOp() {
  return [](Operation *op) -> ScalarFn {
    if (hasUnsignedOperands(op))
      return binaryOp<FOp, UOp>();
    return binaryOp<FOp, SOp>();
  };
}

arith::CmpIPredicate unsignedPredicate(arith::CmpIPredicate p) {
  using P = arith::CmpIPredicate;
  switch (p) {
  case P::slt: return P::ult;
  case P::sle: return P::ule;
  case P::sgt: return P::ugt;
  case P::sge: return P::uge;
  default: return p;
  }
}

ScalarFn compare(arith::CmpFPredicate f, arith::CmpIPredicate i) {
  return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    if (isFloat(a[0].getType()))
      return arith::CmpFOp::create(b, loc, f, a[0], a[1]);
    return arith::CmpIOp::create(b, loc, i, a[0], a[1]);
  };
}

/// A comparison; unsigned integers compare as such.
std::function<ScalarFn(Operation *)> compareOp(arith::CmpFPredicate f,
                                               arith::CmpIPredicate i) {
  return [=](Operation *op) -> ScalarFn {
    return compare(f, hasUnsignedOperands(op) ? unsignedPredicate(i) : i);
  };
}

Value cst(OpBuilder &b, Location loc, Value like, double v) {
  return scalarConstant(b, loc, like.getType(), v);
}

Value maxOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned = false) {
  if (isFloat(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MaxUIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value minOf(OpBuilder &b, Location loc, Value x, Value y, bool isUnsigned = false) {
  if (isFloat(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

Value lessThanZero(OpBuilder &b, Location loc, Value x) {
  if (isFloat(x.getType()))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                 cst(b, loc, x, 0));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x,
                               cst(b, loc, x, 0));
}

/// ONNX Cast between floats, integers (signless, or unsigned where
/// `fromUnsigned`/`toUnsigned` say so) and bool.
Value castScalar(OpBuilder &b, Location loc, Value x, Type to,
                 bool fromUnsigned = false, bool toUnsigned = false) {
  Type from = x.getType();
  if (from == to)
    return x;
  fromUnsigned |= from.isInteger(1);
  if (to.isInteger(1)) {
    if (isFloat(from))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   cst(b, loc, x, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 cst(b, loc, x, 0));
  }
  if (isFloat(from) && isFloat(to))
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, x))
               : Value(arith::TruncFOp::create(b, loc, to, x));
  if (isFloat(from))
    return toUnsigned ? Value(arith::FPToUIOp::create(b, loc, to, x))
                      : Value(arith::FPToSIOp::create(b, loc, to, x));
  if (isFloat(to))
    return fromUnsigned ? Value(arith::UIToFPOp::create(b, loc, to, x))
                        : Value(arith::SIToFPOp::create(b, loc, to, x));
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return fromUnsigned ? Value(arith::ExtUIOp::create(b, loc, to, x))
                        : Value(arith::ExtSIOp::create(b, loc, to, x));
  return arith::TruncIOp::create(b, loc, to, x);
}

Value floatAttrConst(OpBuilder &b, Location loc, Value like, FloatAttr a) {
  return cst(b, loc, like, a.getValueAsDouble());
}

} // namespace

void to_linalg::populateElementwisePatterns(RewritePatternSet &p) {
  using F = Kinds;
  // Unary math.
  add<ExpOp>(p, unaryFloat<math::ExpOp>(), F::FloatOnly);
  add<LogOp>(p, unaryFloat<math::LogOp>(), F::FloatOnly);
  add<SqrtOp>(p, unaryFloat<math::SqrtOp>(), F::FloatOnly);
  add<TanhOp>(p, unaryFloat<math::TanhOp>(), F::FloatOnly);
  add<ErfOp>(p, unaryFloat<math::ErfOp>(), F::FloatOnly);
  add<FloorOp>(p, unaryFloat<math::FloorOp>(), F::FloatOnly);
  add<CeilOp>(p, unaryFloat<math::CeilOp>(), F::FloatOnly);
  add<RoundOp>(p, unaryFloat<math::RoundEvenOp>(), F::FloatOnly);
  add<SinOp>(p, unaryFloat<math::SinOp>(), F::FloatOnly);
  add<CosOp>(p, unaryFloat<math::CosOp>(), F::FloatOnly);
  add<TanOp>(p, unaryFloat<math::TanOp>(), F::FloatOnly);
  add<AsinOp>(p, unaryFloat<math::AsinOp>(), F::FloatOnly);
  add<AcosOp>(p, unaryFloat<math::AcosOp>(), F::FloatOnly);
  add<AtanOp>(p, unaryFloat<math::AtanOp>(), F::FloatOnly);
  add<SinhOp>(p, unaryFloat<math::SinhOp>(), F::FloatOnly);
  add<CoshOp>(p, unaryFloat<math::CoshOp>(), F::FloatOnly);
  add<AsinhOp>(p, unaryFloat<math::AsinhOp>(), F::FloatOnly);
  add<AcoshOp>(p, unaryFloat<math::AcoshOp>(), F::FloatOnly);
  add<AtanhOp>(p, unaryFloat<math::AtanhOp>(), F::FloatOnly);
  add<AbsOp>(p, [](AbsOp op) -> ScalarFn {
    bool u = hasUnsignedOperands(op);
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      if (isFloat(a[0].getType()))
        return math::AbsFOp::create(b, loc, a[0]);
      return u ? a[0] : Value(math::AbsIOp::create(b, loc, a[0]));
    };
  });
  add<NegOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    if (isFloat(a[0].getType()))
      return arith::NegFOp::create(b, loc, a[0]);
    return arith::SubIOp::create(b, loc, cst(b, loc, a[0], 0), a[0]);
  });
  add<ReciprocalOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    return arith::DivFOp::create(b, loc, cst(b, loc, a[0], 1), a[0]);
  }, F::FloatOnly);
  add<ReluOp>(p, [](ReluOp op) -> ScalarFn {
    bool u = hasUnsignedOperands(op);
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      return maxOf(b, loc, a[0], cst(b, loc, a[0], 0), u);
    };
  });
  add<SigmoidOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, a[0]));
    Value one = cst(b, loc, a[0], 1);
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, e));
  }, F::FloatOnly);
  add<SoftplusOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    return math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, a[0]));
  }, F::FloatOnly);
  add<SoftsignOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    Value d = arith::AddFOp::create(b, loc, cst(b, loc, a[0], 1),
                                    math::AbsFOp::create(b, loc, a[0]));
    return arith::DivFOp::create(b, loc, a[0], d);
  }, F::FloatOnly);
  add<HardSwishOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    Value t = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, a[0], cst(b, loc, a[0], 1.0 / 6)),
        cst(b, loc, a[0], 0.5));
    t = minOf(b, loc, maxOf(b, loc, t, cst(b, loc, a[0], 0)), cst(b, loc, a[0], 1));
    return arith::MulFOp::create(b, loc, a[0], t);
  }, F::FloatOnly);
  add<SignOp>(p, [](SignOp op) -> ScalarFn {
    bool u = hasUnsignedOperands(op);
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value zero = cst(b, loc, a[0], 0);
      Value pos = compare(arith::CmpFPredicate::OGT,
                          u ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)(
          b, loc, {}, {a[0], zero});
      Value r = arith::SelectOp::create(b, loc, pos, cst(b, loc, a[0], 1), zero);
      if (u)
        return r;
      return arith::SelectOp::create(b, loc, lessThanZero(b, loc, a[0]),
                                     cst(b, loc, a[0], -1), r);
    };
  });
  add<NotOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    return arith::XOrIOp::create(b, loc, a[0], cst(b, loc, a[0], 1));
  });

  // Activations with parameters.
  add<LeakyReluOp>(p, [](LeakyReluOp op) -> ScalarFn {
    FloatAttr alpha = op.getAlphaAttr();
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value scaled = arith::MulFOp::create(b, loc, a[0], floatAttrConst(b, loc, a[0], alpha));
      return arith::SelectOp::create(b, loc, lessThanZero(b, loc, a[0]), scaled, a[0]);
    };
  }, F::FloatOnly);
  add<EluOp>(p, [](EluOp op) -> ScalarFn {
    FloatAttr alpha = op.getAlphaAttr();
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value e = arith::MulFOp::create(b, loc, floatAttrConst(b, loc, a[0], alpha),
                                      math::ExpM1Op::create(b, loc, a[0]));
      return arith::SelectOp::create(b, loc, lessThanZero(b, loc, a[0]), e, a[0]);
    };
  }, F::FloatOnly);
  add<CeluOp>(p, [](CeluOp op) -> ScalarFn {
    FloatAttr alpha = op.getAlphaAttr();
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value al = floatAttrConst(b, loc, a[0], alpha), zero = cst(b, loc, a[0], 0);
      Value e = arith::MulFOp::create(
          b, loc, al, math::ExpM1Op::create(b, loc, arith::DivFOp::create(b, loc, a[0], al)));
      return arith::AddFOp::create(b, loc, maxOf(b, loc, a[0], zero), minOf(b, loc, e, zero));
    };
  }, F::FloatOnly);
  add<SeluOp>(p, [](SeluOp op) -> ScalarFn {
    FloatAttr alpha = op.getAlphaAttr(), gamma = op.getGammaAttr();
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value e = arith::MulFOp::create(b, loc, floatAttrConst(b, loc, a[0], alpha),
                                      math::ExpM1Op::create(b, loc, a[0]));
      Value le = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, a[0], cst(b, loc, a[0], 0));
      return arith::MulFOp::create(b, loc, floatAttrConst(b, loc, a[0], gamma),
                                   arith::SelectOp::create(b, loc, le, e, a[0]));
    };
  }, F::FloatOnly);
  add<HardSigmoidOp>(p, [](HardSigmoidOp op) -> ScalarFn {
    FloatAttr alpha = op.getAlphaAttr(), beta = op.getBetaAttr();
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value t = arith::AddFOp::create(
          b, loc, arith::MulFOp::create(b, loc, a[0], floatAttrConst(b, loc, a[0], alpha)),
          floatAttrConst(b, loc, a[0], beta));
      return minOf(b, loc, maxOf(b, loc, t, cst(b, loc, a[0], 0)), cst(b, loc, a[0], 1));
    };
  }, F::FloatOnly);
  add<ThresholdedReluOp>(p, [](ThresholdedReluOp op) -> ScalarFn {
    FloatAttr alpha = op.getAlphaAttr();
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value gt = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, a[0],
                                       floatAttrConst(b, loc, a[0], alpha));
      return arith::SelectOp::create(b, loc, gt, a[0], cst(b, loc, a[0], 0));
    };
  }, F::FloatOnly);
  add<ClipOp>(p, [](ClipOp op) -> ScalarFn {
    bool hasMin = bool(op.getMin()), hasMax = bool(op.getMax());
    bool u = hasUnsignedOperands(op);
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      Value v = a[0];
      unsigned next = 1;
      if (hasMin)
        v = maxOf(b, loc, v, a[next++], u);
      if (hasMax)
        v = minOf(b, loc, v, a[next], u);
      return v;
    };
  });

  // Binary arithmetic.
  add<AddOp>(p, binaryOp<arith::AddFOp, arith::AddIOp>());
  add<SubOp>(p, binaryOp<arith::SubFOp, arith::SubIOp>());
  add<MulOp>(p, binaryOp<arith::MulFOp, arith::MulIOp>());
  add<DivOp>(p, signedBinaryOp<arith::DivFOp, arith::DivSIOp, arith::DivUIOp>());
  add<MaxOp>(p, signedBinaryOp<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>());
  add<MinOp>(p, signedBinaryOp<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>());
  add<BitShiftOp>(p, [](BitShiftOp op) -> ScalarFn {
    if (op.getLeft())
      return binaryOp<arith::ShLIOp, arith::ShLIOp>();
    return binaryOp<arith::ShRUIOp, arith::ShRUIOp>();
  });
  // ONNX Pow's exponent may have another type than the base; the result has
  // the base's. Integer powers of integers stay exact (math.ipowi); anything
  // involving a float is computed in floating point.
  add<PowOp>(p, [](PowOp op) -> ScalarFn {
    // Only the exponent may be unsigned where the base is a float.
    bool u = hasUnsignedOperands(op);
    return [=](OpBuilder &b, Location loc, Type out, ValueRange a) -> Value {
      Value base = a[0], exponent = a[1];
      if (!isFloat(base.getType()) && !isFloat(exponent.getType())) {
        exponent = castScalar(b, loc, exponent, base.getType(), u);
        return math::IPowIOp::create(b, loc, base, exponent);
      }
      Type compute = isFloat(base.getType()) ? base.getType() : b.getF64Type();
      Value r = math::PowFOp::create(b, loc, castScalar(b, loc, base, compute, u),
                                     castScalar(b, loc, exponent, compute, u));
      return castScalar(b, loc, r, out, false, u);
    };
  });
  add<PReluOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    Value scaled = isFloat(a[0].getType())
                       ? Value(arith::MulFOp::create(b, loc, a[0], a[1]))
                       : Value(arith::MulIOp::create(b, loc, a[0], a[1]));
    return arith::SelectOp::create(b, loc, lessThanZero(b, loc, a[0]), scaled, a[0]);
  });
  add<ModOp>(p, [](ModOp op) -> ScalarFn {
    bool fmod = op.getFmod();
    if (hasUnsignedOperands(op))
      return binaryOp<arith::RemUIOp, arith::RemUIOp>();
    return [=](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
      if (isFloat(a[0].getType()) || fmod) {
        if (isFloat(a[0].getType()))
          return arith::RemFOp::create(b, loc, a[0], a[1]);
        return arith::RemSIOp::create(b, loc, a[0], a[1]);
      }
      // The result takes the divisor's sign.
      Value r = arith::RemSIOp::create(b, loc, a[0], a[1]);
      Value zero = cst(b, loc, r, 0);
      Value nonzero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
      Value signs = arith::XOrIOp::create(b, loc, lessThanZero(b, loc, r),
                                          lessThanZero(b, loc, a[1]));
      Value fix = arith::AndIOp::create(b, loc, nonzero, signs);
      return arith::SelectOp::create(b, loc, fix,
                                     arith::AddIOp::create(b, loc, r, a[1]), r);
    };
  });

  // Comparisons and logic.
  add<EqualOp>(p, compare(arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq));
  add<LessOp>(p, compareOp(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt));
  add<LessOrEqualOp>(p, compareOp(arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle));
  add<GreaterOp>(p, compareOp(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt));
  add<GreaterOrEqualOp>(p, compareOp(arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge));
  add<AndOp>(p, binaryOp<arith::AndIOp, arith::AndIOp>());
  add<OrOp>(p, binaryOp<arith::OrIOp, arith::OrIOp>());
  add<XorOp>(p, binaryOp<arith::XOrIOp, arith::XOrIOp>());
  add<WhereOp>(p, [](OpBuilder &b, Location loc, Type, ValueRange a) -> Value {
    return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
  });
  add<CastOp>(p, [](CastOp op) -> ScalarFn {
    bool from = hasUnsignedOperands(op), to = hasUnsignedResults(op);
    return [=](OpBuilder &b, Location loc, Type type, ValueRange a) -> Value {
      return castScalar(b, loc, a[0], type, from, to);
    };
  });
}
