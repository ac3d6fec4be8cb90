//===- Pipelines.cpp - deepseek's pass pipelines ----------------*- C++ -*-===//

#include "compiler/Pipelines/Pipelines.h"

#include "dialects/DS/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

void mlir::ds::buildGraphOptimizationPipeline(OpPassManager &pm) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createShapeInferencePass());
  func.addPass(createConstantFoldPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  // Folding and canonicalization may have made shapes more static.
  func.addPass(createShapeInferencePass());
  func.addPass(createDeadCodeEliminationPass());
  pm.addPass(createSymbolDCEPass());
}

void mlir::ds::registerPipelines() {
  PassPipelineRegistration<>(
      "ds-graph-optimize",
      "Graph-level optimization of an imported model (deepseek-convert)",
      buildGraphOptimizationPipeline);
}
