//===- Diagnostics.h - how the tools print diagnostics ----------*- C++ -*-===//

#ifndef DS_COMPILER_SUPPORT_DIAGNOSTICS_H
#define DS_COMPILER_SUPPORT_DIAGNOSTICS_H

#include <string>

namespace mlir {
class Diagnostic;
class MLIRContext;
} // namespace mlir

namespace mlir::ds {

/// "<file>: node '<name>': <message>" for the importer's locations (a
/// NameLoc of the node over a FileLineColLoc of the model), "<file>:<line>:"
/// for parsed IR, with notes on following lines.
std::string describeDiagnostic(Diagnostic &diag);

/// Prints errors and warnings of `context` as "error: ..." lines on stderr
/// for as long as the returned handler lives.
struct ToolDiagnostics {
  explicit ToolDiagnostics(MLIRContext &context);
  ~ToolDiagnostics();

private:
  MLIRContext &context;
  unsigned long long id;
};

} // namespace mlir::ds

#endif // DS_COMPILER_SUPPORT_DIAGNOSTICS_H
