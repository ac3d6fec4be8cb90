//===- PackWeights.cpp - constant matmul operands in kernel panels -*- C++ -*-===//
//
// The sgemm kernel packs each operand into register-tile panels before it
// multiplies. For a constant operand (a convolution's or a linear layer's
// weights) that work, and the memory traffic of a second copy, is the same
// on every run, so it is done here once, at compile time.
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Passes.h"

#include "compiler/Support/Values.h"
#include "runtime/kernels/gemm_tiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define DEBUG_TYPE "ds-pack-weights"

namespace mlir::ds {
#define GEN_PASS_DEF_PACKWEIGHTSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// The constant behind `v`, possibly reshaped (a reshape keeps the
/// row-major order), if it holds f32 values.
arith::ConstantOp constantBehind(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<tensor::ReshapeOp, tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
            def))
      break;
    v = def->getOperand(0);
  }
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  if (!constant || !isa<DenseElementsAttr, DenseF32ResourceElementsAttr>(
                       constant.getValue()))
    return {};
  auto type = dyn_cast<ShapedType>(constant.getType());
  return type && type.getElementType().isF32() ? constant : arith::ConstantOp();
}

struct PackWeightsPass
    : public ds::impl::PackWeightsPassBase<PackWeightsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::MatmulTransposeAOp,
              linalg::MatmulTransposeBOp, linalg::BatchMatmulOp>(
              op.getOperation()) &&
          op.hasPureTensorSemantics())
        matmuls.push_back(op);
    });
    packedConstants.clear();
    bool changed = false;
    for (linalg::LinalgOp op : matmuls)
      changed |= pack(op);
    if (!changed)
      return;
    // The replaced constants and their reshapes, users before definitions,
    // so that a chain goes at once (a weight left behind would be
    // bufferized into weights.bin next to its packed copy).
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<arith::ConstantOp, tensor::ReshapeOp, tensor::CollapseShapeOp,
              tensor::ExpandShapeOp>(op))
        candidates.push_back(op);
    });
    for (Operation *op : llvm::reverse(candidates))
      if (isOpTriviallyDead(op))
        op->erase();
  }

  /// Packed constants by source and layout: a weight shared by several
  /// products (the same initializer used twice) is packed once.
  llvm::DenseMap<std::pair<Operation *, std::tuple<int64_t, int64_t, int64_t, int64_t>>,
                 Value>
      packedConstants;

  /// Rewrites `op` if it has a constant operand to pack.
  bool pack(linalg::LinalgOp op) {
    auto cType = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
    if (!cType || !cType.hasStaticShape() || !cType.getElementType().isF32())
      return false;
    // Iterators ([batch,] i, j, p); A is read at ([batch,] i, p) or,
    // transposed, ([batch,] p, i).
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    MLIRContext *ctx = op.getContext();
    unsigned batched = op.getNumLoops() == 4;
    AffineExpr batch = getAffineDimExpr(0, ctx),
               i = getAffineDimExpr(batched, ctx),
               j = getAffineDimExpr(batched + 1, ctx),
               p = getAffineDimExpr(batched + 2, ctx);
    auto is = [&](AffineMap map, AffineExpr r, AffineExpr c) {
      return map.getNumResults() == 2 + batched &&
             (!batched || map.getResult(0) == batch) &&
             map.getResult(batched) == r && map.getResult(batched + 1) == c;
    };
    bool transA = is(maps[0], p, i), transB = is(maps[1], j, p);
    if (!(transA || is(maps[0], i, p)) || !(transB || is(maps[1], p, j)) ||
        !is(maps[2], i, j))
      return false;
    int64_t items = batched ? cType.getDimSize(0) : 1;
    int64_t m = cType.getDimSize(batched), n = cType.getDimSize(batched + 1);
    auto aType = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
    int64_t k = aType.getDimSize(batched + (transA ? 0 : 1));
    // The kernel packs only products it tiles (see gemm_tiles.h).
    bool transposes = ds_gemm_transposes(m, n);
    if (ds_gemm_unpacked(m) || (transposes && ds_gemm_unpacked(n)))
      return false;

    // The constant operand, A's rows or B's columns in panels of R, R being
    // the side of the register tile it takes once the kernel has decided
    // whether it computes C or C^T.
    unsigned packed = 0;
    arith::ConstantOp constant = constantBehind(op.getDpsInputs()[0]);
    if (!constant) {
      packed = 1;
      constant = constantBehind(op.getDpsInputs()[1]);
    }
    if (!constant)
      return false;
    bool rowsOfA = packed == 0;
    int64_t outer = rowsOfA ? m : n;
    int64_t r = rowsOfA == transposes ? DS_GEMM_NR : DS_GEMM_MR;
    // Whether the constant stores the operand's packed-side index x
    // outermost: A[x][q] untransposed, B[q][x] transposed.
    bool xMajor = rowsOfA != (rowsOfA ? transA : transB);
    Value &weights = packedConstants[{constant, {items, k, r, xMajor}}];
    if (!weights) {
      std::optional<std::vector<float>> values = ds::f32ValuesOf(constant.getValue());
      if (!values)
        return false;
      // Each batch item's operand in its own panels.
      int64_t panels = (outer + r - 1) / r, size = panels * k * r;
      std::vector<float> data(items * size, 0.0f);
      for (int64_t item = 0; item < items; ++item)
        for (int64_t x = 0; x < outer; ++x)
          for (int64_t q = 0; q < k; ++q)
            data[item * size + (x / r * k + q) * r + x % r] =
                (*values)[item * outer * k + (xMajor ? x * k + q : q * outer + x)];
      // Next to the source constant, which dominates all its users.
      OpBuilder b(constant);
      b.setInsertionPointAfter(constant);
      SmallVector<int64_t> shape = {panels, k, r};
      if (batched)
        shape.insert(shape.begin(), items);
      auto type = RankedTensorType::get(shape, b.getF32Type());
      auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<float>(data));
      weights = arith::ConstantOp::create(
          b, constant.getLoc(),
          DenseResourceElementsAttr::get(type, "packed", std::move(blob)));
    }

    OpBuilder b(op);
    Location loc = op.getLoc();
    // The same product over the panels: ([batch,] x floordiv R, q, x mod R).
    AffineExpr x = rowsOfA ? i : j;
    SmallVector<AffineExpr> panel = {x.floorDiv(r), p, x % r};
    if (batched)
      panel.insert(panel.begin(), batch);
    maps[packed] = AffineMap::get(op.getNumLoops(), 0, panel, ctx);
    SmallVector<Value> inputs(op.getDpsInputs());
    inputs[packed] = weights;
    SmallVector<utils::IteratorType> iterators(2 + batched,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{cType}, inputs, op.getDpsInits(), maps, iterators,
        [](OpBuilder &nb, Location nl, ValueRange args) {
          Value product = arith::MulFOp::create(nb, nl, args[0], args[1]);
          linalg::YieldOp::create(
              nb, nl, ValueRange{arith::AddFOp::create(nb, nl, args[2], product)});
        });
    generic->setAttr(kPackedAttr, b.getI64IntegerAttr(packed));
    for (StringRef activation : {"ds.clamp", "ds.silu"})
      if (Attribute attr = op->getAttr(activation))
        generic->setAttr(activation, attr);
    op->replaceAllUsesWith(generic->getResults());
    op->erase();
    return true;
  }

  static constexpr StringLiteral kPackedAttr = "ds.packed";
};
} // namespace
