//===- Tensor.cpp - ds data movement ops ------------------------*- C++ -*-===//

#include "dialects/DS/IR/DSOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::ds;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

// Verify
LogicalResult ConstantOp::verify() {
  if (getValue().getType() != getType())
    return emitOpError("value type ")
           << getValue().getType() << " differs from result type "
           << getType();
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  ElementsAttr value;
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseAttribute(value, "value", result.attributes))
    return failure();
  result.addTypes(value.getType());
  return success();
}

void ConstantOp::print(OpAsmPrinter &printer) {
  printer.printOptionalAttrDict((*this)->getAttrs(), {"value"});
  printer << ' ';
  printer.printAttribute(getValue());
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult ReshapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  auto shapeType = cast<ShapedType>(getShape().getType());
  Type elementType = input.getElementType();
  if (shapeType.hasRank() && shapeType.getRank() != 1)
    return emitOpError("shape must be a 1-D tensor");

  DenseIntElementsAttr shapeAttr;
  if (!matchPattern(getShape(), m_Constant(&shapeAttr))) {
    if (shapeType.hasStaticShape())
      inferred.push_back(RankedTensorType::get(
          SmallVector<int64_t>(shapeType.getDimSize(0), kDynamic),
          elementType));
    else
      inferred.push_back(UnrankedTensorType::get(elementType));
    return success();
  }

  SmallVector<int64_t> dims;
  int64_t inferIndex = -1;
  for (auto [i, value] : llvm::enumerate(shapeAttr.getValues<APInt>())) {
    int64_t dim = value.getSExtValue();
    if (dim == -1) {
      if (inferIndex >= 0)
        return emitOpError("shape has more than one -1");
      inferIndex = i;
    } else if (dim == 0 && !getAllowzero()) {
      if (!input.hasRank() || static_cast<int64_t>(i) >= input.getRank()) {
        if (input.hasRank())
          return emitOpError("shape copies dimension ")
                 << i << " of an input of rank " << input.getRank();
        dim = kDynamic;
      } else {
        dim = input.getDimSize(i);
      }
    } else if (dim < 0) {
      return emitOpError("shape has a negative dimension ") << dim;
    }
    dims.push_back(dim);
  }
  if (inferIndex >= 0) {
    if (getAllowzero() && llvm::is_contained(dims, 0))
      return emitOpError("shape has both -1 and 0 with allowzero");
    int64_t known = 1;
    bool dynamic = !input.hasStaticShape();
    for (auto [i, d] : llvm::enumerate(dims))
      if (static_cast<int64_t>(i) != inferIndex) {
        if (d == kDynamic)
          dynamic = true;
        else
          known *= d;
      }
    if (dynamic) {
      dims[inferIndex] = kDynamic;
    } else {
      if (known == 0 || input.getNumElements() % known != 0)
        return emitOpError("cannot reshape ")
               << input << " with -1 in shape " << shapeAttr;
      dims[inferIndex] = input.getNumElements() / known;
    }
  }
  auto result = RankedTensorType::get(dims, elementType);
  if (input.hasStaticShape() && result.hasStaticShape() &&
      input.getNumElements() != result.getNumElements())
    return emitOpError("cannot reshape ")
           << input << " (" << input.getNumElements() << " elements) to "
           << result;
  inferred.push_back(result);
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (type && type.hasStaticShape() && getInput().getType() == type)
    return getInput();
  return {};
}

