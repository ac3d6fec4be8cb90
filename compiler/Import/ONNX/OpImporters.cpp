//===- OpImporters.cpp - one function per ONNX op ---------------*- C++ -*-===//
//
// Each importer reads one node (NodeContext) and builds ds ops in their
// normal form: opset differences (attributes that became inputs, changed
// defaults, auto_pad) are resolved here and nowhere else.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/NodeContext.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::onnx_import;

namespace {

template <typename OpTy>
LogicalResult unary(NodeContext &ctx) {
  return ctx.emit<OpTy>(ctx.input(0));
}

/// Before opset 7, `broadcast = 1` with an `axis` aligned B's dimensions with
/// A's starting at `axis`; numpy broadcasting aligns trailing dimensions, so
/// B gets trailing 1s.
FailureOr<Value> legacyBroadcast(NodeContext &ctx, Value a, Value b) {
  if (ctx.opset >= 7 || !ctx.getInt("broadcast", 0) || !ctx.has("axis"))
    return b;
  auto aType = dyn_cast<RankedTensorType>(a.getType());
  auto bType = dyn_cast<RankedTensorType>(b.getType());
  if (!aType || !bType || !bType.hasStaticShape())
    return ctx.emitError() << "legacy broadcast needs operands of known shape";
  int64_t axis = ctx.getInt("axis", 0);
  if (axis < 0)
    axis += aType.getRank();
  int64_t trailing = aType.getRank() - axis - bType.getRank();
  if (axis < 0 || trailing < 0)
    return ctx.emitError() << "legacy broadcast axis " << axis
                           << " does not fit the operands";
  if (trailing == 0)
    return b;
  SmallVector<int64_t> shape(bType.getShape());
  shape.append(trailing, 1);
  return Value(ReshapeOp::create(
      ctx.builder, ctx.loc, RankedTensorType::get(shape, bType.getElementType()),
      b, ctx.constantI64(shape), false));
}

template <typename OpTy>
LogicalResult binary(NodeContext &ctx) {
  FailureOr<Value> rhs = legacyBroadcast(ctx, ctx.input(0), ctx.input(1));
  if (failed(rhs))
    return failure();
  return ctx.emit<OpTy>(ctx.input(0), *rhs);
}

/// Max, Min, Sum: variadic in ONNX, a chain of binary ops in ds. Only the
/// last op gets the node's (fully broadcast) result type; inference fills in
/// the others.
template <typename OpTy>
LogicalResult variadic(NodeContext &ctx) {
  if (ctx.inputs.empty())
    return ctx.emitError() << "needs at least one input";
  Value acc = ctx.input(0);
  auto elementType = cast<ShapedType>(acc.getType()).getElementType();
  for (unsigned i = 1; i < ctx.inputs.size(); ++i) {
    Type type = i + 1 == ctx.inputs.size()
                    ? ctx.resultType()
                    : UnrankedTensorType::get(elementType);
    acc = OpTy::create(ctx.builder, ctx.loc, type, acc, ctx.input(i));
    if (failed(refineResultTypes(acc.getDefiningOp())))
      return failure();
  }
  ctx.results.push_back(acc);
  return success();
}

LogicalResult forward(NodeContext &ctx) {
  ctx.results.push_back(ctx.input(0));
  return success();
}

LogicalResult dropout(NodeContext &ctx) {
  // Dropout is the identity in inference, which is all we compile, and in
  // training with ratio 0. Any other training_mode is refused: its output is
  // random.
  if (Value training = ctx.input(2)) {
    DenseElementsAttr mode, ratio;
    if (!matchPattern(training, m_Constant(&mode)))
      return ctx.emitNotConstant(2, "training_mode");
    if (mode.getSplatValue<bool>()) {
      if (ctx.input(1) && !matchPattern(ctx.input(1), m_Constant(&ratio)))
        return ctx.emitNotConstant(1, "ratio");
      if (!ratio || !(*ratio.getValues<APFloat>().begin()).isZero())
        return ctx.emitError() << "training mode is not supported";
    }
  }
  ctx.results.push_back(ctx.input(0));
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty()) {
    // The mask keeps every element.
    RankedTensorType type = ctx.rankedInput(0);
    if (!type || !type.hasStaticShape())
      return ctx.emitError() << "the mask output needs a static input shape";
    auto maskType = type.clone(ctx.builder.getI1Type());
    ctx.results.push_back(ConstantOp::create(
        ctx.builder, ctx.loc, maskType,
        DenseElementsAttr::get(maskType, true)));
  }
  return success();
}

LogicalResult constant(NodeContext &ctx) {
  if (ctx.node.attribute_size() != 1)
    return ctx.emitError() << "expects exactly one value attribute";
  const onnx::AttributeProto &a = ctx.node.attribute(0);
  StringRef name = a.name();
  Builder &b = ctx.builder;
  ElementsAttr value;
  if (name == "value") {
    FailureOr<ElementsAttr> tensor = convertTensor(a.t(), ctx.builder, ctx.loc);
    if (failed(tensor))
      return failure();
    value = *tensor;
  } else if (name == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                   a.f());
  } else if (name == "value_floats") {
    SmallVector<float> v(a.floats().begin(), a.floats().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({(int64_t)v.size()}, b.getF32Type()),
        ArrayRef<float>(v));
  } else if (name == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                   a.i());
  } else if (name == "value_ints") {
    SmallVector<int64_t> v(a.ints().begin(), a.ints().end());
    value = DenseElementsAttr::get(
        RankedTensorType::get({(int64_t)v.size()}, b.getI64Type()),
        ArrayRef<int64_t>(v));
  } else {
    return ctx.emitError() << "attribute '" << name << "' is not supported";
  }
  ctx.results.push_back(
      ConstantOp::create(ctx.builder, ctx.loc, value.getType(), value));
  return success();
}

LogicalResult reshape(NodeContext &ctx) {
  if (!ctx.input(1))
    return ctx.emitError() << "needs a shape input (opset 5 or later)";
  return ctx.emit<ReshapeOp>(ctx.input(0), ctx.input(1),
                             ctx.getInt("allowzero", 0) != 0);
}

LogicalResult flatten(NodeContext &ctx) {
  return ctx.emit<FlattenOp>(ctx.input(0), ctx.getInt("axis", 1));
}

LogicalResult transpose(NodeContext &ctx) {
  SmallVector<int64_t> perm = ctx.getInts("perm");
  if (!ctx.has("perm")) {
    RankedTensorType type = ctx.rankedInput(0);
    if (!type)
      return ctx.emitError() << "without 'perm' needs an input of known rank";
    for (int64_t i = type.getRank() - 1; i >= 0; --i)
      perm.push_back(i);
  }
  return ctx.emit<TransposeOp>(ctx.input(0), perm);
}

LogicalResult concat(NodeContext &ctx) {
  if (!ctx.has("axis"))
    return ctx.emitError() << "needs an 'axis' attribute";
  return ctx.emit<ConcatOp>(ctx.inputs, ctx.getInt("axis", 0));
}

template <typename OpTy>
LogicalResult softmax(NodeContext &ctx) {
  if (ctx.opset >= 13)
    return ctx.emit<OpTy>(ctx.input(0), ctx.getInt("axis", -1));
  // Before opset 13, Softmax normalizes over all dimensions from `axis` on:
  // the same as opset 13 when `axis` is the last dimension, otherwise a
  // softmax of the input flattened to 2-D, reshaped back.
  RankedTensorType type = ctx.rankedInput(0);
  if (!type)
    return ctx.emitError() << "before opset 13 needs an input of known rank";
  int64_t rank = type.getRank(), axis = ctx.getInt("axis", 1);
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "axis " << axis << " is out of range for rank "
                           << rank;
  if (axis < 0)
    axis += rank;
  if (axis == rank - 1)
    return ctx.emit<OpTy>(ctx.input(0), -1);
  if (!type.hasStaticShape())
    return ctx.emitError() << "before opset 13 with axis " << axis
                           << " needs a static input shape";
  auto elementType = type.getElementType();
  auto unranked = UnrankedTensorType::get(elementType);
  Value flat = FlattenOp::create(ctx.builder, ctx.loc, unranked, ctx.input(0),
                                 axis);
  Value soft = OpTy::create(ctx.builder, ctx.loc, unranked, flat, 1);
  return ctx.emit<ReshapeOp>(soft, ctx.constantI64(type.getShape()), false);
}

