//===- LinalgToLoops.cpp - loops LLVM can vectorize -------------*- C++ -*-===//
//
// linalg-to-loops lowers a reduction as a loop nest that loads and stores
// its accumulator in memory on every iteration, and an elementwise op with
// a broadcast operand (a bias, a softmax's row sum) as a loop that reloads
// the broadcast value on every iteration. After ds-plan-memory every buffer
// is a view of one arena, so LLVM sees one object: it cannot keep the
// accumulator in a register or hoist the reload, and a loop that stores
// into the object and reads a location it cannot place relative to the
// stores is not vectorized at all ("unknown data dependence"). Softmax,
// layer norm, pooling and most elementwise loops with a broadcast operand
// ran scalar, one element per store-to-load round trip.
//
// Trailing loops of one kind that every operand reads contiguously (or not
// at all) are merged into one first: a 7x7 image's elementwise loop is one
// loop of 49, which LLVM vectorizes, not 7 of 7, which it unrolls scalar
// (or vectorizes across channels with gathers).
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Passes.h"

#include "compiler/Codegen/Extents.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

#define DEBUG_TYPE "ds-linalg-to-loops"

namespace mlir::ds {
#define GEN_PASS_DEF_LINALGTOLOOPSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// An op this pass lowers: buffers, one output, static loop ranges, every
/// reduction loop (if any) inside every parallel one, and an output
/// indexed by the parallel loops only.
bool isLowered(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumLoops() == 0 ||
      llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned parallel = op.getNumParallelLoops();
  if (parallel + op.getNumReductionLoops() != iterators.size())
    return false;
  for (auto [i, iterator] : llvm::enumerate(iterators))
    if ((iterator == utils::IteratorType::parallel) != (i < parallel))
      return false;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  for (unsigned d = parallel; d < iterators.size(); ++d)
    if (out.isFunctionOfDim(d))
      return false;
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    auto memref = dyn_cast<MemRefType>(t);
    return !memref || memref.hasStaticShape();
  });
}

/// The indices `map` gives for the loop indices `ivs`.
SmallVector<Value> indices(OpBuilder &b, Location loc, AffineMap map,
                           ValueRange ivs) {
  SmallVector<Value> result;
  for (AffineExpr e : map.getResults())
    result.push_back(getValueOrCreateConstantIndexOp(
        b, loc,
        affine::makeComposedFoldedAffineApply(
            b, loc, AffineMap::get(map.getNumDims(), 0, e),
            llvm::to_vector_of<OpFoldResult>(ivs))));
  return result;
}

/// The op's body on the values in `mapping` (inputs and accumulator),
/// cloned at `b`; returns the yielded value. A reduction's float ops are
/// marked reassociable, so that LLVM vectorizes it.
Value cloneBody(OpBuilder &b, linalg::LinalgOp op, ValueRange ivs,
                IRMapping &mapping, bool reassociate) {
  Block *body = op.getBlock();
  for (Operation &inner : body->without_terminator()) {
    if (auto idx = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(idx.getResult(), ivs[idx.getDim()]);
      continue;
    }
    Operation *clone = b.clone(inner, mapping);
    if (auto fm = dyn_cast<arith::ArithFastMathInterface>(clone);
        fm && reassociate)
      clone->setAttr(fm.getFastMathAttrName(),
                     arith::FastMathFlagsAttr::get(
                         b.getContext(), fm.getFastMathFlagsAttr().getValue() |
                                             arith::FastMathFlags::reassoc));
  }
  return mapping.lookupOrDefault(body->getTerminator()->getOperand(0));
}

/// Maps the block argument of `input` to its value at loop indices `ivs`.
void loadInput(OpBuilder &b, Location loc, linalg::LinalgOp op,
               OpOperand *input, ValueRange ivs, IRMapping &mapping) {
  Value value = input->get();
  if (isa<MemRefType>(value.getType()))
    value = memref::LoadOp::create(
        b, loc, value, indices(b, loc, op.getMatchingIndexingMap(input), ivs));
  mapping.map(op.getMatchingBlockArgument(input), value);
}

/// Whether `e` (or any result of `map`) reads a loop in [first, loops).
bool readsLoops(AffineExpr e, unsigned first, unsigned loops) {
  for (unsigned d = first; d < loops; ++d)
    if (e.isFunctionOfDim(d))
      return true;
  return false;
}
bool readsLoops(AffineMap map, unsigned first, unsigned loops) {
  return llvm::any_of(map.getResults(), [&](AffineExpr e) {
    return readsLoops(e, first, loops);
  });
}

/// The reassociation that merges the last `group` of `rank` dims.
SmallVector<ReassociationIndices> mergingLast(unsigned rank, unsigned group) {
  SmallVector<ReassociationIndices> reassociation;
  for (unsigned k = 0; k + group < rank; ++k)
    reassociation.push_back({k});
  ReassociationIndices merged;
  for (unsigned k = rank - group; k < rank; ++k)
    merged.push_back(k);
  reassociation.push_back(merged);
  return reassociation;
}

