//===- Pipelines.cpp - deepseek's pass pipelines ----------------*- C++ -*-===//

#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Codegen/Passes.h"
#include "compiler/Conversion/Passes.h"
#include "dialects/DS/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

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

void mlir::ds::buildLowerToLLVMPipeline(OpPassManager &pm) {
  // Profiler marks between layers, while the layers are still ds ops.
  pm.addPass(createMarkLayersPass());
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createConvertDSToLinalgPass());
  func.addPass(createApproximateMathPass());
  func.addPass(createFuseElementwisePass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createPackWeightsPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  outParams.hoistStaticAllocs = true; // Results are written in place.
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.nest<func::FuncOp>().addPass(createCopyToLinalgPass());
  // Matmuls and depthwise convolutions call the kernels, before the memory
  // plan (which follows the calls' views of their buffers): the depthwise
  // kernel pads its input itself, so the padded copy's buffer disappears.
  pm.addPass(createUseKernelsPass());
  pm.addPass(createExternalizeWeightsPass());
  pm.nest<func::FuncOp>().addPass(createPlanMemoryPass());
  pm.addPass(createCanonicalizerPass());
  // The rest becomes loops that LLVM can vectorize (linalg's own lowering
  // for the shapes ours does not take).
  pm.nest<func::FuncOp>().addPass(createLinalgToLoopsPass());
  pm.nest<func::FuncOp>().addPass(createConvertLinalgToLoopsPass());
  // Large loops run on the thread pool, as the kernels do.
  pm.addPass(createOutlineParallelLoopsPass());
  // Integer powers have no LLVM intrinsic: software loops.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createParallelCallsPass());
  pm.addPass(createAddEntryWrapperPass());
}

void mlir::ds::registerPipelines() {
  PassPipelineRegistration<>(
      "ds-graph-optimize",
      "Graph-level optimization of an imported model (deepseek-convert)",
      buildGraphOptimizationPipeline);
  PassPipelineRegistration<>(
      "ds-lower-to-llvm",
      "Lowers graph-optimized ds to the LLVM dialect (deepseek-package)",
      buildLowerToLLVMPipeline);
}
