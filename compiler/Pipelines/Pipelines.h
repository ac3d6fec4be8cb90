//===- Pipelines.h - deepseek's pass pipelines ------------------*- C++ -*-===//

#ifndef DS_COMPILER_PIPELINES_PIPELINES_H
#define DS_COMPILER_PIPELINES_PIPELINES_H

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::ds {

/// Graph-level optimization of an imported model (what deepseek-convert
/// runs): shape inference, constant folding, canonicalization (ds folders),
/// CSE, and removal of dead code. Registered as `ds-graph-optimize`.
void buildGraphOptimizationPipeline(OpPassManager &pm);

/// Registers the pipelines above by name, for ds-opt.
void registerPipelines();

} // namespace mlir::ds

#endif // DS_COMPILER_PIPELINES_PIPELINES_H