/// reshape(reshape(x, s1), s2) -> reshape(x, s2), unless s2 copies (0)
/// dimensions of the intermediate tensor.
static LogicalResult foldReshapeChain(ReshapeOp op, PatternRewriter &rewriter) {
  auto producer = op.getInput().getDefiningOp<ReshapeOp>();
  if (!producer)
    return failure();
  DenseIntElementsAttr shape;
  if (!op.getAllowzero() &&
      (!matchPattern(op.getShape(), m_Constant(&shape)) ||
       llvm::any_of(shape.getValues<APInt>(),
                    [](const APInt &d) { return d.isZero(); })))
    return failure();
  rewriter.modifyOpInPlace(
      op, [&] { op.getInputMutable().assign(producer.getInput()); });
  return success();
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *) {
  results.add(foldReshapeChain);
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult TransposeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  ArrayRef<int64_t> perm = getPerm();
  if (!input.hasRank()) {
    inferred.push_back(input);
    return success();
  }
  if (static_cast<int64_t>(perm.size()) != input.getRank())
    return emitOpError("perm has ")
           << perm.size() << " entries for an input of rank "
           << input.getRank();
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> dims;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOpError("perm is not a permutation");
    seen[p] = true;
    dims.push_back(input.getDimSize(p));
  }
  inferred.push_back(RankedTensorType::get(dims, input.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if (static_cast<int64_t>(i) != p)
      return {};
  if (getInput().getType() != getType())
    return {};
  return getInput();
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult ConcatOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  Type elementType = cast<ShapedType>(getInputs()[0].getType()).getElementType();
  RankedTensorType ranked;
  for (Value v : getInputs()) {
    auto type = cast<ShapedType>(v.getType());
    if (type.getElementType() != elementType)
      return emitOpError("inputs have different element types");
    if (auto r = dyn_cast<RankedTensorType>(type)) {
      if (ranked && r.getRank() != ranked.getRank())
        return emitOpError("inputs have different ranks");
      ranked = r;
    }
  }
  if (!ranked) {
    inferred.push_back(UnrankedTensorType::get(elementType));
    return success();
  }
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), ranked.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> dims(ranked.getRank(), kDynamic);
  int64_t sum = 0;
  for (Value v : getInputs()) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type) {
      sum = kDynamic;
      continue;
    }
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      if (d == *axis) {
        sum = (ShapedType::isDynamic(sum) || ShapedType::isDynamic(size))
                  ? kDynamic
                  : sum + size;
      } else if (!ShapedType::isDynamic(size)) {
        if (!ShapedType::isDynamic(dims[d]) && dims[d] != size)
          return emitOpError("inputs differ in dimension ") << d;
        dims[d] = size;
      }
    }
  }
  dims[*axis] = sum;
  inferred.push_back(RankedTensorType::get(dims, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult FlattenOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  if (!input.hasRank()) {
    inferred.push_back(RankedTensorType::get({kDynamic, kDynamic},
                                             input.getElementType()));
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxis(*this, getAxis(), input.getRank(), /*inclusive=*/true);
  if (failed(axis))
    return failure();
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t n = 1;
    for (int64_t d : dims) {
      if (ShapedType::isDynamic(d))
        return kDynamic;
      n *= d;
    }
    return n;
  };
  ArrayRef<int64_t> shape = input.getShape();
  inferred.push_back(RankedTensorType::get(
      {product(shape.take_front(*axis)), product(shape.drop_front(*axis))},
      input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ShapeOp
//===----------------------------------------------------------------------===//

/// ONNX Shape's [start, end) clamped to [0, rank].
static std::pair<int64_t, int64_t> shapeRange(ShapeOp op, int64_t rank) {
  auto clamp = [&](int64_t v) {
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  int64_t start = clamp(op.getStart()), end = clamp(op.getEnd());
  return {start, std::max(start, end)};
}

// Shape inference
LogicalResult ShapeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  int64_t size = kDynamic;
  if (input.hasRank()) {
    auto [start, end] = shapeRange(*this, input.getRank());
    size = end - start;
  }
  inferred.push_back(RankedTensorType::get(
      {size}, IntegerType::get(getContext(), 64)));
  return success();
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto input = dyn_cast<RankedTensorType>(getInput().getType());
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!input || !type || !type.hasStaticShape())
    return {};
  auto [start, end] = shapeRange(*this, input.getRank());
  ArrayRef<int64_t> dims = input.getShape().slice(start, end - start);
  if (llvm::any_of(dims, ShapedType::isDynamic))
    return {};
  return DenseElementsAttr::get(type, dims);
}

//===----------------------------------------------------------------------===//
// SqueezeOp, UnsqueezeOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult SqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  if (!input.hasRank()) {
    inferred.push_back(input);
    return success();
  }
  int64_t rank = input.getRank();
  SmallVector<bool> drop(rank, false);
  for (int64_t axis : getAxes()) {
    FailureOr<int64_t> a = normalizeAxis(*this, axis, rank);
    if (failed(a))
      return failure();
    int64_t d = input.getDimSize(*a);
    if (!ShapedType::isDynamic(d) && d != 1)
      return emitOpError("dimension ") << *a << " has size " << d << ", not 1";
    drop[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shape.push_back(input.getDimSize(d));
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

// Shape inference
LogicalResult UnsqueezeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  if (!input.hasRank()) {
    inferred.push_back(input);
    return success();
  }
  int64_t rank = input.getRank() + getAxes().size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : getAxes()) {
    FailureOr<int64_t> a = normalizeAxis(*this, axis, rank);
    if (failed(a))
      return failure();
    if (inserted[*a])
      return emitOpError("axis ") << axis << " is listed twice";
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  auto next = input.getShape().begin();
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[d] ? 1 : *next++);
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult GatherOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto data = cast<ShapedType>(getData().getType());
  auto indices = cast<ShapedType>(getIndices().getType());
  if (!data.hasRank() || !indices.hasRank()) {
    inferred.push_back(UnrankedTensorType::get(data.getElementType()));
    return success();
  }
  if (data.getRank() == 0)
    return emitOpError("data must have rank 1 or more");
  FailureOr<int64_t> axis = normalizeAxis(*this, getAxis(), data.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  inferred.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ExpandOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult ExpandOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  auto shapeType = cast<ShapedType>(getShape().getType());
  Type elementType = input.getElementType();
  DenseIntElementsAttr shapeAttr;
  if (!input.hasRank() || !matchPattern(getShape(), m_Constant(&shapeAttr))) {
    if (shapeType.hasStaticShape() && input.hasRank())
      inferred.push_back(RankedTensorType::get(
          SmallVector<int64_t>(std::max<int64_t>(shapeType.getDimSize(0),
                                                 input.getRank()),
                               kDynamic),
          elementType));
    else
      inferred.push_back(UnrankedTensorType::get(elementType));
    return success();
  }
  SmallVector<int64_t> target;
  for (const APInt &d : shapeAttr.getValues<APInt>())
    target.push_back(d.getSExtValue());
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(input.getShape(), target, shape))
    return emitOpError("cannot expand ") << input << " to " << shapeAttr;
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult SliceOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  size_t n = getAxes().size();
  if (getStarts().size() != n || getEnds().size() != n ||
      getSteps().size() != n)
    return emitOpError("axes, starts, ends and steps differ in length");
  if (!input.hasRank()) {
    inferred.push_back(input);
    return success();
  }
  SmallVector<int64_t> shape(input.getShape());
  SmallVector<bool> seen(input.getRank(), false);
  for (size_t i = 0; i < n; ++i) {
    FailureOr<int64_t> axis = normalizeAxis(*this, getAxes()[i],
                                            input.getRank());
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return emitOpError("axis ") << *axis << " is sliced twice";
    seen[*axis] = true;
    int64_t step = getSteps()[i], dim = shape[*axis];
    if (step == 0)
      return emitOpError("steps must not be 0");
    if (ShapedType::isDynamic(dim))
      continue;
    // ONNX: negative bounds count from the end, then clamp to the range a
    // walk in the direction of `step` can take.
    auto bound = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v = v < INT64_MIN + dim ? INT64_MIN : v + dim;
      return std::clamp(v, lo, hi);
    };
    int64_t start = step > 0 ? bound(getStarts()[i], 0, dim)
                             : bound(getStarts()[i], 0, dim - 1);
    int64_t end = step > 0 ? bound(getEnds()[i], 0, dim)
                           : bound(getEnds()[i], -1, dim - 1);
    int64_t span = step > 0 ? end - start : start - end;
    int64_t abs = step > 0 ? step : -step;
    shape[*axis] = span <= 0 ? 0 : (span + abs - 1) / abs;
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

void SliceOp::getStartsAndSteps(ArrayRef<int64_t> shape,
                                SmallVectorImpl<int64_t> &start,
                                SmallVectorImpl<int64_t> &step) {
  int64_t rank = shape.size();
  start.assign(rank, 0);
  step.assign(rank, 1);
  for (auto [a, s, st] : llvm::zip(getAxes(), getStarts(), getSteps())) {
    int64_t axis = positiveAxis(a, rank), dim = shape[axis];
    int64_t v = s < 0 ? s + dim : s;
    start[axis] = st > 0 ? std::clamp<int64_t>(v, 0, dim)
                         : std::clamp<int64_t>(v, 0, dim - 1);
    step[axis] = st;
  }
}

//===----------------------------------------------------------------------===//
// GatherElementsOp, TriluOp, PadOp, TileOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult
GatherElementsOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto data = cast<ShapedType>(getData().getType());
  auto indices = cast<ShapedType>(getIndices().getType());
  if (data.hasRank() && indices.hasRank()) {
    if (data.getRank() != indices.getRank())
      return emitOpError("data and indices must have the same rank");
    if (failed(normalizeAxis(*this, getAxis(), data.getRank())))
      return failure();
  }
  inferred.push_back(indices.hasRank()
                         ? Type(RankedTensorType::get(indices.getShape(),
                                                      data.getElementType()))
                         : Type(UnrankedTensorType::get(data.getElementType())));
  return success();
}

// Shape inference
LogicalResult TriluOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  if (input.hasRank() && input.getRank() < 2)
    return emitOpError("expects an input of rank 2 or more");
  inferred.push_back(input);
  return success();
}

// Shape inference
LogicalResult PadOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  StringRef mode = getMode();
  if (mode != "constant" && mode != "edge" && mode != "reflect")
    return emitOpError("unknown mode '") << mode << "'";
  if (!input.hasRank()) {
    inferred.push_back(input);
    return success();
  }
  int64_t rank = input.getRank();
  ArrayRef<int64_t> pads = getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return emitOpError("expects ") << 2 * rank << " pads for rank " << rank;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d);
    shape.push_back(ShapedType::isDynamic(dim) ? dim
                                               : dim + pads[d] + pads[d + rank]);
    if (!ShapedType::isDynamic(dim) && shape.back() < 0)
      return emitOpError("pads crop dimension ") << d << " below zero";
    if (mode == "reflect" && !ShapedType::isDynamic(dim) &&
        (pads[d] >= dim || pads[d + rank] >= dim))
      return emitOpError("reflect padding must be smaller than dimension ") << d;
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

