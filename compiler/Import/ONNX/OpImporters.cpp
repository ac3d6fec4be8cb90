//===- OpImporters.cpp - one function per ONNX op ---------------*- C++ -*-===//
//
// Each importer reads one node (NodeContext) and builds ds ops in their
// normal form: opset differences (attributes that became inputs, changed
// defaults, auto_pad) are resolved here and nowhere else.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/NodeContext.h"

#include "mlir/IR/Matchers.h"

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
  // Dropout is the identity in inference, which is all we compile: a
  // training_mode input that is not a constant false is refused.
  if (Value training = ctx.input(2)) {
    DenseElementsAttr mode;
    if (!matchPattern(training, m_Constant(&mode)) || !mode.isSplat() ||
        mode.getSplatValue<bool>())
      return ctx.emitError() << "training mode is not supported";
  }
  ctx.results.push_back(ctx.input(0));
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
  size_t spatial = kernel.size();
  SmallVector<int64_t> strides = ctx.getInts("strides");
  SmallVector<int64_t> dilations = ctx.getInts("dilations");
  if (strides.empty())
    strides.assign(spatial, 1);
  if (dilations.empty())
    dilations.assign(spatial, 1);
  FailureOr<SmallVector<int64_t>> pads =
      resolvePads(ctx, kernel, strides, dilations);
  if (failed(pads))
    return failure();
  return ctx.emit<ConvOp>(ctx.input(0), ctx.input(1), ctx.input(2), strides,
                          *pads, dilations, ctx.getInt("group", 1));
}

template <typename OpTy>
LogicalResult pool(NodeContext &ctx) {
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    return ctx.emitError() << "the Indices output is not supported";
  SmallVector<int64_t> kernel = ctx.getInts("kernel_shape");
  if (kernel.empty())
    return ctx.emitError() << "needs a 'kernel_shape' attribute";
  size_t spatial = kernel.size();
  SmallVector<int64_t> strides = ctx.getInts("strides");
  SmallVector<int64_t> dilations = ctx.getInts("dilations");
  if (strides.empty())
    strides.assign(spatial, 1);
  if (dilations.empty())
    dilations.assign(spatial, 1);
  FailureOr<SmallVector<int64_t>> pads =
      resolvePads(ctx, kernel, strides, dilations);
  if (failed(pads))
    return failure();
  return ctx.emit<OpTy>(ctx.input(0), kernel, strides, *pads, dilations,
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
  DenseIntElementsAttr attr;
  if (!ctx.input(i) || !matchPattern(ctx.input(i), m_Constant(&attr)))
    return ctx.emitError() << what << " must be a constant";
  SmallVector<int64_t> values;
  for (const APInt &v : attr.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
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

LogicalResult layerNorm(NodeContext &ctx) {
  for (int i = 1; i < ctx.node.output_size(); ++i)
    if (!ctx.node.output(i).empty())
      return ctx.emitError() << "the Mean and InvStdDev outputs are not "
                                "supported";
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
