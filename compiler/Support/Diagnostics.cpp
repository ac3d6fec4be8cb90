//===- Diagnostics.cpp - how the tools print diagnostics --------*- C++ -*-===//

#include "compiler/Support/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

std::string mlir::ds::describeDiagnostic(Diagnostic &diag) {
  std::string where;
  Location loc = diag.getLocation();
  // Fused and call-site locations from the pipelines: the first named part.
  if (auto fused = dyn_cast<FusedLoc>(loc); fused && !fused.getLocations().empty())
    loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc)) {
    if (auto file = dyn_cast<FileLineColLoc>(name.getChildLoc()))
      where = file.getFilename().str() + ": ";
    where += "node '" + name.getName().str() + "': ";
  } else if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    where = file.getFilename().str();
    if (file.getLine() != 0)
      where += ":" + std::to_string(file.getLine()) + ":" +
               std::to_string(file.getColumn());
    where += ": ";
  }
  std::string text = where + diag.str();
  for (Diagnostic &note : diag.getNotes())
    // The failing op's IR can be pages long; ds-opt shows it when needed.
    if (!StringRef(note.str()).starts_with("see current operation"))
      text += "\n  note: " + note.str();
  return text;
}

mlir::ds::ToolDiagnostics::ToolDiagnostics(MLIRContext &context)
    : context(context) {
  id = context.getDiagEngine().registerHandler([](Diagnostic &diag) {
    const char *kind = diag.getSeverity() == DiagnosticSeverity::Error ? "error"
                       : diag.getSeverity() == DiagnosticSeverity::Warning
                           ? "warning"
                           : nullptr;
    if (kind)
      llvm::errs() << kind << ": " << describeDiagnostic(diag) << "\n";
    return success();
  });
}

mlir::ds::ToolDiagnostics::~ToolDiagnostics() {
  context.getDiagEngine().eraseHandler(id);
}