// Shape inference
LogicalResult TileOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  if (!input.hasRank()) {
    inferred.push_back(input);
    return success();
  }
  ArrayRef<int64_t> repeats = getRepeats();
  if (static_cast<int64_t>(repeats.size()) != input.getRank())
    return emitOpError("expects one repeat count per dimension");
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(input.getShape(), repeats)) {
    if (r < 0)
      return emitOpError("repeat counts must not be negative");
    shape.push_back(ShapedType::isDynamic(d) ? d : d * r);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  ArrayRef<int64_t> sizes = getSizes();
  int64_t rank = sizes.size();
  if (input.hasRank() && input.getRank() != rank)
    return emitOpError("expects one size per dimension");
  if (static_cast<int64_t>(getScales().size()) != rank)
    return emitOpError("expects one scale per dimension");
  if (!getRoi().empty() && static_cast<int64_t>(getRoi().size()) != 2 * rank)
    return emitOpError("expects roi to hold a start and an end per dimension");
  StringRef mode = getMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError("unknown mode '") << mode << "'";
  if (llvm::any_of(sizes, [](int64_t d) { return d < 0; }))
    return emitOpError("sizes must not be negative");
  inferred.push_back(RankedTensorType::get(sizes, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// OneHotOp, CumSumOp
//===----------------------------------------------------------------------===//

// Shape inference
LogicalResult OneHotOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto indices = cast<ShapedType>(getIndices().getType());
  auto values = cast<ShapedType>(getValues().getType());
  if (values.hasStaticShape() && values.getNumElements() != 2)
    return emitOpError("values must hold two elements: [off, on]");
  if (getDepth() < 1)
    return emitOpError("depth must be positive");
  Type element = values.getElementType();
  if (!indices.hasRank()) {
    inferred.push_back(UnrankedTensorType::get(element));
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxis(*this, getAxis(), indices.getRank() + 1);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(indices.getShape());
  shape.insert(shape.begin() + *axis, getDepth());
  inferred.push_back(RankedTensorType::get(shape, element));
  return success();
}

// Shape inference
LogicalResult CumSumOp::inferResultTypes(SmallVectorImpl<Type> &inferred) {
  auto input = cast<ShapedType>(getInput().getType());
  if (input.hasRank() &&
      failed(normalizeAxis(*this, getAxis(), input.getRank())))
    return failure();
  inferred.push_back(input);
  return success();
}
