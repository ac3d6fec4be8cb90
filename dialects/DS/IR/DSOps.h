//===- DSOps.h - ds dialect operations --------------------------*- C++ -*-===//
//
// The one header users of the ds dialect include: the dialect, its
// interfaces and its ops.
//
//===----------------------------------------------------------------------===//

#ifndef DS_DIALECTS_DS_IR_DSOPS_H
#define DS_DIALECTS_DS_IR_DSOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::ds {

//===----------------------------------------------------------------------===//
// Shape inference helpers (ShapeInference.cpp)
//===----------------------------------------------------------------------===//

/// Verifies that the result types of an op with ShapeInferenceOpInterface
/// agree with what inference computes.
LogicalResult verifyInferredTypes(Operation *op);

/// Refines the result types of `op` in place with what inference knows.
/// Returns whether a type changed; fails (with a diagnostic) if inference
/// fails or contradicts a result type.
FailureOr<bool> refineResultTypes(Operation *op);

/// The most precise type compatible with both `a` and `b` (same element
/// type, dimensions merged), or null if they contradict each other.
Type meetTypes(Type a, Type b);

/// Normalizes an ONNX axis in [-rank, rank) (or [-rank, rank] when
/// `inclusive`) to [0, rank); fails with a diagnostic otherwise.
FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 bool inclusive = false);

/// A verified ONNX axis in [0, rank). Takes int64_t on purpose: the getters
/// of I64Attr return uint64_t, which must not be compared with 0.
inline int64_t positiveAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Result = first operand's type.
LogicalResult inferSameAsOperand(Operation *op,
                                 SmallVectorImpl<Type> &inferred);
/// Result shape = numpy broadcast of the two operands' shapes.
LogicalResult inferBroadcast(Operation *op, SmallVectorImpl<Type> &inferred);
/// Output spatial size of a sliding window (conv or pool) along one
/// dimension; dynamic in, dynamic out.
int64_t slidingWindowSize(int64_t in, int64_t kernel, int64_t stride,
                          int64_t padBegin, int64_t padEnd, int64_t dilation,
                          bool ceilMode);
/// Checks the window attributes of a conv or pool with `spatialRank`
/// spatial dimensions.
LogicalResult verifyWindowAttrs(Operation *op, size_t spatialRank,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads,
                                ArrayRef<int64_t> dilations);
/// Input type with `axis` checked against its rank (softmax, log_softmax).
LogicalResult inferSameWithAxis(Operation *op, Value input, int64_t axis,
                                SmallVectorImpl<Type> &inferred);
/// [N, C, 1, ...] for global pooling.
LogicalResult inferGlobalPool(Operation *op, Value input,
                              SmallVectorImpl<Type> &inferred);
/// Reduction over `axes` (all when empty); the result element type is the
/// op's own (so arg_max gets i64).
LogicalResult inferReduction(Operation *op, Value input,
                             ArrayRef<int64_t> axes, bool keepdims,
                             SmallVectorImpl<Type> &inferred);
LogicalResult inferPool(Operation *op, Value input, ArrayRef<int64_t> kernel,
                        ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                        ArrayRef<int64_t> dilations, bool ceilMode,
                        SmallVectorImpl<Type> &inferred);

} // namespace mlir::ds

#include "dialects/DS/IR/DSDialect.h.inc"
#include "dialects/DS/IR/DSInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/DS/IR/DSOps.h.inc"

#endif // DS_DIALECTS_DS_IR_DSOPS_H
