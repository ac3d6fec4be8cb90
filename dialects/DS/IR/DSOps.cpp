//===- DSOps.cpp - ds op definitions ----------------------------*- C++ -*-===//
//
// The generated op classes and interfaces. Hand-written verifiers, folders
// and shape inference live in Math.cpp, NN.cpp and Tensor.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/DS/IR/DSOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mlir::ds;

#include "dialects/DS/IR/DSInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/DS/IR/DSOps.cpp.inc"
