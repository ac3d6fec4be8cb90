//===- ONNXImporter.h - ONNX models into the ds dialect ---------*- C++ -*-===//

#ifndef DS_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H
#define DS_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <string>
#include <vector>

namespace mlir::ds {

struct ONNXImportOptions {
  /// Graph input name -> static shape, overriding symbolic dimensions.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Graph input name -> .npy file whose value the input takes for good: it
  /// becomes a constant (specializing, e.g., a Reshape's shape input).
  std::map<std::string, std::string> frozenInputs;
};

/// Reads an ONNX model (binary protobuf; ONNX's text syntax when the file
/// name ends in `.onnxtxt`) and builds a module holding `func.func @main` of
/// ds ops. Graph inputs and outputs keep their ONNX names in a `ds.name`
/// argument/result attribute. Every problem is reported as an error
/// diagnostic naming the file, node and reason (all unsupported ops at once);
/// returns null then.
OwningOpRef<ModuleOp> importONNXModel(MLIRContext &context, StringRef path,
                                      const ONNXImportOptions &options = {});

/// Parses "1x3x224x224" (or "" for a scalar) into dimensions.
FailureOr<std::vector<int64_t>> parseShape(StringRef text);

/// Adds the --input-shape specs ("NAME=DIMS", e.g. input=1x3x224x224) to
/// `options`; fails with the first malformed spec in `bad`.
LogicalResult parseInputShapes(const std::vector<std::string> &specs,
                               ONNXImportOptions &options, std::string &bad);

/// Adds the --freeze-input specs ("NAME=FILE.npy") to `options`; fails
/// with the first malformed spec in `bad`.
LogicalResult parseFrozenInputs(const std::vector<std::string> &specs,
                                ONNXImportOptions &options, std::string &bad);

/// Whether the importer can translate this op of the default ONNX domain.
bool isSupportedONNXOp(StringRef opType);

} // namespace mlir::ds

#endif // DS_COMPILER_IMPORT_ONNX_ONNXIMPORTER_H