/// `op` with its trailing loops of one iterator kind merged into one, when
/// every operand's map reads them as its own trailing dims in order (over
/// a memref that can be collapsed there) or not at all, and the body does
/// not ask for their indices; otherwise `op` itself.
linalg::LinalgOp collapseTrailing(linalg::LinalgOp op) {
  if (!op.getBlock()->getOps<linalg::IndexOp>().empty())
    return op;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned loops = iterators.size();
  MLIRContext *ctx = op.getContext();
  // Whether every operand allows merging loops [first, loops): it reads
  // none of them, or reads them as its last dims, in order, over a memref
  // that collapses there.
  auto operandsAllow = [&](unsigned first) {
    unsigned group = loops - first;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      if (!readsLoops(map, first, loops))
        continue;
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      unsigned results = map.getNumResults();
      if (!type || results < group)
        return false;
      for (unsigned k = 0; k < results; ++k) {
        AffineExpr e = map.getResult(k);
        if (k + group < results ? readsLoops(e, first, loops)
                                : e != getAffineDimExpr(first + k - (results - group), ctx))
          return false;
      }
      if (!memref::CollapseShapeOp::isGuaranteedCollapsible(
              type, mergingLast(results, group)))
        return false;
    }
    return true;
  };
  unsigned first = loops - 1;
  while (first > 0 && iterators[first - 1] == iterators[loops - 1] &&
         operandsAllow(first - 1))
    --first;
  if (loops - first < 2)
    return op;
  // The new operands (collapsed views) and maps over first + 1 loops.
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<AffineExpr> renumber;
  for (unsigned d = 0; d < loops; ++d)
    renumber.push_back(getAffineDimExpr(d < first ? d : first, ctx));
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (OpOperand &operand : op->getOpOperands()) {
    Value value = operand.get();
    AffineMap map = op.getMatchingIndexingMap(&operand);
    bool reads = readsLoops(map, first, loops);
    unsigned kept = map.getNumResults() - (reads ? loops - first : 0);
    SmallVector<AffineExpr> results;
    for (unsigned k = 0; k < kept; ++k)
      results.push_back(map.getResult(k).replaceDims(renumber));
    if (reads) {
      value = memref::CollapseShapeOp::create(
          b, loc, value, mergingLast(map.getNumResults(), loops - first));
      results.push_back(getAffineDimExpr(first, ctx));
    }
    operands.push_back(value);
    maps.push_back(AffineMap::get(first + 1, 0, results, ctx));
  }
  SmallVector<utils::IteratorType> merged(iterators.begin(),
                                           iterators.begin() + first + 1);
  unsigned inputs = op.getNumDpsInputs();
  auto generic = linalg::GenericOp::create(
      b, loc, ValueRange(operands).take_front(inputs),
      ValueRange(operands).drop_front(inputs), maps, merged);
  IRMapping mapping;
  op->getRegion(0).cloneInto(&generic.getRegion(), mapping);
  op->erase();
  return generic;
}

/// `v` seen through reshaping views (which keep every element's address).
Value throughReshapes(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// The loop of `op` that ds-outline-parallel-loops may share out among
/// threads, or -1: the outermost parallel loop of more than one iteration,
/// where the op has enough iterations to pay for a parallel call (a few
/// microseconds), its iterations write distinct output elements, and every
/// input that may overlap the output is the output itself read at the
/// indices written (an in-place elementwise op), so that no thread reads
/// what another writes.
int parallelLoop(linalg::LinalgOp op, ArrayRef<int64_t> ranges) {
  constexpr int64_t minIterations = 1 << 15;
  int64_t iterations = 1;
  for (int64_t range : ranges)
    iterations *= range;
  unsigned parallel = op.getNumParallelLoops();
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap out = op.getMatchingIndexingMap(init);
  if (iterations < minIterations || !out.isProjectedPermutation() ||
      out.getNumResults() != parallel)
    return -1;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value in = input->get();
    bool inPlace = in.getType() == init->get().getType() &&
                   throughReshapes(in) == throughReshapes(init->get()) &&
                   op.getMatchingIndexingMap(input) == out;
    if (isa<MemRefType>(in.getType()) && !inPlace && ds::mayOverlap(in, init->get()))
      return -1;
  }
  for (unsigned d = 0; d < parallel; ++d)
    if (ranges[d] > 1)
      return d;
  return -1;
}

/// Innermost loops of at least this many iterations are kept from LLVM's
/// full unroll, for its vectorizer (shorter ones are as fast unrolled).
constexpr int64_t kVectorizedTrips = 8;

