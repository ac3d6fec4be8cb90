//===- InitAll.h - register deepseek's dialects and passes ------*- C++ -*-===//
//
// Declarations only: the dialect and pass headers stay in InitAll.cpp so that
// tools including this do not compile them.
//
//===----------------------------------------------------------------------===//

#ifndef DS_COMPILER_INITALL_H
#define DS_COMPILER_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlir::ds {

/// The ds dialect and the upstream dialects deepseek produces or parses.
void registerAllDialects(DialectRegistry &registry);

/// Every deepseek pass and pipeline, plus the upstream passes the pipelines
/// use (so `ds-opt` can replay any of them).
void registerAllPasses();

} // namespace mlir::ds

#endif // DS_COMPILER_INITALL_H
