//===- UseKernels.cpp - matmuls as calls to the micro-kernels ---*- C++ -*-===//

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#define DEBUG_TYPE "ds-use-kernels"

namespace mlir::ds {
#define GEN_PASS_DEF_USEKERNELSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

constexpr StringLiteral kSgemm = "ds_kernel_sgemm";

/// A row-major f32 matrix operand: pointer (offset applied), batch stride
/// and leading dimension, in elements.
struct Operand {
  Value pointer;
  int64_t batchStride = 0, leading = 0;
};

FailureOr<Operand> describe(OpBuilder &b, Location loc, Value v, bool batched) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return failure();
  auto [strides, offset] = type.getStridesAndOffset();
  int64_t rank = type.getRank();
  if (strides.empty() || strides.back() != 1 ||
      ShapedType::isDynamic(strides[rank - 2]) ||
      (batched && ShapedType::isDynamic(strides[0])))
    return failure();
  Type i64 = b.getI64Type();
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, v);
  Value elementOffset;
  if (ShapedType::isDynamic(offset))
    elementOffset = memref::ExtractStridedMetadataOp::create(b, loc, v).getOffset();
  else
    elementOffset = arith::ConstantIndexOp::create(b, loc, offset);
  Value bytes = arith::MulIOp::create(
      b, loc, elementOffset, arith::ConstantIndexOp::create(b, loc, 4));
  Value pointer = arith::IndexCastOp::create(
      b, loc, i64, arith::AddIOp::create(b, loc, base, bytes));
  return Operand{pointer, batched ? strides[0] : 0, strides[rank - 2]};
}

struct UseKernelsPass : public ds::impl::UseKernelsPassBase<UseKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> matmuls;
    module.walk([&](linalg::LinalgOp op) {
      if ((isa<linalg::MatmulOp>(op) &&
           !cast<linalg::MatmulOp>(op).hasUserDefinedMaps()) ||
          (isa<linalg::BatchMatmulOp>(op) &&
           !cast<linalg::BatchMatmulOp>(op).hasUserDefinedMaps()))
        if (op.hasPureBufferSemantics())
          matmuls.push_back(op);
    });
    func::FuncOp sgemm;
    for (linalg::LinalgOp op : matmuls) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      bool batched = isa<linalg::BatchMatmulOp>(op);
      FailureOr<Operand> a = describe(b, loc, op.getDpsInputs()[0], batched);
      FailureOr<Operand> bm = describe(b, loc, op.getDpsInputs()[1], batched);
      FailureOr<Operand> c = describe(b, loc, op.getDpsInits()[0], batched);
      if (failed(a) || failed(bm) || failed(c))
        continue; // Stays a loop nest (and the helper ops fold away).
      if (!sgemm)
        sgemm = declareSgemm(module);
      auto cType = cast<MemRefType>(op.getDpsInits()[0].getType());
      auto aType = cast<MemRefType>(op.getDpsInputs()[0].getType());
      int64_t rank = cType.getRank();
      int64_t batch = batched ? cType.getDimSize(0) : 1;
      auto i64 = [&](int64_t v) -> Value {
        return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
      };
      SmallVector<Value> args = {
          i64(batch), i64(cType.getDimSize(rank - 2)),
          i64(cType.getDimSize(rank - 1)), i64(aType.getDimSize(rank - 1)),
          a->pointer, i64(a->batchStride), i64(a->leading),
          bm->pointer, i64(bm->batchStride), i64(bm->leading),
          c->pointer, i64(c->batchStride), i64(c->leading)};
      func::CallOp::create(b, loc, sgemm, args);
      op->erase();
    }
  }

  func::FuncOp declareSgemm(ModuleOp module) {
    if (auto existing = module.lookupSymbol<func::FuncOp>(kSgemm))
      return existing;
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    SmallVector<Type> args(13, b.getI64Type());
    auto f = func::FuncOp::create(b, module.getLoc(), kSgemm,
                                  b.getFunctionType(args, {}));
    f.setPrivate();
    return f;
  }
};
} // namespace
