//===- Common.h - helpers shared by the ds -> linalg patterns ---*- C++ -*-===//

#ifndef DS_COMPILER_CONVERSION_DSTOLINALG_COMMON_H
#define DS_COMPILER_CONVERSION_DSTOLINALG_COMMON_H

#include "dialects/DS/IR/DSOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <functional>

namespace mlir::ds::to_linalg {

/// The scalar computation of an elementwise op: operands in, one value out.
using ScalarFn =
    std::function<Value(OpBuilder &, Location, Type resultElement, ValueRange)>;

inline bool isFloat(Type t) { return isa<FloatType>(t); }

/// Element types the lowering handles: floats and signless integers.
inline bool isSupportedElement(Type t) {
  return isFloat(t) || t.isSignlessInteger();
}

/// ds integers may be unsigned (ONNX uint8..uint64), arith's are signless:
/// ds-to-linalg first makes every type signless and marks the ops that had
/// unsigned operands or results with these attributes, so that their
/// patterns pick unsigned division, comparison, extension, ...
constexpr llvm::StringLiteral kUnsignedOperands = "ds.unsigned_operands";
constexpr llvm::StringLiteral kUnsignedResults = "ds.unsigned_results";
inline bool hasUnsignedOperands(Operation *op) {
  return op->hasAttr(kUnsignedOperands);
}
/// On a linalg.matmul: [lo, hi] to clamp its result to as it is stored
/// (a fused ReLU or Clip), read by ds-use-kernels.
constexpr llvm::StringLiteral kClampAttr = "ds.clamp";
/// On a linalg.matmul: a SiLU (x * sigmoid(x)) to apply to its result as
/// it is stored, before any clamp, read by ds-use-kernels.
constexpr llvm::StringLiteral kSiluAttr = "ds.silu";
/// Marks the depthwise convolution generic (loops n, c, oh, kh, kw, ow) of
/// an f32 image for ds-use-kernels: [stride h, stride w, dilation h,
/// dilation w].
constexpr llvm::StringLiteral kDepthwiseAttr = "ds.depthwise";
/// ds-to-linalg's Winograd transforms ("input", "output"), which
/// ds-use-kernels runs as kernels.
constexpr llvm::StringLiteral kWinogradAttr = "ds.winograd";

inline bool hasUnsignedResults(Operation *op) {
  return op->hasAttr(kUnsignedResults);
}

/// The op's static result type, or a match failure that says why.
FailureOr<RankedTensorType> staticResultType(Operation *op,
                                             ConversionPatternRewriter &rw);

/// A linalg.generic computing `fn` elementwise over `operands`, each
/// broadcast numpy-style to `resultType`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, const ScalarFn &fn);

/// A tensor of `type` filled with `value`.
Value buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                  TypedAttr value);

/// `value` padded with `padValue`: `low`/`high` per dimension.
Value buildPadded(OpBuilder &b, Location loc, Value value,
                  ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                  TypedAttr padValue);

/// A constant scalar of element type `type`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// The lowest value of a float or signed integer type (max-reduction init).
TypedAttr lowestValue(Builder &b, Type type);

/// Reduces `input` over `axes` with `combine` from `init`, keeping reduced
/// dimensions as size 1 when `keepdims`.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, bool keepdims, TypedAttr init,
                     const ScalarFn &combine);

/// Reshapes `value` to the static `type` (same element count).
Value buildReshape(OpBuilder &b, Location loc, Value value,
                   RankedTensorType type);

void populateElementwisePatterns(RewritePatternSet &patterns);
void populateNNPatterns(RewritePatternSet &patterns);
void populateTensorPatterns(RewritePatternSet &patterns);
void populateResizePatterns(RewritePatternSet &patterns);

} // namespace mlir::ds::to_linalg

#endif // DS_COMPILER_CONVERSION_DSTOLINALG_COMMON_H
