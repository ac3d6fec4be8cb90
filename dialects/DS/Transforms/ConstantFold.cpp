//===- ConstantFold.cpp - evaluate ds ops on constants ----------*- C++ -*-===//
//
// One evaluator for ds ops whose operands are all constants, used by the
// ds-constant-fold pass and by the ONNX importer (so that shape arithmetic
// becomes constants before the ops that need them are imported). Values are
// evaluated in double or int64 and converted to the result's element type;
// results above a size cap are left alone so weights are not duplicated.
//
//===----------------------------------------------------------------------===//

#include "dialects/DS/IR/DSOps.h"
#include "dialects/DS/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

#define DEBUG_TYPE "ds-constant-fold"

namespace mlir::ds {
#define GEN_PASS_DEF_CONSTANTFOLDPASS
#include "dialects/DS/Transforms/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;

namespace {

/// A constant tensor as plain numbers: floats in `f`, integers and bools in
/// `i`, row-major.
struct Values {
  SmallVector<int64_t> shape;
  bool isFloat = false;
  std::vector<double> f;
  std::vector<int64_t> i;

  int64_t size() const { return isFloat ? f.size() : i.size(); }
  double num(int64_t k) const { return isFloat ? f[k] : double(i[k]); }
};

std::optional<Values> toValues(Attribute attr) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  Values v;
  v.shape.assign(dense.getType().getShape().begin(),
                 dense.getType().getShape().end());
  Type element = dense.getElementType();
  if (isa<FloatType>(element)) {
    v.isFloat = true;
    for (const APFloat &x : dense.getValues<APFloat>())
      v.f.push_back(x.convertToDouble());
  } else if (auto intType = dyn_cast<IntegerType>(element)) {
    bool zext = intType.isUnsigned() || intType.getWidth() == 1;
    for (const APInt &x : dense.getValues<APInt>())
      v.i.push_back(zext ? int64_t(x.getZExtValue()) : x.getSExtValue());
  } else {
    return std::nullopt;
  }
  return v;
}

DenseElementsAttr toAttr(const Values &v, RankedTensorType type) {
  Type element = type.getElementType();
  if (auto floatType = dyn_cast<FloatType>(element)) {
    SmallVector<APFloat> out;
    for (int64_t k = 0; k < v.size(); ++k) {
      APFloat x(v.num(k));
      bool lost;
      x.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lost);
      out.push_back(x);
    }
    return DenseElementsAttr::get(type, out);
  }
  auto intType = cast<IntegerType>(element);
  SmallVector<APInt> out;
  for (int64_t k = 0; k < v.size(); ++k) {
    int64_t x = v.isFloat ? int64_t(std::trunc(v.f[k])) : v.i[k];
    if (intType.getWidth() == 1)
      x = x != 0;
    out.push_back(APInt(intType.getWidth(), uint64_t(x),
                        /*isSigned=*/!intType.isUnsigned(),
                        /*implicitTrunc=*/true));
  }
  return DenseElementsAttr::get(type, out);
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// For each element of `result` (row-major), the index of the element of an
/// operand of shape `shape` that numpy broadcasting reads.
std::vector<int64_t> broadcastIndex(ArrayRef<int64_t> shape,
                                    ArrayRef<int64_t> result) {
  int64_t count = 1;
  for (int64_t d : result)
    count *= d;
  SmallVector<int64_t> strides = stridesOf(shape);
  size_t offset = result.size() - shape.size();
  std::vector<int64_t> index(count);
  for (int64_t k = 0; k < count; ++k) {
    int64_t rest = k, src = 0;
    for (int64_t d = int64_t(result.size()) - 1; d >= 0; --d) {
      int64_t pos = rest % result[d];
      rest /= result[d];
      if (d >= int64_t(offset) && shape[d - offset] != 1)
        src += pos * strides[d - offset];
    }
    index[k] = src;
  }
  return index;
}

using FloatFn = double (*)(double);
using IntFn = int64_t (*)(int64_t);

std::optional<Values> unary(const Values &x, FloatFn f, IntFn i) {
  Values r = x;
  if (x.isFloat) {
    if (!f)
      return std::nullopt;
    for (double &v : r.f)
      v = f(v);
  } else {
    if (!i)
      return std::nullopt;
    for (int64_t &v : r.i)
      v = i(v);
  }
  return r;
}

/// A binary op with broadcasting. `boolResult`: comparisons.
template <typename F, typename I>
std::optional<Values> binary(const Values &a, const Values &b,
                             RankedTensorType type, F f, I i) {
  if (a.isFloat != b.isFloat)
    return std::nullopt;
  Values r;
  r.shape.assign(type.getShape().begin(), type.getShape().end());
  std::vector<int64_t> ia = broadcastIndex(a.shape, r.shape);
  std::vector<int64_t> ib = broadcastIndex(b.shape, r.shape);
  bool floatOut = isa<FloatType>(type.getElementType());
  r.isFloat = floatOut;
  for (size_t k = 0; k < ia.size(); ++k) {
    if (a.isFloat) {
      double v = f(a.f[ia[k]], b.f[ib[k]]);
      if (floatOut)
        r.f.push_back(v);
      else
        r.i.push_back(int64_t(v));
    } else {
      std::optional<int64_t> v = i(a.i[ia[k]], b.i[ib[k]]);
      if (!v)
        return std::nullopt; // e.g. division by zero: leave it to run time.
      r.i.push_back(*v);
    }
  }
  return r;
}

/// Same data, new shape (reshape, flatten, squeeze, unsqueeze).
Values reshaped(Values v, RankedTensorType type) {
  v.shape.assign(type.getShape().begin(), type.getShape().end());
  return v;
}

/// Builds a result by gathering elements of `x` at `index`.
Values gatherElements(const Values &x, ArrayRef<int64_t> shape,
                      ArrayRef<int64_t> index) {
  Values r;
  r.shape.assign(shape.begin(), shape.end());
  r.isFloat = x.isFloat;
  for (int64_t k : index) {
    if (x.isFloat)
      r.f.push_back(x.f[k]);
    else
      r.i.push_back(x.i[k]);
  }
  return r;
}

std::optional<Values> evaluate(Operation *op, ArrayRef<Values> in,
                               RankedTensorType type) {
  using OptI = std::optional<int64_t>;
  return TypeSwitch<Operation *, std::optional<Values>>(op)
      // Elementwise.
      .Case([&](NegOp) { return unary(in[0], [](double x) { return -x; }, [](int64_t x) { return -x; }); })
      .Case([&](AbsOp) { return unary(in[0], [](double x) { return std::fabs(x); }, [](int64_t x) { return x < 0 ? -x : x; }); })
      .Case([&](ReluOp) { return unary(in[0], [](double x) { return x > 0 ? x : 0.0; }, [](int64_t x) { return x > 0 ? x : int64_t(0); }); })
      .Case([&](SqrtOp) { return unary(in[0], [](double x) { return std::sqrt(x); }, nullptr); })
      .Case([&](ExpOp) { return unary(in[0], [](double x) { return std::exp(x); }, nullptr); })
      .Case([&](LogOp) { return unary(in[0], [](double x) { return std::log(x); }, nullptr); })
      .Case([&](FloorOp) { return unary(in[0], [](double x) { return std::floor(x); }, [](int64_t x) { return x; }); })
      .Case([&](CeilOp) { return unary(in[0], [](double x) { return std::ceil(x); }, [](int64_t x) { return x; }); })
      .Case([&](ReciprocalOp) { return unary(in[0], [](double x) { return 1.0 / x; }, nullptr); })
      .Case([&](NotOp) { return unary(in[0], nullptr, [](int64_t x) { return int64_t(!x); }); })
      .Case([&](SignOp) { return unary(in[0], [](double x) { return double((x > 0) - (x < 0)); }, [](int64_t x) { return int64_t((x > 0) - (x < 0)); }); })
      .Case([&](AddOp) { return binary(in[0], in[1], type, [](double a, double b) { return a + b; }, [](int64_t a, int64_t b) -> OptI { return a + b; }); })
      .Case([&](SubOp) { return binary(in[0], in[1], type, [](double a, double b) { return a - b; }, [](int64_t a, int64_t b) -> OptI { return a - b; }); })
      .Case([&](MulOp) { return binary(in[0], in[1], type, [](double a, double b) { return a * b; }, [](int64_t a, int64_t b) -> OptI { return a * b; }); })
      .Case([&](DivOp) {
        // ONNX integer division truncates toward zero, as C++ does.
        return binary(in[0], in[1], type, [](double a, double b) { return a / b; },
                      [](int64_t a, int64_t b) -> OptI { if (b == 0) return std::nullopt; return a / b; });
      })
      .Case([&](MaxOp) { return binary(in[0], in[1], type, [](double a, double b) { return std::max(a, b); }, [](int64_t a, int64_t b) -> OptI { return std::max(a, b); }); })
      .Case([&](MinOp) { return binary(in[0], in[1], type, [](double a, double b) { return std::min(a, b); }, [](int64_t a, int64_t b) -> OptI { return std::min(a, b); }); })
      .Case([&](PowOp) { return binary(in[0], in[1], type, [](double a, double b) { return std::pow(a, b); }, [](int64_t a, int64_t b) -> OptI { return int64_t(std::pow(double(a), double(b))); }); })
      .Case([&](ModOp op) -> std::optional<Values> {
        if (op.getFmod() || in[0].isFloat)
          return binary(in[0], in[1], type, [](double a, double b) { return std::fmod(a, b); }, [](int64_t a, int64_t b) -> OptI { if (b == 0) return std::nullopt; return a % b; });
        // Integer Mod takes the divisor's sign (Python's %).
        return binary(in[0], in[1], type, [](double a, double b) { return a; },
                      [](int64_t a, int64_t b) -> OptI { if (b == 0) return std::nullopt; int64_t m = a % b; return (m != 0 && ((m < 0) != (b < 0))) ? m + b : m; });
      })
      .Case([&](EqualOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(a == b); }, [](int64_t a, int64_t b) -> OptI { return a == b; }); })
      .Case([&](LessOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(a < b); }, [](int64_t a, int64_t b) -> OptI { return a < b; }); })
      .Case([&](LessOrEqualOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(a <= b); }, [](int64_t a, int64_t b) -> OptI { return a <= b; }); })
      .Case([&](GreaterOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(a > b); }, [](int64_t a, int64_t b) -> OptI { return a > b; }); })
      .Case([&](GreaterOrEqualOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(a >= b); }, [](int64_t a, int64_t b) -> OptI { return a >= b; }); })
      .Case([&](AndOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(a && b); }, [](int64_t a, int64_t b) -> OptI { return a && b; }); })
      .Case([&](OrOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(a || b); }, [](int64_t a, int64_t b) -> OptI { return a || b; }); })
      .Case([&](XorOp) { return binary(in[0], in[1], type, [](double a, double b) { return double(bool(a) != bool(b)); }, [](int64_t a, int64_t b) -> OptI { return bool(a) != bool(b); }); })
      .Case([&](WhereOp) -> std::optional<Values> {
        const Values &c = in[0], &x = in[1], &y = in[2];
        if (x.isFloat != y.isFloat)
          return std::nullopt;
        std::vector<int64_t> ic = broadcastIndex(c.shape, type.getShape());
        std::vector<int64_t> ix = broadcastIndex(x.shape, type.getShape());
        std::vector<int64_t> iy = broadcastIndex(y.shape, type.getShape());
        Values r;
        r.shape.assign(type.getShape().begin(), type.getShape().end());
        r.isFloat = x.isFloat;
        for (size_t k = 0; k < ic.size(); ++k) {
          const Values &src = c.i[ic[k]] ? x : y;
          int64_t at = c.i[ic[k]] ? ix[k] : iy[k];
          if (r.isFloat)
            r.f.push_back(src.f[at]);
          else
            r.i.push_back(src.i[at]);
        }
        return r;
      })
      .Case([&](CastOp) { return std::optional<Values>(in[0]); })
      // Data movement.
      .Case<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(
          [&](Operation *) { return std::optional<Values>(reshaped(in[0], type)); })
      .Case([&](ExpandOp) {
        return std::optional<Values>(gatherElements(
            in[0], type.getShape(), broadcastIndex(in[0].shape, type.getShape())));
      })
      .Case([&](TransposeOp op) {
        ArrayRef<int64_t> perm = op.getPerm();
        SmallVector<int64_t> inStrides = stridesOf(in[0].shape);
        std::vector<int64_t> index;
        int64_t count = type.getNumElements();
        for (int64_t k = 0; k < count; ++k) {
          int64_t rest = k, src = 0;
          for (int64_t d = type.getRank() - 1; d >= 0; --d) {
            src += (rest % type.getDimSize(d)) * inStrides[perm[d]];
            rest /= type.getDimSize(d);
          }
          index.push_back(src);
        }
        return std::optional<Values>(gatherElements(in[0], type.getShape(), index));
      })
      .Case([&](ConcatOp op) -> std::optional<Values> {
        int64_t axis = positiveAxis(op.getAxis(), type.getRank());
        Values r;
        r.shape.assign(type.getShape().begin(), type.getShape().end());
        r.isFloat = in[0].isFloat;
        int64_t outer = 1;
        for (int64_t d = 0; d < axis; ++d)
          outer *= type.getDimSize(d);
        for (int64_t o = 0; o < outer; ++o)
          for (const Values &v : in) {
            if (v.isFloat != r.isFloat)
              return std::nullopt;
            int64_t chunk = v.size() / std::max<int64_t>(outer, 1);
            for (int64_t k = o * chunk; k < (o + 1) * chunk; ++k) {
              if (r.isFloat)
                r.f.push_back(v.f[k]);
              else
                r.i.push_back(v.i[k]);
            }
          }
        return r;
      })
      .Case([&](GatherOp op) -> std::optional<Values> {
        const Values &data = in[0], &indices = in[1];
        int64_t rank = data.shape.size();
        int64_t axis = positiveAxis(op.getAxis(), rank);
        int64_t outer = 1, inner = 1, n = data.shape[axis];
        for (int64_t d = 0; d < axis; ++d)
          outer *= data.shape[d];
        for (int64_t d = axis + 1; d < rank; ++d)
          inner *= data.shape[d];
        std::vector<int64_t> index;
        for (int64_t o = 0; o < outer; ++o)
          for (int64_t idx : indices.i) {
            if (idx < -n || idx >= n)
              return std::nullopt; // Out of range: reported at run time.
            idx = idx < 0 ? idx + n : idx;
            for (int64_t k = 0; k < inner; ++k)
              index.push_back((o * n + idx) * inner + k);
          }
        return gatherElements(data, type.getShape(), index);
      })
      .Case([&](SliceOp op) {
        // Walk the result, mapping each index back through start + i * step.
        SmallVector<int64_t> start, step;
        op.getStartsAndSteps(in[0].shape, start, step);
        SmallVector<int64_t> inStrides = stridesOf(in[0].shape);
        std::vector<int64_t> index;
        for (int64_t k = 0; k < type.getNumElements(); ++k) {
          int64_t rest = k, src = 0;
          for (int64_t d = type.getRank() - 1; d >= 0; --d) {
            src += (start[d] + (rest % type.getDimSize(d)) * step[d]) * inStrides[d];
            rest /= type.getDimSize(d);
          }
          index.push_back(src);
        }
        return std::optional<Values>(gatherElements(in[0], type.getShape(), index));
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace

FailureOr<DenseElementsAttr> mlir::ds::evaluateConstant(Operation *op,
                                                        int64_t maxElements) {
  if (!isa<DSDialect>(op->getDialect()) || isa<ConstantOp>(op) ||
      op->getNumResults() != 1)
    return failure();
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() > maxElements ||
      type.getEncoding() || !type.getElementType().isIntOrFloat())
    return failure();
  // Folders first (ds.shape reads only the static type of its operand).
  SmallVector<Attribute> attrs;
  for (Value operand : op->getOperands()) {
    Attribute attr;
    matchPattern(operand, m_Constant(&attr));
    attrs.push_back(attr);
  }
  SmallVector<OpFoldResult> folded;
  if (succeeded(op->fold(attrs, folded)) && folded.size() == 1)
    if (auto attr = dyn_cast_if_present<DenseElementsAttr>(
            dyn_cast<Attribute>(folded[0])))
      if (attr.getType() == type)
        return attr;
  SmallVector<Values> in;
  for (Attribute attr : attrs) {
    std::optional<Values> v = toValues(attr);
    if (!v)
      return failure();
    in.push_back(std::move(*v));
  }
  std::optional<Values> result = evaluate(op, in, type);
  if (!result || result->size() != type.getNumElements())
    return failure();
  return toAttr(*result, type);
}

Value mlir::ds::foldConstantOp(Operation *op, int64_t maxElements) {
  FailureOr<DenseElementsAttr> value = evaluateConstant(op, maxElements);
  if (failed(value))
    return nullptr;
  OpBuilder builder(op);
  Value constant =
      ConstantOp::create(builder, op->getLoc(), value->getType(), *value);
  op->getResult(0).replaceAllUsesWith(constant);
  op->erase();
  return constant;
}

namespace {
struct ConstantFoldPass
    : public ds::impl::ConstantFoldPassBase<ConstantFoldPass> {
  using Base::Base;
  void runOnOperation() override {
    // Producers come before users, so one forward walk folds whole chains.
    getOperation().walk([&](Operation *op) {
      foldConstantOp(op, maxElements);
    });
  }
};
} // namespace
