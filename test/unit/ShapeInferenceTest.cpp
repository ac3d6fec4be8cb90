//===- ShapeInferenceTest.cpp - ds shape inference from C++ -----*- C++ -*-===//
//
// The C++ API the importer uses: build ds ops with loose result types and let
// inference refine them.
//
//===----------------------------------------------------------------------===//

#include "compiler/InitAll.h"
#include "dialects/DS/IR/DSOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <catch2/catch.hpp>

using namespace mlir;

namespace {
struct Fixture {
  MLIRContext context;
  OpBuilder builder{&context};
  Location loc = builder.getUnknownLoc();
  Type f32 = builder.getF32Type();
  std::string diagnostics;
  ScopedDiagnosticHandler handler{&context, [this](Diagnostic &d) {
                                    diagnostics += d.str();
                                    return success();
                                  }};

  Fixture() {
    DialectRegistry registry;
    ds::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }
  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, f32);
  }
  Value constant(ArrayRef<int64_t> shape, float value) {
    auto type = tensor(shape);
    return ds::ConstantOp::create(builder, loc, type,
                                  DenseElementsAttr::get(type, value));
  }
};
} // namespace

TEST_CASE("slidingWindowSize follows ONNX's floor and ceil modes") {
  CHECK(ds::slidingWindowSize(224, 7, 2, 3, 3, 1, false) == 112);
  CHECK(ds::slidingWindowSize(112, 3, 2, 1, 1, 1, false) == 56);
  // ceil mode keeps a last partial window, but not one that starts in the
  // end padding.
  CHECK(ds::slidingWindowSize(16, 3, 2, 0, 0, 1, true) == 8);
  CHECK(ds::slidingWindowSize(5, 2, 2, 0, 1, 1, true) == 3);
  CHECK(ds::slidingWindowSize(4, 2, 2, 0, 1, 1, true) == 2);
  CHECK(ds::slidingWindowSize(10, 3, 1, 0, 0, 2, false) == 6);
  CHECK(ShapedType::isDynamic(ds::slidingWindowSize(
      ShapedType::kDynamic, 3, 1, 0, 0, 1, false)));
}

TEST_CASE("meetTypes merges what two types know") {
  Fixture f;
  int64_t dyn = ShapedType::kDynamic;
  Type a = f.tensor({dyn, 3}), b = f.tensor({2, dyn});
  CHECK(ds::meetTypes(a, b) == f.tensor({2, 3}));
  CHECK(ds::meetTypes(UnrankedTensorType::get(f.f32), b) == b);
  CHECK(!ds::meetTypes(f.tensor({2, 3}), f.tensor({3, 3})));
  CHECK(!ds::meetTypes(f.tensor({2}), f.tensor({2, 1})));
  CHECK(!ds::meetTypes(f.tensor({2}),
                       RankedTensorType::get({2}, f.builder.getF16Type())));
}

TEST_CASE("refineResultTypes infers a conv from unranked results") {
  Fixture f;
  auto module = ModuleOp::create(f.loc);
  f.builder.setInsertionPointToEnd(module.getBody());
  Value x = f.constant({1, 3, 32, 32}, 1.0f);
  Value w = f.constant({16, 3, 3, 3}, 0.5f);
  Type unranked = UnrankedTensorType::get(f.f32);
  auto conv = ds::ConvOp::create(
      f.builder, f.loc, unranked, x, w, /*bias=*/Value(),
      f.builder.getDenseI64ArrayAttr({2, 2}),
      f.builder.getDenseI64ArrayAttr({1, 1, 1, 1}),
      f.builder.getDenseI64ArrayAttr({1, 1}), f.builder.getI64IntegerAttr(1));
  REQUIRE(succeeded(verify(module)));

  FailureOr<bool> changed = ds::refineResultTypes(conv);
  REQUIRE(succeeded(changed));
  CHECK(*changed);
  CHECK(conv.getType() == f.tensor({1, 16, 16, 16}));
  // Refining again changes nothing.
  CHECK(*ds::refineResultTypes(conv) == false);
  module->destroy();
}

TEST_CASE("the verifier reports contradicting result types") {
  Fixture f;
  auto module = ModuleOp::create(f.loc);
  f.builder.setInsertionPointToEnd(module.getBody());
  Value a = f.constant({2, 3}, 1.0f);
  Value b = f.constant({4, 5}, 1.0f);
  ds::MatMulOp::create(f.builder, f.loc, f.tensor({2, 5}), a, b);
  CHECK(failed(verify(module)));
  CHECK_THAT(f.diagnostics,
             Catch::Contains("contraction dimensions differ: 3 vs 4"));
  module->destroy();
}