/// Loop nests whose innermost loop is as plain as possible: inputs that do
/// not vary in it are loaded before it, and a reduction's accumulator is
/// carried in iter_args (loaded once before the reduction loops, stored
/// once after). The loop that may run in parallel (parallelLoop) is marked
/// `ds.parallel`, its value the multiple of iterations to share out (16
/// for an innermost loop, so each thread's part vectorizes whole).
void lower(linalg::LinalgOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned parallel = op.getNumParallelLoops(), loops = ranges.size();
  bool reduction = parallel < loops;
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t range : ranges) {
    lbs.push_back(index(0));
    ubs.push_back(index(range));
    steps.push_back(index(1));
  }
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap outMap = op.getMatchingIndexingMap(init);
  // The loops around the inner ones: a reduction's parallel loops, or all
  // but the last loop of an elementwise op.
  unsigned outerLoops = reduction ? parallel : loops - 1;
  // Inputs that do not vary in the inner loops are loaded before them. A
  // reduction stores nothing there; an elementwise op stores every
  // iteration, so it hoists a load only from a buffer its stores cannot
  // reach.
  SmallVector<OpOperand *> hoisted, varying;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    bool invariant = true;
    for (unsigned d = outerLoops; d < loops; ++d)
      invariant &= !map.isFunctionOfDim(d);
    bool safe = !isa<MemRefType>(input->get().getType()) || reduction ||
                !ds::mayOverlap(input->get(), init->get());
    (invariant && safe ? hoisted : varying).push_back(input);
  }
  ArrayRef<Value> innerLbs = ArrayRef(lbs).drop_front(outerLoops),
                  innerUbs = ArrayRef(ubs).drop_front(outerLoops),
                  innerSteps = ArrayRef(steps).drop_front(outerLoops);
  SmallVector<scf::ForOp> forLoops; // the parallel loops
  scf::ForOp innermost;
  scf::LoopNest outerNest = scf::buildLoopNest(
      b, loc, ArrayRef(lbs).take_front(outerLoops),
      ArrayRef(ubs).take_front(outerLoops),
      ArrayRef(steps).take_front(outerLoops),
      [&](OpBuilder &ob, Location l, ValueRange outer) {
        // Hoisted inputs and a reduction's output do not depend on the
        // inner loops: index those at 0.
        SmallVector<Value> outerIvs(outer);
        outerIvs.append(loops - outerLoops, lbs.front());
        IRMapping hoistedValues;
        for (OpOperand *input : hoisted)
          loadInput(ob, l, op, input, outerIvs, hoistedValues);
        // The body at inner indices `inner`, on accumulator `acc` (an
        // elementwise op loads its output instead).
        auto computeAt = [&](OpBuilder &ib, Location il, ValueRange inner,
                             Value acc, SmallVector<Value> &all) {
          all.assign(outer.begin(), outer.end());
          all.append(inner.begin(), inner.end());
          IRMapping mapping = hoistedValues;
          for (OpOperand *input : varying)
            loadInput(ib, il, op, input, all, mapping);
          if (!acc)
            acc = memref::LoadOp::create(ib, il, init->get(),
                                         indices(ib, il, outMap, all));
          mapping.map(op.getMatchingBlockArgument(init), acc);
          return cloneBody(ib, op, all, mapping, reduction);
        };
        if (!reduction) {
          scf::LoopNest inner = scf::buildLoopNest(
              ob, l, innerLbs, innerUbs, innerSteps,
              [&](OpBuilder &ib, Location il, ValueRange inner) {
                SmallVector<Value> all;
                Value value = computeAt(ib, il, inner, Value(), all);
                memref::StoreOp::create(ib, il, value, init->get(),
                                        indices(ib, il, outMap, all));
              });
          forLoops.assign(inner.loops.begin(), inner.loops.end());
          innermost = forLoops.back();
          return;
        }
        SmallVector<Value> outIndices = indices(ob, l, outMap, outerIvs);
        Value start = memref::LoadOp::create(ob, l, init->get(), outIndices);
        scf::LoopNest nest = scf::buildLoopNest(
            ob, l, innerLbs, innerUbs, innerSteps, ValueRange{start},
            [&](OpBuilder &ib, Location il, ValueRange inner,
                ValueRange acc) -> scf::ValueVector {
              SmallVector<Value> all;
              return {computeAt(ib, il, inner, acc.front(), all)};
            });
        memref::StoreOp::create(ob, l, nest.results.front(), init->get(),
                                outIndices);
        innermost = nest.loops.back();
      });
  forLoops.insert(forLoops.begin(), outerNest.loops.begin(),
                  outerNest.loops.end());
  // LLVM unrolls a short constant loop (a 7x7 image's 49 elements) in full
  // before its vectorizer runs, then vectorizes the loop around it (over
  // channels) with gathers and scatters: an SE block's scale ran at one
  // element per 4 cycles. Told not to unroll, it vectorizes the loop itself.
  // ("loop_annotation" is the llvm.br attribute the loop's back edge gets.)
  if (ranges.back() >= kVectorizedTrips)
    innermost->setAttr(
        "loop_annotation",
        LLVM::LoopAnnotationAttr::get(
            b.getContext(), {}, {}, {},
            LLVM::LoopUnrollAttr::get(b.getContext(), b.getBoolAttr(true), {},
                                      {}, {}, {}, {}, {}),
            {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}));
  if (int d = parallelLoop(op, ranges); d >= 0)
    forLoops[d]->setAttr(ds::kParallelAttr,
                         b.getI64IntegerAttr(unsigned(d) + 1 == loops ? 16 : 1));
  op->erase();
}

struct LinalgToLoopsPass
    : public ds::impl::LinalgToLoopsPassBase<LinalgToLoopsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isLowered(op))
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops)
      lower(collapseTrailing(op));
  }
};
} // namespace