/// Explicit begin/end pads for a conv or pool, resolving ONNX auto_pad.
FailureOr<SmallVector<int64_t>>
resolvePads(NodeContext &ctx, ArrayRef<int64_t> kernel,
            ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  size_t spatial = kernel.size();
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    SmallVector<int64_t> pads = ctx.getInts("pads");
    if (pads.empty())
      pads.assign(2 * spatial, 0);
    if (pads.size() != 2 * spatial)
      return ctx.emitError() << "has " << pads.size() << " pads for "
                             << spatial << " spatial dimensions";
    return pads;
  }
  SmallVector<int64_t> pads(2 * spatial, 0);
  if (autoPad == "VALID")
    return pads;
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return ctx.emitError() << "unknown auto_pad '" << autoPad << "'";
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || type.getRank() != static_cast<int64_t>(spatial) + 2 ||
      llvm::any_of(type.getShape().drop_front(2), ShapedType::isDynamic))
    return ctx.emitError() << "auto_pad " << autoPad
                           << " needs static spatial input dimensions "
                              "(use --input-shape)";
  for (size_t i = 0; i < spatial; ++i) {
    int64_t in = type.getDimSize(i + 2);
    int64_t out = (in + strides[i] - 1) / strides[i];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in);
    int64_t small = total / 2, large = total - small;
    pads[i] = autoPad == "SAME_UPPER" ? small : large;
    pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

/// Strides, dilations (default 1) and explicit pads of a conv or pool.
struct Window {
  SmallVector<int64_t> strides, dilations, pads;
};

FailureOr<Window> windowOf(NodeContext &ctx, ArrayRef<int64_t> kernel) {
  Window w{ctx.getInts("strides"), ctx.getInts("dilations"), {}};
  if (w.strides.empty())
    w.strides.assign(kernel.size(), 1);
  if (w.dilations.empty())
    w.dilations.assign(kernel.size(), 1);
  FailureOr<SmallVector<int64_t>> pads =
      resolvePads(ctx, kernel, w.strides, w.dilations);
  if (failed(pads))
    return failure();
  w.pads = std::move(*pads);
  return w;
}

LogicalResult conv(NodeContext &ctx) {
  RankedTensorType weight = ctx.rankedInput(1);
  SmallVector<int64_t> kernel = ctx.getInts("kernel_shape");
  if (kernel.empty()) {
    if (!weight)
      return ctx.emitError() << "needs 'kernel_shape' or a weight of known "
                                "shape";
    kernel.assign(weight.getShape().drop_front(2).begin(),
                  weight.getShape().end());
  }
  FailureOr<Window> window = windowOf(ctx, kernel);
  if (failed(window))
    return failure();
  return ctx.emit<ConvOp>(ctx.input(0), ctx.input(1), ctx.input(2),
                          window->strides, window->pads, window->dilations,
                          ctx.getInt("group", 1));
}

/// ConvTranspose as a direct convolution: the input spread out by the
/// strides (zeros between elements), padded by (k - 1) * d minus the
/// transposed pads (negative pads crop), then convolved at stride 1 with the
/// kernel flipped and its in/out channels swapped within each group.
LogicalResult convTranspose(NodeContext &ctx) {
  RankedTensorType x = ctx.rankedInput(0), w = ctx.rankedInput(1);
  if (!x || !w || !x.hasStaticShape() || !w.hasStaticShape() ||
      x.getRank() < 3)
    return ctx.emitError() << "needs static input and weight shapes";
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  Type e = x.getElementType();
  int64_t rank = x.getRank(), spatial = rank - 2, group = ctx.getInt("group", 1);
  int64_t n = x.getDimSize(0), c = x.getDimSize(1);
  int64_t m = w.getDimSize(1) * group;
  SmallVector<int64_t> kernel(w.getShape().drop_front(2));
  SmallVector<int64_t> strides = ctx.getInts("strides", SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> dilations = ctx.getInts("dilations", SmallVector<int64_t>(spatial, 1));
  SmallVector<int64_t> outPad = ctx.getInts("output_padding", SmallVector<int64_t>(spatial, 0));
  SmallVector<int64_t> pads = ctx.getInts("pads", SmallVector<int64_t>(2 * spatial, 0));
  SmallVector<int64_t> outShape = ctx.getInts("output_shape");
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(outPad.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial || c % group)
    return ctx.emitError() << "attributes do not match the input's rank";
  if (autoPad != "NOTSET" && autoPad != "VALID" && outShape.empty())
    for (int64_t i = 0; i < spatial; ++i)
      outShape.push_back(x.getDimSize(2 + i) * strides[i]);
  if (!outShape.empty()) {
    if (static_cast<int64_t>(outShape.size()) > spatial)
      outShape.erase(outShape.begin(), outShape.end() - spatial);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t total = strides[i] * (x.getDimSize(2 + i) - 1) + outPad[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - outShape[i];
      // Negative totals (output_shape past the natural size) grow the end,
      // as the reference's floor division does.
      int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
      pads[i] = autoPad == "SAME_UPPER" ? half : total - half;
      pads[i + spatial] = total - pads[i];
    }
  }

  // Spread: [N, C, D1, 1, D2, 1, ...] padded to stride s, then merged.
  Value v = ctx.input(0);
  SmallVector<int64_t> split = {n, c}, spread = {n, c}, merged = {n, c};
  SmallVector<int64_t> spreadPads(2 + 2 * spatial, 0), endPads;
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t d = x.getDimSize(2 + i);
    split.append({d, 1});
    spread.append({d, strides[i]});
    merged.push_back(d * strides[i]);
  }
  spreadPads.append(2, 0);
  for (int64_t i = 0; i < spatial; ++i)
    spreadPads.append({0, strides[i] - 1});
  auto reshape = [&](Value value, ArrayRef<int64_t> shape) -> Value {
    return ReshapeOp::create(b, loc, RankedTensorType::get(shape, e), value,
                             ctx.constantI64(shape), false);
  };
  v = reshape(v, split);
  v = PadOp::create(b, loc, RankedTensorType::get(spread, e), v, Value(),
                    spreadPads, "constant");
  v = reshape(v, merged);
  // Border: the merged size has s - 1 trailing zeros beyond (D - 1) * s + 1.
  SmallVector<int64_t> border(2 * rank, 0), padded = {n, c};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t reach = (kernel[i] - 1) * dilations[i];
    int64_t begin = reach - pads[i];
    int64_t end = reach - pads[i + spatial] + outPad[i] - (strides[i] - 1);
    border[2 + i] = begin;
    border[rank + 2 + i] = end;
    padded.push_back(merged[2 + i] + begin + end);
  }
  v = PadOp::create(b, loc, RankedTensorType::get(padded, e), v, Value(),
                    border, "constant");

  // Weight [C, M/G, k...] -> [G, C/G, M/G, k...] -> [G, M/G, C/G, k...]
  // -> [M, C/G, k...], flipped in every spatial dimension.
  Value weight = ctx.input(1);
  SmallVector<int64_t> grouped = {group, c / group, m / group};
  grouped.append(kernel);
  weight = reshape(weight, grouped);
  SmallVector<int64_t> perm = {0, 2, 1}, swapped = {group, m / group, c / group};
  for (int64_t i = 0; i < spatial; ++i) {
    perm.push_back(3 + i);
    swapped.push_back(kernel[i]);
  }
  weight = TransposeOp::create(b, loc, RankedTensorType::get(swapped, e),
                               weight, perm);
  SmallVector<int64_t> convWeight = {m, c / group};
  convWeight.append(kernel);
  weight = reshape(weight, convWeight);
  SmallVector<int64_t> starts, ends, axes, steps;
  for (int64_t i = 0; i < spatial; ++i) {
    starts.push_back(-1);
    ends.push_back(std::numeric_limits<int64_t>::min());
    axes.push_back(2 + i);
    steps.push_back(-1);
  }
  weight = SliceOp::create(b, loc, weight.getType(), weight, starts, ends,
                           axes, steps);
  return ctx.emit<ConvOp>(v, weight, ctx.input(2), SmallVector<int64_t>(spatial, 1),
                          SmallVector<int64_t>(2 * spatial, 0), dilations, group);
}

