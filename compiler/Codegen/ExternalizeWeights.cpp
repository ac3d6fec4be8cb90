//===- ExternalizeWeights.cpp - constants into a weights buffer -*- C++ -*-===//

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#define DEBUG_TYPE "ds-externalize-weights"

namespace mlir::ds {
#define GEN_PASS_DEF_EXTERNALIZEWEIGHTSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

/// The bytes of a constant global's value, row-major, or nothing for element
/// types without a byte layout (i1).
std::optional<std::vector<char>> bytesOf(memref::GlobalOp global) {
  MemRefType type = global.getType();
  Type element = type.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  size_t size = type.getNumElements() * element.getIntOrFloatBitWidth() / 8;
  Attribute value = global.getInitialValue().value_or(Attribute());
  if (auto resource = dyn_cast_if_present<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != size)
      return std::nullopt;
    return std::vector<char>(blob->getData().begin(), blob->getData().end());
  }
  auto dense = dyn_cast_if_present<DenseElementsAttr>(value);
  if (!dense)
    return std::nullopt;
  ArrayRef<char> raw = dense.getRawData();
  if (dense.isSplat()) {
    std::vector<char> bytes;
    bytes.reserve(size);
    for (int64_t i = 0; i < type.getNumElements(); ++i)
      bytes.insert(bytes.end(), raw.begin(), raw.end());
    return bytes;
  }
  if (raw.size() != size)
    return std::nullopt;
  return std::vector<char>(raw.begin(), raw.end());
}

struct ExternalizeWeightsPass
    : public ds::impl::ExternalizeWeightsPassBase<ExternalizeWeightsPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal())
      return;
    MLIRContext *ctx = &getContext();

    // Place each large constant global once, in order of first use.
    std::vector<char> blob;
    llvm::DenseMap<memref::GlobalOp, int64_t> offsets;
    SmallVector<memref::GetGlobalOp> uses;
    main.walk([&](memref::GetGlobalOp get) {
      auto global = module.lookupSymbol<memref::GlobalOp>(get.getName());
      if (!global || !global.getConstant() ||
          !global.getType().hasStaticShape())
        return;
      if (!offsets.count(global)) {
        std::optional<std::vector<char>> bytes = bytesOf(global);
        if (!bytes || static_cast<int64_t>(bytes->size()) < minBytes)
          return;
        blob.resize(llvm::alignTo(blob.size(), kAlignment));
        offsets[global] = blob.size();
        blob.insert(blob.end(), bytes->begin(), bytes->end());
      }
      uses.push_back(get);
    });
    // Every model gets the argument, so that the runtime's argument layout
    // does not depend on whether a model has large constants.
    int64_t size = llvm::alignTo(blob.size(), kAlignment);
    blob.resize(size);
    auto blobType = MemRefType::get({size}, IntegerType::get(ctx, 8));
    if (failed(main.insertArgument(main.getNumArguments(), blobType, {},
                                   main.getLoc())))
      return signalPassFailure();
    Value weights = main.getArgument(main.getNumArguments() - 1);
    for (memref::GetGlobalOp get : uses) {
      auto global = module.lookupSymbol<memref::GlobalOp>(get.getName());
      OpBuilder b(get);
      Value offset =
          arith::ConstantIndexOp::create(b, get.getLoc(), offsets[global]);
      Value view = memref::ViewOp::create(b, get.getLoc(), get.getType(),
                                          weights, offset, ValueRange{});
      get.replaceAllUsesWith(view);
      get.erase();
    }
    for (auto &[global, offset] : offsets)
      if (SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();

    main->setAttr("ds.weights_size",
                  IntegerAttr::get(IntegerType::get(ctx, 64), size));
    if (size == 0)
      return;
    auto tensorType = RankedTensorType::get({size}, IntegerType::get(ctx, 8));
    module->setAttr("ds.weights",
                    DenseResourceElementsAttr::get(
                        tensorType, "ds_weights",
                        HeapAsmResourceBlob::allocateAndCopyWithAlign(
                            blob, kAlignment)));
  }
};
} // namespace
