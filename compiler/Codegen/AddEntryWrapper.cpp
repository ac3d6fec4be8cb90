//===- AddEntryWrapper.cpp - the runtime's entry point ----------*- C++ -*-===//

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

#define DEBUG_TYPE "ds-add-entry-wrapper"

namespace mlir::ds {
#define GEN_PASS_DEF_ADDENTRYWRAPPERPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {
struct AddEntryWrapperPass
    : public ds::impl::AddEntryWrapperPassBase<AddEntryWrapperPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto entry = module.lookupSymbol<LLVM::LLVMFuncOp>("main");
    if (!entry) {
      module.emitError("no LLVM function 'main' to wrap");
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    for (auto [i, arg] : llvm::enumerate(entry.getArguments()))
      if (arg.getType() != ptr) {
        entry.emitError("parameter ")
            << i << " of 'main' is " << arg.getType()
            << ", not a bare pointer (are all shapes static?)";
        return signalPassFailure();
      }
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = entry.getLoc();
    auto wrapper = LLVM::LLVMFuncOp::create(
        b, loc, "ds_model_entry",
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr}));
    Block *body = wrapper.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    SmallVector<Value> args;
    for (unsigned i = 0; i < entry.getNumArguments(); ++i) {
      Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, body->getArgument(0),
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
      args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
    }
    LLVM::CallOp::create(b, loc, entry, args);
    LLVM::ReturnOp::create(b, loc, ValueRange{});
    // Only the wrapper is exported: `main` would clash with the program's.
    entry.setLinkage(LLVM::Linkage::Internal);
  }
};
} // namespace
