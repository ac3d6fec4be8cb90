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

/// Lowers a graph-optimized ds module to the LLVM dialect: ds-to-linalg,
/// elementwise fusion, one-shot bufferization (identity layouts, results as
/// out-parameters), loops, then LLVM with the bare-pointer calling
/// convention, plus the `ds_model_entry(void **args)` entry that the runtime
/// calls (inputs, outputs, weights, arena). Large constants leave the code
/// for the module attribute `ds.weights`. Registered as `ds-lower-to-llvm`.
void buildLowerToLLVMPipeline(OpPassManager &pm);

/// Registers the pipelines above by name, for ds-opt.
void registerPipelines();

} // namespace mlir::ds

#endif // DS_COMPILER_PIPELINES_PIPELINES_H
