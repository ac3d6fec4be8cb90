//===- NodeContext.h - what an op importer sees of one node -----*- C++ -*-===//
//
// Internal to the ONNX importer: ONNXImporter.cpp walks the graph and hands
// each node to the function registered for its op type (OpImporters.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef DS_COMPILER_IMPORT_ONNX_NODECONTEXT_H
#define DS_COMPILER_IMPORT_ONNX_NODECONTEXT_H

#include "dialects/DS/IR/DSOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

namespace mlir::ds::onnx_import {

/// Converts an ONNX TensorProto into an attribute, loading large tensors as
/// resource blobs. Fails with a diagnostic at `loc`.
FailureOr<ElementsAttr> convertTensor(const onnx::TensorProto &tensor,
                                      OpBuilder &builder, Location loc);
/// The MLIR element type of an ONNX data type, or null.
Type convertElementType(int32_t onnxType, Builder &builder);

struct NodeContext {
  const onnx::NodeProto &node;
  int64_t opset;
  OpBuilder &builder;
  Location loc;
  /// One per node input; null for an omitted optional input.
  SmallVector<Value> inputs;
  /// One per node output: ONNX's inferred type, or an unranked tensor.
  SmallVector<Type> resultTypes;
  /// Set by the op importer, one per node output it produces.
  SmallVector<Value> results;
  /// ONNX sequences exist only at compile time, as lists of values by name;
  /// sequence ops read and write them here (positions must be constants).
  llvm::StringMap<SmallVector<Value>> *sequences = nullptr;

  /// The sequence that input `i` names, or null.
  const SmallVector<Value> *sequence(unsigned i) const;
  /// Makes output `i` the sequence `items` (its result slot stays null).
  void setSequence(unsigned i, SmallVector<Value> items);

  /// An error at this node; the message is prefixed with the op type.
  InFlightDiagnostic emitError() const;
  /// The error for input `i` (`what`), which is computed at run time but
  /// must be known at compile time; names the value and, for a graph input,
  /// the --freeze-input option that fixes it.
  InFlightDiagnostic emitNotConstant(unsigned i, StringRef what) const;

  Value input(unsigned i) const { return i < inputs.size() ? inputs[i] : Value(); }
  Type resultType(unsigned i = 0) const { return resultTypes[i]; }
  /// The input's type if ranked, else null.
  RankedTensorType rankedInput(unsigned i) const;

  const onnx::AttributeProto *attr(StringRef name) const;
  bool has(StringRef name) const { return attr(name) != nullptr; }
  int64_t getInt(StringRef name, int64_t fallback) const;
  float getFloat(StringRef name, float fallback) const;
  std::string getString(StringRef name, StringRef fallback) const;
  SmallVector<int64_t> getInts(StringRef name,
                               ArrayRef<int64_t> fallback = {}) const;

  /// A 1-D i64 constant.
  Value constantI64(ArrayRef<int64_t> values);
  /// A rank-0 constant of `elementType` holding `value`.
  Value scalar(Type elementType, double value);

  /// Creates `OpTy` with the node's first result type and records it as the
  /// node's result.
  template <typename OpTy, typename... Args>
  LogicalResult emit(Args &&...args) {
    results.push_back(OpTy::create(builder, loc, resultType(0),
                                   std::forward<Args>(args)...));
    return success();
  }
};

using OpImporter = LogicalResult (*)(NodeContext &);
/// Op type (default domain) -> importer.
const llvm::StringMap<OpImporter> &getOpImporters();

} // namespace mlir::ds::onnx_import

#endif // DS_COMPILER_IMPORT_ONNX_NODECONTEXT_H
