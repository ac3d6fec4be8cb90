//===- InitAll.cpp - register deepseek's dialects and passes ----*- C++ -*-===//

#include "compiler/InitAll.h"

#include "compiler/Pipelines/Pipelines.h"
#include "dialects/DS/IR/DSOps.h"
#include "dialects/DS/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void mlir::ds::registerAllDialects(DialectRegistry &registry) {
  registry.insert<DSDialect, func::FuncDialect, quant::QuantDialect>();
}

void mlir::ds::registerAllPasses() {
  registerDSPasses();
  registerPipelines();
  registerCanonicalizerPass();
  registerCSEPass();
  registerSymbolDCEPass();
}
