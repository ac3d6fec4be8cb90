//===- ds-opt.cpp - mlir-opt with deepseek's dialects and passes -*- C++ -*-===//

#include "compiler/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::ds::registerAllDialects(registry);
  mlir::ds::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "deepseek optimizer driver: runs ds passes on MLIR files\n",
      registry));
}
