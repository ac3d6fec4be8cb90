//===- Tensor.cpp - ds data movement ops ------------------------*- C++ -*-===//

#include "dialects/DS/IR/DSOps.h"

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