template <typename OpTy>
LogicalResult pool(NodeContext &ctx) {
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    return ctx.emitError() << "the Indices output is not supported";
  SmallVector<int64_t> kernel = ctx.getInts("kernel_shape");
  if (kernel.empty())
    return ctx.emitError() << "needs a 'kernel_shape' attribute";
  FailureOr<Window> window = windowOf(ctx, kernel);
  if (failed(window))
    return failure();
  return ctx.emit<OpTy>(ctx.input(0), kernel, window->strides, window->pads,
                        window->dilations,
                        ctx.getInt("ceil_mode", 0) != 0,
                        ctx.getInt("count_include_pad", 0) != 0);
}

LogicalResult globalAveragePool(NodeContext &ctx) {
  return ctx.emit<GlobalAveragePoolOp>(ctx.input(0));
}

LogicalResult batchNorm(NodeContext &ctx) {
  for (int i = 1; i < ctx.node.output_size(); ++i)
    if (!ctx.node.output(i).empty())
      return ctx.emitError() << "training-mode outputs are not supported";
  if (ctx.getInt("training_mode", 0))
    return ctx.emitError() << "training_mode is not supported";
  return ctx.emit<BatchNormOp>(ctx.input(0), ctx.input(1), ctx.input(2),
                               ctx.input(3), ctx.input(4),
                               ctx.builder.getF32FloatAttr(
                                   ctx.getFloat("epsilon", 1e-5f)));
}

LogicalResult gemm(NodeContext &ctx) {
  Builder &b = ctx.builder;
  return ctx.emit<GemmOp>(ctx.input(0), ctx.input(1), ctx.input(2),
                          b.getF32FloatAttr(ctx.getFloat("alpha", 1.0f)),
                          b.getF32FloatAttr(ctx.getFloat("beta", 1.0f)),
                          b.getBoolAttr(ctx.getInt("transA", 0) != 0),
                          b.getBoolAttr(ctx.getInt("transB", 0) != 0));
}

LogicalResult clip(NodeContext &ctx) {
  Value min = ctx.input(1), max = ctx.input(2);
  if (ctx.opset < 11) {
    // The bounds were attributes; absent ones do not clamp.
    Type elementType =
        cast<ShapedType>(ctx.input(0).getType()).getElementType();
    if (ctx.has("min"))
      min = ctx.scalar(elementType, ctx.getFloat("min", 0));
    if (ctx.has("max"))
      max = ctx.scalar(elementType, ctx.getFloat("max", 0));
  }
  return ctx.emit<ClipOp>(ctx.input(0), min, max);
}


