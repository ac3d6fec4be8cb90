//===- PlanMemory.cpp - one arena for all intermediate buffers --*- C++ -*-===//

#include "compiler/Codegen/Passes.h"

#include "compiler/Codegen/Extents.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#define DEBUG_TYPE "ds-plan-memory"

namespace mlir::ds {
#define GEN_PASS_DEF_PLANMEMORYPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

struct Buffer {
  memref::AllocOp alloc;
  int64_t size;  // bytes, rounded up to the alignment
  int64_t first; // index of the allocation in the entry block
  int64_t last;  // index of the last top-level op that uses it
  int64_t offset = -1;
};

/// The index in `block` of the last op that reads or writes `alloc`'s bytes.
int64_t lastUse(memref::AllocOp alloc, Block &block,
                const DenseMap<Operation *, int64_t> &index) {
  int64_t last = -1;
  ds::forEachAccess(alloc, [&](Operation *user) {
    if (!isa<memref::DeallocOp>(user))
      last = std::max(last, index.lookup(block.findAncestorOpInBlock(*user)));
  });
  return last;
}

struct PlanMemoryPass : public ds::impl::PlanMemoryPassBase<PlanMemoryPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &block = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(block))
      index[&op] = i;

    std::vector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (alloc->getBlock() != &block || !type.hasStaticShape() ||
          !type.getLayout().isIdentity() || type.getMemorySpace()) {
        alloc.emitError("cannot place this allocation in the arena: it must "
                        "be static, in the entry block, with an identity "
                        "layout");
        return WalkResult::interrupt();
      }
      int64_t bytes = type.getNumElements() *
                      std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
      bytes = llvm::alignTo(std::max<int64_t>(bytes, 1), alignment);
      buffers.push_back({alloc, bytes, index[alloc],
                         lastUse(alloc, block, index)});
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // Greedy by size: largest first, each at the lowest offset that does
    // not overlap a placed buffer whose live range overlaps its own.
    std::vector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    llvm::stable_sort(order, [](Buffer *a, Buffer *b) { return a->size > b->size; });
    std::vector<Buffer *> placed;
    int64_t arenaSize = 0;
    for (Buffer *b : order) {
      std::vector<Buffer *> conflicts;
      for (Buffer *p : placed)
        if (p->first <= b->last && b->first <= p->last)
          conflicts.push_back(p);
      llvm::sort(conflicts, [](Buffer *x, Buffer *y) { return x->offset < y->offset; });
      int64_t offset = 0;
      for (Buffer *p : conflicts) {
        if (offset + b->size <= p->offset)
          break;
        offset = std::max(offset, p->offset + p->size);
      }
      b->offset = offset;
      arenaSize = std::max(arenaSize, offset + b->size);
      placed.push_back(b);
    }

    // The arena is the last argument.
    MLIRContext *ctx = &getContext();
    auto arenaType =
        MemRefType::get({std::max<int64_t>(arenaSize, alignment)},
                        IntegerType::get(ctx, 8));
    if (failed(func.insertArgument(func.getNumArguments(), arenaType, {},
                                   func.getLoc())))
      return signalPassFailure();
    Value arena = func.getArgument(func.getNumArguments() - 1);
    for (Buffer &b : buffers) {
      OpBuilder builder(b.alloc);
      Value offset =
          arith::ConstantIndexOp::create(builder, b.alloc.getLoc(), b.offset);
      Value view = memref::ViewOp::create(builder, b.alloc.getLoc(),
                                          b.alloc.getType(), arena, offset,
                                          ValueRange{});
      for (Operation *user : llvm::make_early_inc_range(b.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      b.alloc.replaceAllUsesWith(view);
      b.alloc.erase();
    }
    func->setAttr("ds.arena_size",
                  IntegerAttr::get(IntegerType::get(ctx, 64), arenaSize));
  }
};
} // namespace
