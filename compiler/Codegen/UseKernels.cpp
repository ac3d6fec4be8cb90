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

/// An f32 matrix operand: pointer (offset applied), and batch, row and
/// column strides in elements (row and column swapped when the matmul reads
/// it transposed).
struct Operand {
  Value pointer;
  int64_t batchStride = 0, rowStride = 0, colStride = 0;
};

FailureOr<Operand> describe(OpBuilder &b, Location loc, Value v, bool batched,
                            bool transposed) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return failure();
  auto [strides, offset] = type.getStridesAndOffset();
  int64_t rank = type.getRank();
  if (llvm::any_of(strides, ShapedType::isDynamic))
    return failure();
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, v);
  Value elementOffset;
  if (ShapedType::isDynamic(offset))
    elementOffset = memref::ExtractStridedMetadataOp::create(b, loc, v).getOffset();
  else
    elementOffset = arith::ConstantIndexOp::create(b, loc, offset);
  Value bytes = arith::MulIOp::create(
      b, loc, elementOffset, arith::ConstantIndexOp::create(b, loc, 4));
  Value pointer = arith::IndexCastOp::create(
      b, loc, b.getI64Type(), arith::AddIOp::create(b, loc, base, bytes));
  Operand o{pointer, batched ? strides[0] : 0, strides[rank - 2],
            strides[rank - 1]};
  if (transposed)
    std::swap(o.rowStride, o.colStride);
  return o;
}

struct UseKernelsPass : public ds::impl::UseKernelsPassBase<UseKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> matmuls;
    module.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureBufferSemantics())
        return;
      Operation *o = op.getOperation();
      if (isa<linalg::MatmulTransposeAOp, linalg::MatmulTransposeBOp>(o) ||
          (isa<linalg::MatmulOp>(op) &&
           !cast<linalg::MatmulOp>(op).hasUserDefinedMaps()) ||
          (isa<linalg::BatchMatmulOp>(op) &&
           !cast<linalg::BatchMatmulOp>(op).hasUserDefinedMaps()))
        matmuls.push_back(op);
    });
    func::FuncOp sgemm;
    for (linalg::LinalgOp op : matmuls) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      bool batched = isa<linalg::BatchMatmulOp>(op);
      bool transA = isa<linalg::MatmulTransposeAOp>(op.getOperation());
      bool transB = isa<linalg::MatmulTransposeBOp>(op.getOperation());
      Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
      Value out = op.getDpsInits()[0];
      FailureOr<Operand> a = describe(b, loc, lhs, batched, transA);
      FailureOr<Operand> bm = describe(b, loc, rhs, batched, transB);
      FailureOr<Operand> c = describe(b, loc, out, batched, false);
      if (failed(a) || failed(bm) || failed(c))
        continue; // Stays a loop nest (and the helper ops fold away).
      if (!sgemm)
        sgemm = declareSgemm(module);
      auto cType = cast<MemRefType>(out.getType());
      auto aType = cast<MemRefType>(lhs.getType());
      int64_t rank = cType.getRank();
      int64_t batch = batched ? cType.getDimSize(0) : 1;
      int64_t k = aType.getDimSize(transA ? rank - 2 : rank - 1);
      auto i64 = [&](int64_t v) -> Value {
        return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
      };
      SmallVector<Value> args = {i64(batch), i64(cType.getDimSize(rank - 2)),
                                 i64(cType.getDimSize(rank - 1)), i64(k)};
      for (const Operand &o : {*a, *bm, *c})
        args.append({o.pointer, i64(o.batchStride), i64(o.rowStride),
                     i64(o.colStride)});
      func::CallOp::create(b, loc, sgemm, args);
      op->erase();
    }
  }

  func::FuncOp declareSgemm(ModuleOp module) {
    if (auto existing = module.lookupSymbol<func::FuncOp>(kSgemm))
      return existing;
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    SmallVector<Type> args(16, b.getI64Type());
    auto f = func::FuncOp::create(b, module.getLoc(), kSgemm,
                                  b.getFunctionType(args, {}));
    f.setPrivate();
    return f;
  }
};
} // namespace