/// The values of input `i`, which must be a constant integer tensor (ONNX
/// moved many attributes to inputs; ds keeps them as attributes).
FailureOr<SmallVector<int64_t>> constantInts(NodeContext &ctx, unsigned i,
                                             StringRef what) {
  DenseElementsAttr attr;
  if (!ctx.input(i) || !matchPattern(ctx.input(i), m_Constant(&attr)))
    return ctx.emitNotConstant(i, what);
  SmallVector<int64_t> values;
  if (auto floats = dyn_cast<DenseFPElementsAttr>(attr)) {
    // OneHot's depth may be a float; ONNX truncates it.
    for (const APFloat &v : floats.getValues<APFloat>())
      values.push_back(static_cast<int64_t>(v.convertToDouble()));
    return values;
  }
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

/// Input 0 cut along `axis` (non-negative) into consecutive parts of
/// `sizes`, which must add up to the dimension (Split, SplitToSequence).
FailureOr<SmallVector<Value>> splitAlong(NodeContext &ctx, int64_t axis,
                                         ArrayRef<int64_t> sizes) {
  auto type = cast<RankedTensorType>(ctx.input(0).getType());
  int64_t total = 0;
  for (int64_t size : sizes)
    total += size;
  if (total != type.getDimSize(axis))
    return ctx.emitError() << "split sizes do not add up to dimension " << axis;
  SmallVector<Value> parts;
  int64_t start = 0;
  for (int64_t size : sizes) {
    SmallVector<int64_t> shape(type.getShape());
    shape[axis] = size;
    parts.push_back(SliceOp::create(
        ctx.builder, ctx.loc, type.clone(shape), ctx.input(0),
        ArrayRef<int64_t>{start}, ArrayRef<int64_t>{start + size},
        ArrayRef<int64_t>{axis}, ArrayRef<int64_t>{1}));
    start += size;
  }
  return parts;
}

/// The node's result type with element type `element` (comparisons: i1).
Type withElementType(NodeContext &ctx, Type element) {
  return cast<ShapedType>(ctx.resultType()).clone(element);
}

template <typename OpTy>
LogicalResult compare(NodeContext &ctx) {
  ctx.results.push_back(OpTy::create(ctx.builder, ctx.loc,
                                     withElementType(ctx, ctx.builder.getI1Type()),
                                     ctx.input(0), ctx.input(1)));
  return success();
}

LogicalResult mod(NodeContext &ctx) {
  return ctx.emit<ModOp>(ctx.input(0), ctx.input(1), ctx.getInt("fmod", 0) != 0);
}

/// PRelu before opset 7 broadcast a 1-D slope of size C along the channel
/// dimension (1); later opsets broadcast numpy-style from the right.
LogicalResult prelu(NodeContext &ctx) {
  Value slope = ctx.input(1);
  RankedTensorType x = ctx.rankedInput(0), s = ctx.rankedInput(1);
  if (ctx.opset < 7 && x && s && x.getRank() > 2 && s.getRank() == 1 &&
      s.getDimSize(0) == x.getDimSize(1) && s.getDimSize(0) != 1) {
    SmallVector<int64_t> shape(x.getRank() - 1, 1);
    shape[0] = s.getDimSize(0);
    slope = ReshapeOp::create(ctx.builder, ctx.loc, s.clone(shape), slope,
                              ctx.constantI64(shape), false);
  }
  return ctx.emit<PReluOp>(ctx.input(0), slope);
}

/// Composite ops spelled out in ds ops; intermediate types are refined by
/// shape inference after the node.
Type unranked(Type element) { return UnrankedTensorType::get(element); }
Type elementOf(Value v) { return cast<ShapedType>(v.getType()).getElementType(); }

LogicalResult isNaN(NodeContext &ctx) {
  OpBuilder &b = ctx.builder;
  Value x = ctx.input(0);
  Value same = EqualOp::create(b, ctx.loc, unranked(b.getI1Type()), x, x);
  return ctx.emit<NotOp>(same);
}

LogicalResult isInf(NodeContext &ctx) {
  OpBuilder &b = ctx.builder;
  Value x = ctx.input(0);
  Type e = elementOf(x), i1 = unranked(b.getI1Type());
  double inf = std::numeric_limits<double>::infinity();
  Value r;
  for (auto [attr, value] : {std::pair{"detect_positive", inf},
                             std::pair{"detect_negative", -inf}}) {
    if (!ctx.getInt(attr, 1))
      continue;
    Value hit = EqualOp::create(b, ctx.loc, i1, x, ctx.scalar(e, value));
    r = r ? Value(OrOp::create(b, ctx.loc, i1, r, hit)) : hit;
  }
  if (!r) // Neither sign: all false.
    r = EqualOp::create(b, ctx.loc, i1, x, ctx.scalar(e, inf * 0 /*NaN*/));
  ctx.results.push_back(r);
  return success();
}

/// Shrink: x + bias below -lambd, x - bias above lambd, else 0.
LogicalResult shrink(NodeContext &ctx) {
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  Value x = ctx.input(0);
  Type e = elementOf(x), t = x.getType(), i1 = unranked(b.getI1Type());
  double lambd = ctx.getFloat("lambd", 0.5f), bias = ctx.getFloat("bias", 0);
  Value low = LessOp::create(b, loc, i1, x, ctx.scalar(e, -lambd));
  Value high = GreaterOp::create(b, loc, i1, x, ctx.scalar(e, lambd));
  Value up = AddOp::create(b, loc, t, x, ctx.scalar(e, bias));
  Value down = SubOp::create(b, loc, t, x, ctx.scalar(e, bias));
  Value zero = ctx.scalar(e, 0);
  Value inner = WhereOp::create(b, loc, t, high, down, zero);
  return ctx.emit<WhereOp>(low, up, inner);
}

/// A per-axis quantization parameter (scalar, or 1-D along `axis` of a
/// rank-`rank` tensor) shaped to broadcast against that tensor.
Value alongAxis(NodeContext &ctx, Value param, int64_t rank) {
  RankedTensorType type = cast<RankedTensorType>(param.getType());
  if (type.getRank() != 1 || type.getDimSize(0) == 1)
    return param;
  int64_t axis = ctx.getInt("axis", 1);
  axis = axis < 0 ? axis + rank : axis;
  SmallVector<int64_t> shape(rank - axis, 1);
  shape[0] = type.getDimSize(0);
  return ReshapeOp::create(ctx.builder, ctx.loc, type.clone(shape), param,
                           ctx.constantI64(shape), false);
}

/// DequantizeLinear: (x - zero_point) * scale in the scale's float type.
LogicalResult dequantizeLinear(NodeContext &ctx) {
  RankedTensorType x = ctx.rankedInput(0);
  if (!x || !ctx.rankedInput(1))
    return ctx.emitError() << "needs ranked inputs";
  OpBuilder &b = ctx.builder;
  Type f = elementOf(ctx.input(1));
  Value v = CastOp::create(b, ctx.loc, x.clone(f), ctx.input(0));
  if (Value zp = ctx.input(2)) {
    zp = alongAxis(ctx, zp, x.getRank());
    zp = CastOp::create(b, ctx.loc, unranked(f), zp);
    v = SubOp::create(b, ctx.loc, x.clone(f), v, zp);
  }
  return ctx.emit<MulOp>(v, alongAxis(ctx, ctx.input(1), x.getRank()));
}

/// QuantizeLinear: saturate(round_half_even(x / scale) + zero_point) in the
/// zero point's integer type (uint8 without one).
LogicalResult quantizeLinear(NodeContext &ctx) {
  RankedTensorType x = ctx.rankedInput(0);
  if (!x || !ctx.rankedInput(1))
    return ctx.emitError() << "needs ranked inputs";
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  Type q = ctx.input(2) ? elementOf(ctx.input(2))
                        : Type(IntegerType::get(b.getContext(), 8,
                                                IntegerType::Unsigned));
  auto qi = dyn_cast<IntegerType>(q);
  if (!qi || qi.getWidth() > 32)
    return ctx.emitError() << "quantizes to 8 to 32-bit integers only";
  Type f = x.getElementType();
  Value v = DivOp::create(b, loc, x, ctx.input(0),
                          alongAxis(ctx, ctx.input(1), x.getRank()));
  v = RoundOp::create(b, loc, x, v);
  if (Value zp = ctx.input(2)) {
    zp = CastOp::create(b, loc, unranked(f),
                        alongAxis(ctx, zp, x.getRank()));
    v = AddOp::create(b, loc, x, v, zp);
  }
  unsigned bits = qi.getWidth();
  double lo = qi.isUnsigned() ? 0 : -std::ldexp(1.0, bits - 1);
  double hi = qi.isUnsigned() ? std::ldexp(1.0, bits) - 1
                              : std::ldexp(1.0, bits - 1) - 1;
  v = ClipOp::create(b, loc, x, v, ctx.scalar(f, lo), ctx.scalar(f, hi));
  ctx.results.push_back(CastOp::create(b, loc, x.clone(q), v));
  return success();
}

/// The float values of constant input `i`.
FailureOr<SmallVector<double>> constantFloats(NodeContext &ctx, unsigned i,
                                              StringRef what) {
  DenseFPElementsAttr attr;
  if (!matchPattern(ctx.input(i), m_Constant(&attr)))
    return ctx.emitNotConstant(i, what);
  SmallVector<double> values;
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

/// Resize (opsets 10+) and Upsample (7, 9): the output size from constant
/// `scales` or `sizes`; Upsample and Resize-10 use asymmetric coordinates
/// and floor for nearest.
LogicalResult resize(NodeContext &ctx) {
  RankedTensorType x = ctx.rankedInput(0);
  if (!x || !x.hasStaticShape())
    return ctx.emitError() << "needs a static input shape";
  int64_t rank = x.getRank();
  bool legacy = ctx.node.op_type() == "Upsample" || ctx.opset < 11;
  unsigned scalesInput = legacy ? 1 : 2;
  SmallVector<double> scales, roi;
  SmallVector<int64_t> sizes;
  if (!legacy && ctx.input(3) &&
      !cast<ShapedType>(ctx.input(3).getType()).hasStaticShape())
    return ctx.emitError() << "needs static sizes";
  bool hasSizes = !legacy && ctx.input(3) &&
                  cast<ShapedType>(ctx.input(3).getType()).getNumElements() > 0;
  if (hasSizes) {
    FailureOr<SmallVector<int64_t>> s = constantInts(ctx, 3, "sizes");
    if (failed(s))
      return failure();
    sizes = *s;
    if (static_cast<int64_t>(sizes.size()) != rank)
      return ctx.emitError() << "needs one size per dimension";
    for (int64_t d = 0; d < rank; ++d)
      scales.push_back(double(sizes[d]) / double(x.getDimSize(d)));
  } else {
    if (ctx.node.op_type() == "Upsample" && ctx.opset < 9) {
      if (const onnx::AttributeProto *a = ctx.attr("scales"))
        scales.assign(a->floats().begin(), a->floats().end());
    } else {
      if (!ctx.input(scalesInput))
        return ctx.emitError() << "needs scales or sizes";
      FailureOr<SmallVector<double>> s = constantFloats(ctx, scalesInput, "scales");
      if (failed(s))
        return failure();
      scales = *s;
    }
    if (static_cast<int64_t>(scales.size()) != rank)
      return ctx.emitError() << "needs one scale per dimension";
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(static_cast<int64_t>(std::floor(x.getDimSize(d) * scales[d])));
  }
  std::string coordinates =
      legacy ? "asymmetric"
             : ctx.getString("coordinate_transformation_mode", "half_pixel");
  if (coordinates == "tf_crop_and_resize") {
    FailureOr<SmallVector<double>> r = constantFloats(ctx, 1, "roi");
    if (failed(r))
      return failure();
    roi = *r;
  }
  std::string mode = ctx.getString("mode", "nearest");
  if (mode == "bilinear" || mode == "trilinear")
    mode = "linear";
  Builder &b = ctx.builder;
  return ctx.emit<ResizeOp>(
      ctx.input(0), b.getDenseI64ArrayAttr(sizes),
      b.getDenseF64ArrayAttr(scales), b.getStringAttr(mode),
      b.getStringAttr(coordinates),
      b.getStringAttr(legacy ? "floor"
                             : ctx.getString("nearest_mode", "round_prefer_floor")),
      b.getF64FloatAttr(ctx.getFloat("cubic_coeff_a", -0.75f)),
      b.getBoolAttr(ctx.getInt("exclude_outside", 0) != 0),
      b.getF64FloatAttr(ctx.getFloat("extrapolation_value", 0.0f)),
      b.getDenseF64ArrayAttr(roi));
}

//===----------------------------------------------------------------------===//
// Sequences: lists of values at compile time
//===----------------------------------------------------------------------===//

/// The sequence input `i`, or an error naming it.
FailureOr<SmallVector<Value>> sequenceInput(NodeContext &ctx, unsigned i) {
  if (const SmallVector<Value> *items = ctx.sequence(i))
    return *items;
  return ctx.emitError() << "input " << i << " is not a sequence";
}

/// A constant position into a sequence of `size` items (negative counts
/// from the end); `end` allows one past the last (insertion).
FailureOr<int64_t> sequencePosition(NodeContext &ctx, unsigned i, int64_t size,
                                    int64_t fallback, bool end) {
  if (!ctx.input(i))
    return fallback;
  FailureOr<SmallVector<int64_t>> p = constantInts(ctx, i, "position");
  if (failed(p))
    return failure();
  if (p->size() != 1)
    return ctx.emitError() << "position must be a scalar";
  int64_t pos = (*p)[0] < 0 ? (*p)[0] + size : (*p)[0];
  if (pos < 0 || pos > size || (!end && pos == size))
    return ctx.emitError() << "position " << (*p)[0]
                           << " is out of range for a sequence of " << size;
  return pos;
}

LogicalResult sequenceEmpty(NodeContext &ctx) {
  ctx.setSequence(0, {});
  return success();
}

LogicalResult sequenceConstruct(NodeContext &ctx) {
  ctx.setSequence(0, SmallVector<Value>(ctx.inputs));
  return success();
}

LogicalResult sequenceInsert(NodeContext &ctx) {
  FailureOr<SmallVector<Value>> items = sequenceInput(ctx, 0);
  if (failed(items))
    return failure();
  FailureOr<int64_t> pos = sequencePosition(ctx, 2, items->size(), items->size(), true);
  if (failed(pos))
    return failure();
  items->insert(items->begin() + *pos, ctx.input(1));
  ctx.setSequence(0, std::move(*items));
  return success();
}

LogicalResult sequenceErase(NodeContext &ctx) {
  FailureOr<SmallVector<Value>> items = sequenceInput(ctx, 0);
  if (failed(items))
    return failure();
  if (items->empty())
    return ctx.emitError() << "cannot erase from an empty sequence";
  FailureOr<int64_t> pos = sequencePosition(ctx, 1, items->size(), items->size() - 1, false);
  if (failed(pos))
    return failure();
  items->erase(items->begin() + *pos);
  ctx.setSequence(0, std::move(*items));
  return success();
}

LogicalResult sequenceAt(NodeContext &ctx) {
  FailureOr<SmallVector<Value>> items = sequenceInput(ctx, 0);
  if (failed(items))
    return failure();
  if (!ctx.input(1))
    return ctx.emitError() << "needs a position";
  FailureOr<int64_t> pos = sequencePosition(ctx, 1, items->size(), 0, false);
  if (failed(pos))
    return failure();
  ctx.results.push_back((*items)[*pos]);
  return success();
}

LogicalResult sequenceLength(NodeContext &ctx) {
  FailureOr<SmallVector<Value>> items = sequenceInput(ctx, 0);
  if (failed(items))
    return failure();
  ctx.results.push_back(ctx.scalar(ctx.builder.getI64Type(), items->size()));
  return success();
}

LogicalResult concatFromSequence(NodeContext &ctx) {
  FailureOr<SmallVector<Value>> items = sequenceInput(ctx, 0);
  if (failed(items))
    return failure();
  if (items->empty())
    return ctx.emitError() << "cannot concatenate an empty sequence";
  int64_t axis = ctx.getInt("axis", 0);
  SmallVector<Value> parts = *items;
  if (ctx.getInt("new_axis", 0)) {
    // Stack: each item gets the new dimension first.
    auto type = dyn_cast<RankedTensorType>(parts[0].getType());
    if (!type)
      return ctx.emitError() << "needs ranked items";
    int64_t rank = type.getRank() + 1;
    if (axis < -rank || axis >= rank)
      return ctx.emitError() << "axis " << axis << " is out of range";
    axis = positiveAxis(axis, rank);
    for (Value &v : parts)
      v = UnsqueezeOp::create(ctx.builder, ctx.loc,
                              UnrankedTensorType::get(type.getElementType()), v,
                              SmallVector<int64_t>{axis});
  }
  return ctx.emit<ConcatOp>(parts, axis);
}

/// SplitToSequence: Split's chunks (one per element without `split`, or of
/// a scalar `split`'s size), as a sequence.
LogicalResult splitToSequence(NodeContext &ctx) {
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || !type.hasStaticShape())
    return ctx.emitError() << "needs an input of static shape";
  int64_t rank = type.getRank(), axis = ctx.getInt("axis", 0);
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "axis " << axis << " is out of range";
  axis = positiveAxis(axis, rank);
  int64_t dim = type.getDimSize(axis);
  SmallVector<int64_t> sizes;
  bool squeeze = false;
  if (!ctx.input(1)) {
    sizes.assign(dim, 1);
    squeeze = ctx.getInt("keepdims", 1) == 0;
  } else {
    FailureOr<SmallVector<int64_t>> s = constantInts(ctx, 1, "split");
    if (failed(s))
      return failure();
    if (cast<ShapedType>(ctx.input(1).getType()).getRank() == 0) {
      int64_t chunk = (*s)[0];
      if (chunk <= 0)
        return ctx.emitError() << "split must be positive";
      for (int64_t left = dim; left > 0; left -= chunk)
        sizes.push_back(std::min(chunk, left));
    } else {
      sizes = *s;
    }
  }
  FailureOr<SmallVector<Value>> items = splitAlong(ctx, axis, sizes);
  if (failed(items))
    return failure();
  if (squeeze)
    for (Value &item : *items) {
      SmallVector<int64_t> shape(cast<RankedTensorType>(item.getType()).getShape());
      shape.erase(shape.begin() + axis);
      item = SqueezeOp::create(ctx.builder, ctx.loc, type.clone(shape), item,
                               SmallVector<int64_t>{axis});
    }
  ctx.setSequence(0, std::move(*items));
  return success();
}

LogicalResult bitShift(NodeContext &ctx) {
  std::string direction = ctx.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return ctx.emitError() << "direction must be LEFT or RIGHT, not '"
                           << direction << "'";
  return ctx.emit<BitShiftOp>(ctx.input(0), ctx.input(1), direction == "LEFT");
}

LogicalResult where(NodeContext &ctx) {
  return ctx.emit<WhereOp>(ctx.input(0), ctx.input(1), ctx.input(2));
}

/// An activation with float attributes, each with its ONNX default.
template <typename OpTy>
LogicalResult activation(NodeContext &ctx, ArrayRef<std::pair<StringRef, float>> params) {
  SmallVector<NamedAttribute> attrs;
  for (auto [name, fallback] : params)
    attrs.push_back(ctx.builder.getNamedAttr(
        name, ctx.builder.getF32FloatAttr(ctx.getFloat(name, fallback))));
  ctx.results.push_back(OpTy::create(ctx.builder, ctx.loc, ctx.resultType(),
                                     ValueRange{ctx.input(0)}, attrs));
  return success();
}

LogicalResult castElements(NodeContext &ctx) {
  Type element = convertElementType(ctx.getInt("to", 0), ctx.builder);
  if (!element)
    return ctx.emitError() << "unsupported target type " << ctx.getInt("to", 0);
  ctx.results.push_back(CastOp::create(ctx.builder, ctx.loc,
                                       withElementType(ctx, element),
                                       ctx.input(0)));
  return success();
}

LogicalResult shape(NodeContext &ctx) {
  return ctx.emit<ShapeOp>(ctx.input(0), ctx.getInt("start", 0),
                           ctx.getInt("end", std::numeric_limits<int64_t>::max()));
}

/// Axes from the attribute (older opsets) or the second input.
FailureOr<SmallVector<int64_t>> axesOf(NodeContext &ctx, unsigned inputIndex) {
  if (ctx.input(inputIndex))
    return constantInts(ctx, inputIndex, "axes");
  return ctx.getInts("axes");
}

LogicalResult squeeze(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> axes = axesOf(ctx, 1);
  if (failed(axes))
    return failure();
  if (axes->empty()) {
    // All size-1 dimensions, which must then be known.
    RankedTensorType type = ctx.rankedInput(0);
    if (!type || llvm::any_of(type.getShape(), ShapedType::isDynamic))
      return ctx.emitError() << "without axes needs a static input shape";
    for (auto [i, d] : llvm::enumerate(type.getShape()))
      if (d == 1)
        axes->push_back(i);
  }
  return ctx.emit<SqueezeOp>(ctx.input(0), *axes);
}

LogicalResult unsqueeze(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> axes = axesOf(ctx, 1);
  if (failed(axes))
    return failure();
  return ctx.emit<UnsqueezeOp>(ctx.input(0), *axes);
}

LogicalResult gather(NodeContext &ctx) {
  return ctx.emit<GatherOp>(ctx.input(0), ctx.input(1), ctx.getInt("axis", 0));
}

LogicalResult expand(NodeContext &ctx) {
  return ctx.emit<ExpandOp>(ctx.input(0), ctx.input(1));
}

LogicalResult slice(NodeContext &ctx) {
  SmallVector<int64_t> starts, ends, axes, steps;
  if (ctx.opset < 10) {
    starts = ctx.getInts("starts");
    ends = ctx.getInts("ends");
    axes = ctx.getInts("axes");
  } else {
    FailureOr<SmallVector<int64_t>> s = constantInts(ctx, 1, "starts");
    FailureOr<SmallVector<int64_t>> e = constantInts(ctx, 2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (ctx.input(3)) {
      FailureOr<SmallVector<int64_t>> a = constantInts(ctx, 3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (ctx.input(4)) {
      FailureOr<SmallVector<int64_t>> st = constantInts(ctx, 4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  return ctx.emit<SliceOp>(ctx.input(0), starts, ends, axes, steps);
}

template <typename OpTy>
LogicalResult reduce(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> axes = axesOf(ctx, 1);
  if (failed(axes))
    return failure();
  if (axes->empty() && ctx.getInt("noop_with_empty_axes", 0)) {
    ctx.results.push_back(ctx.input(0));
    return success();
  }
  return ctx.emit<OpTy>(ctx.input(0), *axes, ctx.getInt("keepdims", 1) != 0);
}

template <typename OpTy>
LogicalResult argReduce(NodeContext &ctx) {
  ctx.results.push_back(OpTy::create(
      ctx.builder, ctx.loc, withElementType(ctx, ctx.builder.getI64Type()),
      ctx.input(0), ctx.getInt("axis", 0), ctx.getInt("keepdims", 1) != 0,
      ctx.getInt("select_last_index", 0) != 0));
  return success();
}

LogicalResult globalMaxPool(NodeContext &ctx) {
  return ctx.emit<GlobalMaxPoolOp>(ctx.input(0));
}

/// Mean and deviation of input 0 over its dimensions from `firstAxis` on
/// (kept as size 1), for the normalizations spelled out in ds ops.
struct Moments {
  Value centered; // x - mean
  Value mean;
  Value stddev;   // sqrt(var + epsilon)
};

Moments momentsFrom(NodeContext &ctx, int64_t firstAxis) {
  auto type = cast<RankedTensorType>(ctx.input(0).getType());
  Type e = type.getElementType();
  SmallVector<int64_t> axes, reduced(type.getShape());
  for (int64_t d = firstAxis; d < type.getRank(); ++d) {
    axes.push_back(d);
    reduced[d] = 1;
  }
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  auto small = RankedTensorType::get(reduced, e);
  Value x = ctx.input(0);
  Value mean = ReduceMeanOp::create(b, loc, small, x, axes, true);
  Value centered = SubOp::create(b, loc, type, x, mean);
  Value var = ReduceMeanOp::create(
      b, loc, small, MulOp::create(b, loc, type, centered, centered), axes, true);
  Value eps = ctx.scalar(e, ctx.getFloat("epsilon", 1e-5f));
  Value stddev =
      SqrtOp::create(b, loc, small, AddOp::create(b, loc, small, var, eps));
  return {centered, mean, stddev};
}

/// LayerNormalization is one ds op unless the Mean or InvStdDev output is
/// used; then it is spelled out in reductions and elementwise ops.
LogicalResult layerNorm(NodeContext &ctx) {
  bool statistics = false;
  for (int i = 1; i < ctx.node.output_size(); ++i)
    statistics |= !ctx.node.output(i).empty();
  if (statistics) {
    RankedTensorType type = ctx.rankedInput(0);
    if (!type || !type.hasStaticShape())
      return ctx.emitError() << "the Mean and InvStdDev outputs need a "
                                "static input shape";
    Type e = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = ctx.getInt("axis", -1);
    axis = axis < 0 ? axis + rank : axis;
    if (axis < 0 || axis >= rank)
      return ctx.emitError() << "axis " << ctx.getInt("axis", -1)
                             << " is out of range for rank " << rank;
    OpBuilder &b = ctx.builder;
    Location loc = ctx.loc;
    Moments m = momentsFrom(ctx, axis);
    Value mean = m.mean;
    auto small = cast<RankedTensorType>(mean.getType());
    Value invStdDev = ReciprocalOp::create(b, loc, small, m.stddev);
    Value y = MulOp::create(b, loc, type,
                            MulOp::create(b, loc, type, m.centered, invStdDev),
                            ctx.input(1));
    if (ctx.input(2))
      y = AddOp::create(b, loc, type, y, ctx.input(2));
    ctx.results.push_back(y);
    // The statistics have the stash type (float32 by default).
    for (Value stat : {mean, invStdDev}) {
      if (ctx.results.size() >= static_cast<size_t>(ctx.node.output_size()))
        break;
      auto want = dyn_cast<ShapedType>(ctx.resultType(ctx.results.size()));
      if (want && want.getElementType() != e)
        stat = CastOp::create(b, loc, small.clone(want.getElementType()), stat);
      ctx.results.push_back(stat);
    }
    return success();
  }
  return ctx.emit<LayerNormOp>(ctx.input(0), ctx.input(1), ctx.input(2),
                               ctx.builder.getI64IntegerAttr(
                                   ctx.getInt("axis", -1)),
                               ctx.builder.getF32FloatAttr(
                                   ctx.getFloat("epsilon", 1e-5f)));
}

LogicalResult constantOfShape(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> shape = constantInts(ctx, 0, "the shape");
  if (failed(shape))
    return failure();
  Type element = ctx.builder.getF32Type();
  Attribute value = ctx.builder.getF32FloatAttr(0);
  if (const onnx::AttributeProto *a = ctx.attr("value")) {
    FailureOr<ElementsAttr> tensor = convertTensor(a->t(), ctx.builder, ctx.loc);
    if (failed(tensor))
      return failure();
    if (tensor->getNumElements() != 1)
      return ctx.emitError() << "value must hold one element";
    element = tensor->getElementType();
    value = *tensor->getValues<Attribute>().begin();
  }
  auto type = RankedTensorType::get(*shape, element);
  ctx.results.push_back(ConstantOp::create(
      ctx.builder, ctx.loc, type, DenseElementsAttr::get(type, value)));
  return success();
}

LogicalResult gatherElements(NodeContext &ctx) {
  return ctx.emit<GatherElementsOp>(ctx.input(0), ctx.input(1), ctx.getInt("axis", 0));
}

LogicalResult trilu(NodeContext &ctx) {
  int64_t k = 0;
  if (ctx.input(1)) {
    FailureOr<SmallVector<int64_t>> v = constantInts(ctx, 1, "k");
    if (failed(v))
      return failure();
    k = v->empty() ? 0 : (*v)[0];
  }
  return ctx.emit<TriluOp>(ctx.input(0), ctx.getInt("upper", 1) != 0, k);
}

LogicalResult pad(NodeContext &ctx) {
  SmallVector<int64_t> pads;
  Value value;
  std::string mode = ctx.getString("mode", "constant");
  if (ctx.opset < 11) {
    pads = ctx.getInts("pads");
    Type element = cast<ShapedType>(ctx.input(0).getType()).getElementType();
    if (ctx.getFloat("value", 0) != 0)
      value = ctx.scalar(element, ctx.getFloat("value", 0));
  } else {
    FailureOr<SmallVector<int64_t>> p = constantInts(ctx, 1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    value = ctx.input(2);
    if (ctx.input(3)) { // axes (opset 18): pads for those dimensions only
      RankedTensorType type = ctx.rankedInput(0);
      FailureOr<SmallVector<int64_t>> axes = constantInts(ctx, 3, "axes");
      if (failed(axes) || !type)
        return failure();
      int64_t rank = type.getRank(), n = axes->size();
      SmallVector<int64_t> full(2 * rank, 0);
      for (int64_t i = 0; i < n; ++i) {
        int64_t a = positiveAxis((*axes)[i], rank);
        full[a] = pads[i];
        full[a + rank] = pads[i + n];
      }
      pads = full;
    }
  }
  return ctx.emit<PadOp>(ctx.input(0), value, pads, mode);
}

LogicalResult tile(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> repeats = constantInts(ctx, 1, "repeats");
  if (failed(repeats))
    return failure();
  return ctx.emit<TileOp>(ctx.input(0), *repeats);
}

/// Split: one ds.slice per output.
LogicalResult split(NodeContext &ctx) {
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || !type.hasStaticShape())
    return ctx.emitError() << "needs an input of static shape";
  int64_t rank = type.getRank();
  int64_t axis = ctx.getInt("axis", 0);
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "axis " << axis << " is out of range";
  axis = positiveAxis(axis, rank);
  int64_t dim = type.getDimSize(axis), outputs = ctx.node.output_size();
  SmallVector<int64_t> sizes = ctx.getInts("split");
  if (ctx.input(1)) {
    FailureOr<SmallVector<int64_t>> s = constantInts(ctx, 1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  }
  if (sizes.empty()) {
    int64_t n = ctx.has("num_outputs") ? ctx.getInt("num_outputs", 1) : outputs;
    int64_t chunk = (dim + n - 1) / n;
    for (int64_t i = 0, left = dim; i < n; ++i, left -= chunk)
      sizes.push_back(std::min(chunk, left));
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return ctx.emitError() << "split gives " << sizes.size()
                           << " parts for " << outputs << " outputs";
  FailureOr<SmallVector<Value>> parts = splitAlong(ctx, axis, sizes);
  if (failed(parts))
    return failure();
  ctx.results.append(parts->begin(), parts->end());
  return success();
}

LogicalResult size(NodeContext &ctx) {
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || !type.hasStaticShape())
    return ctx.emitError() << "needs an input of static shape";
  ctx.results.push_back(ctx.scalar(ctx.builder.getI64Type(),
                                   static_cast<double>(type.getNumElements())));
  return success();
}

LogicalResult mean(NodeContext &ctx) {
  if (failed(variadic<AddOp>(ctx)))
    return failure();
  Value sum = ctx.results.pop_back_val();
  Type element = cast<ShapedType>(sum.getType()).getElementType();
  ctx.results.push_back(DivOp::create(ctx.builder, ctx.loc, ctx.resultType(), sum,
                                      ctx.scalar(element, ctx.inputs.size())));
  return success();
}

/// DepthToSpace / SpaceToDepth as reshape, transpose, reshape.
LogicalResult depthSpace(NodeContext &ctx, bool toSpace) {
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || type.getRank() != 4 || !type.hasStaticShape())
    return ctx.emitError() << "needs a static 4-D input";
  int64_t b = ctx.getInt("blocksize", 0);
  if (b < 1)
    return ctx.emitError() << "needs a positive blocksize";
  int64_t n = type.getDimSize(0), c = type.getDimSize(1), h = type.getDimSize(2),
          w = type.getDimSize(3);
  Type e = type.getElementType();
  auto reshape = [&](Value v, ArrayRef<int64_t> shape) -> Value {
    return ReshapeOp::create(ctx.builder, ctx.loc, RankedTensorType::get(shape, e), v,
                             ctx.constantI64(shape), false);
  };
  auto transpose = [&](Value v, ArrayRef<int64_t> perm) -> Value {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(t.getDimSize(p));
    return TransposeOp::create(ctx.builder, ctx.loc, RankedTensorType::get(shape, e), v, perm);
  };
  Value x = ctx.input(0);
  if (toSpace) {
    if (c % (b * b))
      return ctx.emitError() << "channels must be divisible by blocksize^2";
    bool crd = ctx.getString("mode", "DCR") == "CRD";
    Value r = crd ? reshape(x, {n, c / (b * b), b, b, h, w})
                  : reshape(x, {n, b, b, c / (b * b), h, w});
    Value t = crd ? transpose(r, {0, 1, 4, 2, 5, 3}) : transpose(r, {0, 3, 4, 1, 5, 2});
    ctx.results.push_back(reshape(t, {n, c / (b * b), h * b, w * b}));
  } else {
    if (h % b || w % b)
      return ctx.emitError() << "height and width must be divisible by blocksize";
    Value r = reshape(x, {n, c, h / b, b, w / b, b});
    Value t = transpose(r, {0, 3, 5, 1, 2, 4});
    ctx.results.push_back(reshape(t, {n, c * b * b, h / b, w / b}));
  }
  return success();
}

/// InstanceNormalization: per (n, c) mean and variance over the spatial
/// dimensions, then per-channel scale and bias.
LogicalResult instanceNorm(NodeContext &ctx) {
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || type.getRank() < 3 || !type.hasStaticShape())
    return ctx.emitError() << "needs a static input of rank 3 or more";
  Type e = type.getElementType();
  int64_t rank = type.getRank(), c = type.getDimSize(1);
  OpBuilder &b = ctx.builder;
  Location loc = ctx.loc;
  auto full = RankedTensorType::get(type.getShape(), e);
  Moments m = momentsFrom(ctx, 2);
  Value norm = DivOp::create(b, loc, full, m.centered, m.stddev);
  SmallVector<int64_t> paramShape(rank - 1, 1);
  paramShape[0] = c;
  auto paramType = RankedTensorType::get(paramShape, e);
  Value scale = ReshapeOp::create(b, loc, paramType, ctx.input(1), ctx.constantI64(paramShape), false);
  Value bias = ReshapeOp::create(b, loc, paramType, ctx.input(2), ctx.constantI64(paramShape), false);
  ctx.results.push_back(AddOp::create(b, loc, full, MulOp::create(b, loc, full, norm, scale), bias));
  return success();
}

/// Range and EyeLike with constant operands become constants.
LogicalResult range(NodeContext &ctx) {
  DenseElementsAttr start, limit, delta;
  // The output's length depends on the values.
  if (!matchPattern(ctx.input(0), m_Constant(&start)))
    return ctx.emitNotConstant(0, "start");
  if (!matchPattern(ctx.input(1), m_Constant(&limit)))
    return ctx.emitNotConstant(1, "limit");
  if (!matchPattern(ctx.input(2), m_Constant(&delta)))
    return ctx.emitNotConstant(2, "delta");
  Type e = start.getElementType();
  auto value = [](DenseElementsAttr a) {
    return isa<FloatType>(a.getElementType())
               ? (*a.getValues<APFloat>().begin()).convertToDouble()
               : double((*a.getValues<APInt>().begin()).getSExtValue());
  };
  double s = value(start), l = value(limit), dl = value(delta);
  if (dl == 0)
    return ctx.emitError() << "delta must not be 0";
  int64_t n = std::max<int64_t>(0, int64_t(std::ceil((l - s) / dl)));
  auto type = RankedTensorType::get({n}, e);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < n; ++i)
    values.push_back(isa<FloatType>(e)
                         ? Attribute(ctx.builder.getFloatAttr(e, s + i * dl))
                         : Attribute(ctx.builder.getIntegerAttr(e, int64_t(s) + i * int64_t(dl))));
  ctx.results.push_back(ConstantOp::create(ctx.builder, ctx.loc, type,
                                           DenseElementsAttr::get(type, values)));
  return success();
}

LogicalResult eyeLike(NodeContext &ctx) {
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || type.getRank() != 2 || !type.hasStaticShape())
    return ctx.emitError() << "needs a static 2-D input";
  Type e = ctx.has("dtype") ? convertElementType(ctx.getInt("dtype", 1), ctx.builder)
                            : type.getElementType();
  if (!e)
    return ctx.emitError() << "unsupported dtype";
  int64_t k = ctx.getInt("k", 0);
  auto out = RankedTensorType::get(type.getShape(), e);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < type.getDimSize(0); ++i)
    for (int64_t j = 0; j < type.getDimSize(1); ++j) {
      double v = j - i == k ? 1 : 0;
      values.push_back(isa<FloatType>(e) ? Attribute(ctx.builder.getFloatAttr(e, v))
                                         : Attribute(ctx.builder.getIntegerAttr(e, int64_t(v))));
    }
  ctx.results.push_back(ConstantOp::create(ctx.builder, ctx.loc, out,
                                           DenseElementsAttr::get(out, values)));
  return success();
}

LogicalResult oneHot(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> depth = constantInts(ctx, 1, "depth");
  if (failed(depth) || depth->size() != 1)
    return failed(depth) ? failure()
                         : (ctx.emitError() << "depth must be one value", failure());
  Value indices = ctx.input(0);
  auto indicesType = cast<ShapedType>(indices.getType());
  if (!indicesType.getElementType().isInteger(64)) {
    // Indices of any numeric type: as i64.
    Type i64Type = indicesType.clone(ctx.builder.getI64Type());
    indices = CastOp::create(ctx.builder, ctx.loc, i64Type, indices);
  }
  return ctx.emit<OneHotOp>(indices, ctx.input(2), (*depth)[0], ctx.getInt("axis", -1));
}

/// Hardmax: 1 at the first maximum along `axis`, 0 elsewhere.
LogicalResult hardmax(NodeContext &ctx) {
  RankedTensorType type = ctx.rankedInput(0);
  if (!type || !type.hasStaticShape())
    return ctx.emitError() << "needs an input of static shape";
  int64_t rank = type.getRank();
  int64_t axis = ctx.getInt("axis", ctx.opset >= 13 ? -1 : 1);
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "axis " << axis << " is out of range";
  axis = positiveAxis(axis, rank);
  if (ctx.opset < 13 && axis != rank - 1)
    return ctx.emitError() << "before opset 13 only supports the last axis";
  OpBuilder &b = ctx.builder;
  SmallVector<int64_t> reduced(type.getShape());
  reduced.erase(reduced.begin() + axis);
  Value index = ArgMaxOp::create(b, ctx.loc, RankedTensorType::get(reduced, b.getI64Type()),
                                 ctx.input(0), axis, false, false);
  auto valuesType = RankedTensorType::get({2}, type.getElementType());
  Value values = ConstantOp::create(b, ctx.loc, valuesType,
                                    DenseElementsAttr::get(valuesType, ArrayRef<Attribute>{
                                        b.getFloatAttr(type.getElementType(), 0),
                                        b.getFloatAttr(type.getElementType(), 1)}));
  ctx.results.push_back(OneHotOp::create(b, ctx.loc, type, index, values,
                                         type.getDimSize(axis), axis));
  return success();
}

LogicalResult cumsum(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> axis = constantInts(ctx, 1, "axis");
  if (failed(axis))
    return failure();
  return ctx.emit<CumSumOp>(ctx.input(0), axis->empty() ? 0 : (*axis)[0],
                            ctx.getInt("exclusive", 0) != 0, ctx.getInt("reverse", 0) != 0);
}

} // namespace

const llvm::StringMap<OpImporter> &onnx_import::getOpImporters() {
  static const llvm::StringMap<OpImporter> importers = {
      // Elementwise.
      {"Abs", unary<AbsOp>},
      {"Ceil", unary<CeilOp>},
      {"Erf", unary<ErfOp>},
      {"Exp", unary<ExpOp>},
      {"Floor", unary<FloorOp>},
      {"Log", unary<LogOp>},
      {"Neg", unary<NegOp>},
      {"Reciprocal", unary<ReciprocalOp>},
      {"Relu", unary<ReluOp>},
      {"Sigmoid", unary<SigmoidOp>},
      {"Sqrt", unary<SqrtOp>},
      {"Tanh", unary<TanhOp>},
      {"Add", binary<AddOp>},
      {"Sub", binary<SubOp>},
      {"Mul", binary<MulOp>},
      {"Div", binary<DivOp>},
      {"Pow", binary<PowOp>},
      {"Max", variadic<MaxOp>},
      {"Min", variadic<MinOp>},
      {"Sum", variadic<AddOp>},
      {"Mean", mean},
      {"PRelu", prelu},
      {"Clip", clip},
      {"Acos", unary<AcosOp>},
      {"Acosh", unary<AcoshOp>},
      {"Asin", unary<AsinOp>},
      {"Asinh", unary<AsinhOp>},
      {"Atan", unary<AtanOp>},
      {"Atanh", unary<AtanhOp>},
      {"Cos", unary<CosOp>},
      {"Cosh", unary<CoshOp>},
      {"Sin", unary<SinOp>},
      {"Sinh", unary<SinhOp>},
      {"Tan", unary<TanOp>},
      {"Round", unary<RoundOp>},
      {"Sign", unary<SignOp>},
      {"Softplus", unary<SoftplusOp>},
      {"Softsign", unary<SoftsignOp>},
      {"HardSwish", unary<HardSwishOp>},
      {"Not", unary<NotOp>},
      {"LeakyRelu", +[](NodeContext &c) { return activation<LeakyReluOp>(c, {{"alpha", 0.01f}}); }},
      {"Elu", +[](NodeContext &c) { return activation<EluOp>(c, {{"alpha", 1.0f}}); }},
      {"Celu", +[](NodeContext &c) { return activation<CeluOp>(c, {{"alpha", 1.0f}}); }},
      {"Selu", +[](NodeContext &c) {
         return activation<SeluOp>(c, {{"alpha", 1.67326319217681884765625f},
                                       {"gamma", 1.05070102214813232421875f}});
       }},
      {"HardSigmoid", +[](NodeContext &c) {
         return activation<HardSigmoidOp>(c, {{"alpha", 0.2f}, {"beta", 0.5f}});
       }},
      {"ThresholdedRelu", +[](NodeContext &c) {
         return activation<ThresholdedReluOp>(c, {{"alpha", 1.0f}});
       }},
      {"Equal", compare<EqualOp>},
      {"Less", compare<LessOp>},
      {"LessOrEqual", compare<LessOrEqualOp>},
      {"Greater", compare<GreaterOp>},
      {"GreaterOrEqual", compare<GreaterOrEqualOp>},
      {"And", binary<AndOp>},
      {"Or", binary<OrOp>},
      {"Xor", binary<XorOp>},
      {"Mod", mod},
      {"BitShift", bitShift},
      {"SequenceEmpty", sequenceEmpty},
      {"SequenceConstruct", sequenceConstruct},
      {"SequenceInsert", sequenceInsert},
      {"SequenceErase", sequenceErase},
      {"SequenceAt", sequenceAt},
      {"SequenceLength", sequenceLength},
      {"ConcatFromSequence", concatFromSequence},
      {"SplitToSequence", splitToSequence},
      {"Resize", resize},
      {"Upsample", resize},
      {"ConvTranspose", convTranspose},
      {"IsNaN", isNaN},
      {"IsInf", isInf},
      {"Shrink", shrink},
      {"QuantizeLinear", quantizeLinear},
      {"DequantizeLinear", dequantizeLinear},
      {"Where", where},
      {"Cast", castElements},
      // Tensor.
      {"Constant", constant},
      {"Identity", forward},
      {"Dropout", dropout},
      {"Reshape", reshape},
      {"Flatten", flatten},
      {"Transpose", transpose},
      {"Concat", concat},
      {"Shape", shape},
      {"Squeeze", squeeze},
      {"Unsqueeze", unsqueeze},
      {"Gather", gather},
      {"Expand", expand},
      {"Slice", slice},
      {"ConstantOfShape", constantOfShape},
      {"GatherElements", gatherElements},
      {"OneHot", oneHot},
      {"Hardmax", hardmax},
      {"CumSum", cumsum},
      {"Trilu", trilu},
      {"Pad", pad},
      {"Tile", tile},
      {"Split", split},
      {"Size", size},
      {"DepthToSpace", +[](NodeContext &c) { return depthSpace(c, true); }},
      {"SpaceToDepth", +[](NodeContext &c) { return depthSpace(c, false); }},
      {"Range", range},
      {"EyeLike", eyeLike},
      // NN.
      {"Conv", conv},
      {"MatMul", binary<MatMulOp>},
      {"Gemm", gemm},
      {"MaxPool", pool<MaxPoolOp>},
      {"AveragePool", pool<AveragePoolOp>},
      {"GlobalAveragePool", globalAveragePool},
      {"BatchNormalization", batchNorm},
      {"Softmax", softmax<SoftmaxOp>},
      {"LogSoftmax", softmax<LogSoftmaxOp>},
      {"GlobalMaxPool", globalMaxPool},
      {"LayerNormalization", layerNorm},
      {"InstanceNormalization", instanceNorm},
      // Reductions.
      {"ReduceSum", reduce<ReduceSumOp>},
      {"ReduceMean", reduce<ReduceMeanOp>},
      {"ReduceMax", reduce<ReduceMaxOp>},
      {"ReduceMin", reduce<ReduceMinOp>},
      {"ReduceProd", reduce<ReduceProdOp>},
      {"ReduceL1", reduce<ReduceL1Op>},
      {"ReduceL2", reduce<ReduceL2Op>},
      {"ReduceLogSum", reduce<ReduceLogSumOp>},
      {"ReduceLogSumExp", reduce<ReduceLogSumExpOp>},
      {"ReduceSumSquare", reduce<ReduceSumSquareOp>},
      {"ArgMax", argReduce<ArgMaxOp>},
      {"ArgMin", argReduce<ArgMinOp>},
  };
  return importers;
}
