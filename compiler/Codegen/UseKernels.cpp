//===- UseKernels.cpp - the runtime's kernels for what they do best -*- C++ -*-===//
//
// On buffers, before the memory plan: f32 matrix products (packed or not,
// over im2col columns read in place), Winograd's transforms, depthwise
// convolutions, max pooling and copies become calls to runtime/kernels, and
// the loops that only prepared a kernel's input or output (a padded copy,
// im2col columns, an output's bias or zero start) are folded into the call. The analyses
// here decide when that is safe: which earlier op last wrote a buffer, and
// whether anything could have changed what it read since (Extents.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Passes.h"

#include "compiler/Codegen/Extents.h"
#include "runtime/kernels/gemm_tiles.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#define DEBUG_TYPE "ds-use-kernels"

namespace mlir::ds {
#define GEN_PASS_DEF_USEKERNELSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

constexpr StringLiteral kSgemm = "ds_kernel_sgemm";
constexpr StringLiteral kSgemmPacked = "ds_kernel_sgemm_packed";
constexpr StringLiteral kSgemmConv = "ds_kernel_sgemm_conv";
constexpr StringLiteral kDwconv = "ds_kernel_dwconv2d";
constexpr StringLiteral kCopy = "ds_kernel_copy";
constexpr StringLiteral kMaxPool = "ds_kernel_maxpool2d";
constexpr StringLiteral kWinogradInput = "ds_kernel_winograd_input";
constexpr StringLiteral kWinogradOutput = "ds_kernel_winograd_output";

/// An f32 matrix operand: its buffer's base pointer (a real pointer once
/// lowered, so LLVM keeps its provenance), the element offset
/// of (0, 0), and batch, row and column strides in elements (row and column
/// swapped when the matmul reads it transposed).
struct Operand {
  Value buffer, offset;
  int64_t batchStride = 0, rowStride = 0, colStride = 0;
};

/// A static f32 buffer as (base pointer, offset in elements, strides).
struct Buffer {
  Value pointer, offset;
  SmallVector<int64_t> strides;
};

FailureOr<Buffer> pointerTo(OpBuilder &b, Location loc, Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return failure();
  auto [strides, offset] = type.getStridesAndOffset();
  if (llvm::any_of(strides, ShapedType::isDynamic))
    return failure();
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, v);
  Value elementOffset = ShapedType::isDynamic(offset)
                            ? Value(meta.getOffset())
                            : Value(arith::ConstantIndexOp::create(b, loc, offset));
  // The base pointer, carried by a memref<1xf32> (identity layout, static
  // shape: a bare pointer under the bare-pointer calling convention); the
  // kernel indexes past its nominal size from the offset and strides.
  auto carrier = MemRefType::get({1}, b.getF32Type());
  Value pointer = memref::ReinterpretCastOp::create(
      b, loc, carrier, meta.getBaseBuffer(), OpFoldResult(b.getIndexAttr(0)),
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  return Buffer{pointer,
                arith::IndexCastOp::create(b, loc, b.getI64Type(), elementOffset),
                SmallVector<int64_t>(strides)};
}

FailureOr<Operand> describe(OpBuilder &b, Location loc, Value v, bool batched,
                            bool transposed) {
  FailureOr<Buffer> buffer = pointerTo(b, loc, v);
  if (failed(buffer))
    return failure();
  ArrayRef<int64_t> strides = buffer->strides;
  int64_t rank = strides.size();
  Operand o{buffer->pointer, buffer->offset, batched ? strides[0] : 0,
            strides[rank - 2], strides[rank - 1]};
  if (transposed)
    std::swap(o.rowStride, o.colStride);
  return o;
}

/// Whether `op` writes no memory (reshapes read their shape operand).
bool onlyReadsOrAllocates(Operation *op) {
  if (isMemoryEffectFree(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return false;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::all_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Allocate>(e.getEffect());
  });
}

/// Whether nothing between `from` and `to` (in one block) may write
/// `buffer`, so that `to` can read what `from` would have.
bool unchangedBetween(Value buffer, Operation *from, Operation *to) {
  std::optional<ds::Extent> extent = ds::extentOf(buffer);
  if (!extent)
    return false;
  for (Operation *op = from->getNextNode(); op != to; op = op->getNextNode()) {
    if (!op)
      return false;
    if (isa<func::CallOp>(op) &&
        llvm::none_of(op->getOperandTypes(), llvm::IsaPred<MemRefType>))
      continue; // The profiler's marks.
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp) {
      if (onlyReadsOrAllocates(op))
        continue;
      return false;
    }
    for (Value written : linalgOp.getDpsInits()) {
      std::optional<ds::Extent> other = ds::extentOf(written);
      if (!other || other->overlaps(*extent))
        return false;
    }
  }
  return true;
}

/// If `padded` is a buffer that is only filled with `padValue`, has an image
/// copied into its interior and is then read by `reader`, the image and the
/// padding before its rows and columns; the fill and the copy are erased
/// when the reader takes the padding upon itself.
struct PaddedImage {
  Value image;
  int64_t top = 0, left = 0;
  Operation *copy = nullptr;
  SmallVector<Operation *> writes;
};

std::optional<PaddedImage> paddingOf(Value padded, Operation *reader,
                                     float padValue = 0.0f) {
  auto isPad = [&](Value v) {
    FloatAttr attr;
    return matchPattern(v, m_Constant(&attr)) &&
           attr.getValue().convertToFloat() == padValue;
  };
  PaddedImage result;
  for (Operation *user : padded.getUsers()) {
    if (user == reader)
      continue;
    if (auto fill = dyn_cast<linalg::FillOp>(user)) {
      if (!isPad(fill.getInputs()[0]))
        return std::nullopt;
      result.writes.push_back(fill);
      continue;
    }
    if (auto map = dyn_cast<linalg::MapOp>(user)) {
      auto yield = cast<linalg::YieldOp>(map.getBody()->getTerminator());
      if (!map.getInputs().empty() ||
          !isPad(yield.getValues()[0]))
        return std::nullopt;
      result.writes.push_back(map);
      continue;
    }
    auto view = dyn_cast<memref::SubViewOp>(user);
    if (!view || !view->hasOneUse() || !view.hasUnitStride() ||
        result.image)
      return std::nullopt;
    auto copy = dyn_cast<linalg::CopyOp>(*view->getUsers().begin());
    // Only rows and columns padded: the readers take every channel of the
    // padded buffer for the image's.
    ArrayRef<int64_t> offsets = view.getStaticOffsets();
    if (!copy || copy.getOutputs()[0] != view.getResult() ||
        offsets.size() != 4 || offsets[0] != 0 || offsets[1] != 0 ||
        view.getStaticSizes()[1] != view.getSourceType().getDimSize(1) ||
        ShapedType::isDynamic(offsets[2]) || ShapedType::isDynamic(offsets[3]))
      return std::nullopt;
    result.image = copy.getInputs()[0];
    result.top = offsets[2];
    result.left = offsets[3];
    result.copy = copy;
    result.writes.append({copy, view});
  }
  // The writes must come before the reader, and the image must still hold
  // what the copy saw, since it is now read where the reader is.
  if (!result.image || result.writes.size() != 3 ||
      llvm::any_of(result.writes, [&](Operation *op) {
        return op->getBlock() != reader->getBlock() ||
               !op->isBeforeInBlock(reader);
      }))
    return std::nullopt;
  if (!unchangedBetween(result.image, result.copy, reader))
    return std::nullopt;
  return result;
}

/// The fused activation as the kernels take it: the clamp's bounds
/// (ds-to-linalg's "ds.clamp", else infinite), then 1 if a SiLU comes
/// first ("ds.silu"), else 0.
SmallVector<Value, 3> activationArgs(OpBuilder &b, Location loc, Operation *op) {
  float inf = std::numeric_limits<float>::infinity();
  float lo = -inf, hi = inf;
  if (auto clamp = op->getAttrOfType<DenseF32ArrayAttr>("ds.clamp");
      clamp && clamp.size() == 2) {
    lo = clamp[0];
    hi = clamp[1];
  }
  auto f32 = [&](float v) -> Value {
    return arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(v));
  };
  return {f32(lo), f32(hi),
          arith::ConstantIntOp::create(b, loc, b.getI64Type(),
                                       op->hasAttr("ds.silu") ? 1 : 0)};
}

/// A product's starting value that a loop wrote into its output just before
/// it, which the kernel can compute itself instead: zero, or the sum of one
/// or two inputs broadcast to the output (a convolution's bias, bias +
/// residual). Each part is an input read at (i, j) of the product's M x N
/// output as [i * rowStride + j * colStride].
struct Start {
  Operation *init = nullptr;
  Value output; // The product's output that `init` wrote.
  struct Part {
    Value buffer;
    int64_t rowStride = 0, colStride = 0;
    /// Read at the output's own elements: element L of both is the L-th
    /// of their (identity-layout, equally shaped) buffers.
    bool elementwise = false;
  };
  SmallVector<Part, 2> parts;
};

/// The element strides of input `input` of the elementwise loop `init`
/// (whose output has shape `shape`, row-major) along the rows and columns
/// of the same elements seen as an M x N matrix, if its address is linear
/// in both.
std::optional<std::pair<int64_t, int64_t>>
stridesAsMatrix(linalg::LinalgOp init, OpOperand *input, ArrayRef<int64_t> shape,
                int64_t rows) {
  auto type = dyn_cast<MemRefType>(input->get().getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  auto [strides, offset] = type.getStridesAndOffset();
  AffineMap map = init.getMatchingIndexingMap(input);
  // e[d]: elements the input's address moves per step of output dim d.
  SmallVector<int64_t> e(shape.size(), 0);
  for (auto [k, result] : llvm::enumerate(map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(result))
      e[dim.getPosition()] += strides[k];
    else if (auto c = dyn_cast<AffineConstantExpr>(result); !c || c.getValue())
      return std::nullopt;
  }
  // The output's first `split` dims are the matrix's rows.
  int64_t product = 1;
  size_t split = 0;
  while (split < shape.size() && product != rows)
    product *= shape[split++];
  if (product != rows)
    return std::nullopt;
  // A group of dims flattened row-major moves the address linearly if each
  // non-unit dim moves it `stride` times the elements after it.
  auto groupStride = [&](size_t lo, size_t hi) -> std::optional<int64_t> {
    std::optional<int64_t> stride;
    int64_t after = 1;
    for (size_t d = hi; d-- > lo;) {
      if (shape[d] != 1) {
        if (!stride)
          stride = e[d] / after;
        if (e[d] != *stride * after)
          return std::nullopt;
      }
      after *= shape[d];
    }
    return stride.value_or(0);
  };
  std::optional<int64_t> rs = groupStride(0, split),
                         cs = groupStride(split, shape.size());
  if (!rs || !cs)
    return std::nullopt;
  return std::make_pair(*rs, *cs);
}

/// The loop that initialized `product`'s output `c` (contiguous, seen as a
/// matrix of `rows` rows) just before it, if it is one the kernel can take
/// over. `identity` is the product's start when no part is added (zero for
/// sums; max pooling's -inf takes no parts).
std::optional<Start> startOf(Operation *product, Value c, int64_t rows,
                             float identity = 0.0f) {
  auto cType = dyn_cast<MemRefType>(c.getType());
  if (!cType || !cType.hasStaticShape() || !cType.getLayout().isIdentity())
    return std::nullopt;
  // The nearest earlier op that touches the output must write all of it.
  linalg::LinalgOp init;
  for (Operation *op = product->getPrevNode(); op && !init;
       op = op->getPrevNode()) {
    if (isa<ViewLikeOpInterface>(op) && onlyReadsOrAllocates(op))
      continue;
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      for (Value output : linalgOp.getDpsInits())
        if (ds::mayOverlap(output, c))
          init = linalgOp;
      if (!init && llvm::any_of(linalgOp.getDpsInputs(), [&](Value v) {
            return isa<MemRefType>(v.getType()) && ds::mayOverlap(v, c);
          }))
        return std::nullopt;
      continue;
    }
    if (llvm::any_of(op->getOperands(), [&](Value v) {
          return isa<MemRefType>(v.getType()) && ds::mayOverlap(v, c);
        }) ||
        !(onlyReadsOrAllocates(op) || isa<func::CallOp>(op)))
      return std::nullopt;
  }
  if (!init || init.getNumDpsInits() != 1 ||
      init.getNumLoops() != init.getNumParallelLoops() ||
      !init.hasPureBufferSemantics())
    return std::nullopt;
  auto outType = dyn_cast<MemRefType>(init.getDpsInits()[0].getType());
  std::optional<ds::Extent> written = ds::extentOf(init.getDpsInits()[0]),
                            output = ds::extentOf(c);
  if (!outType || !written || !output || !(*written == *output) ||
      !outType.getLayout().isIdentity() ||
      !outType.hasStaticShape() ||
      outType.getNumElements() != cType.getNumElements() ||
      !init.getMatchingIndexingMap(init.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  Start start;
  start.init = init;
  start.output = c;
  auto isIdentity = [&](Value v) {
    FloatAttr attr;
    return matchPattern(v, m_Constant(&attr)) &&
           attr.getValue().convertToFloat() == identity;
  };
  if (auto fill = dyn_cast<linalg::FillOp>(init.getOperation())) {
    if (!isIdentity(fill.getInputs()[0]))
      return std::nullopt;
    return start;
  }
  // The body: the identity, one input, or the sum of two (onto zero); a
  // zero addend (a bias of zeros, folded to its scalar) is left out, which
  // changes at most the sign of a zero.
  Block *body = init.getBlock();
  Value yielded = body->getTerminator()->getOperand(0);
  SmallVector<Value> addends;
  if (isIdentity(yielded)) {
  } else if (identity != 0.0f) {
    return std::nullopt;
  } else if (isa<BlockArgument>(yielded)) {
    addends.push_back(yielded);
  } else if (auto add = yielded.getDefiningOp<arith::AddFOp>();
             add && add->getBlock() == body && &body->front() == add) {
    for (Value addend : {add.getLhs(), add.getRhs()})
      if (!isIdentity(addend))
        addends.push_back(addend);
  } else {
    return std::nullopt;
  }
  for (Value addend : addends) {
    auto arg = dyn_cast<BlockArgument>(addend);
    if (!arg || arg.getOwner() != body ||
        arg.getArgNumber() >= init.getNumDpsInputs())
      return std::nullopt;
    OpOperand *input = init.getDpsInputOperand(arg.getArgNumber());
    std::optional<std::pair<int64_t, int64_t>> strides =
        stridesAsMatrix(init, input, outType.getShape(), rows);
    // A part in the output itself would be overwritten while it is read.
    if (!strides || ds::mayOverlap(input->get(), c))
      return std::nullopt;
    auto inType = cast<MemRefType>(input->get().getType());
    bool elementwise = init.getMatchingIndexingMap(input).isIdentity() &&
                       inType.getLayout().isIdentity() &&
                       inType.getShape() == outType.getShape();
    start.parts.push_back(
        {input->get(), strides->first, strides->second, elementwise});
  }
  // The inputs must still hold what the loop read when the kernel reads
  // them: nothing in between may write them.
  for (Operation *op = init->getNextNode(); op != product; op = op->getNextNode())
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      for (Value output : linalgOp.getDpsInits())
        for (const Start::Part &part : start.parts)
          if (ds::mayOverlap(output, part.buffer))
            return std::nullopt;
  return start;
}

/// `e` as sum(coefficients[d] * d) + constant, if it is linear in the dims.
bool linearize(AffineExpr e, MutableArrayRef<int64_t> coefficients,
               int64_t &constant, int64_t scale = 1) {
  if (auto dim = dyn_cast<AffineDimExpr>(e)) {
    coefficients[dim.getPosition()] += scale;
    return true;
  }
  if (auto c = dyn_cast<AffineConstantExpr>(e)) {
    constant += scale * c.getValue();
    return true;
  }
  auto binary = dyn_cast<AffineBinaryOpExpr>(e);
  if (!binary)
    return false;
  if (binary.getKind() == AffineExprKind::Add)
    return linearize(binary.getLHS(), coefficients, constant, scale) &&
           linearize(binary.getRHS(), coefficients, constant, scale);
  if (binary.getKind() == AffineExprKind::Mul)
    if (auto c = dyn_cast<AffineConstantExpr>(binary.getRHS()))
      return linearize(binary.getLHS(), coefficients, constant,
                       scale * c.getValue());
  return false;
}

/// The element strides per loop of `operand` of `op` (a static buffer read
/// or written at an affine-linear map), and the elements its map adds.
std::optional<std::pair<SmallVector<int64_t>, int64_t>>
loopStrides(linalg::LinalgOp op, OpOperand *operand) {
  auto type = dyn_cast<MemRefType>(operand->get().getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  auto [strides, offset] = type.getStridesAndOffset();
  if (llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  AffineMap map = op.getMatchingIndexingMap(operand);
  SmallVector<int64_t> result(map.getNumDims(), 0);
  int64_t shift = 0;
  for (auto [k, e] : llvm::enumerate(map.getResults())) {
    SmallVector<int64_t> coefficients(map.getNumDims(), 0);
    int64_t constant = 0;
    if (!linearize(e, coefficients, constant))
      return std::nullopt;
    for (unsigned d = 0; d < map.getNumDims(); ++d)
      result[d] += coefficients[d] * strides[k];
    shift += constant * strides[k];
  }
  return std::make_pair(result, shift);
}

/// A copy: all loops parallel, one 32-bit float input yielded as it is.
bool isCopy(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != op.getNumParallelLoops() || op.getNumLoops() == 0)
    return false;
  auto in = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType());
  auto out = dyn_cast<MemRefType>(op.getDpsInits()[0].getType());
  Block *body = op.getBlock();
  return in && out && in.getElementType().isF32() &&
         out.getElementType().isF32() && body->getOperations().size() == 1 &&
         body->getTerminator()->getOperand(0) == body->getArgument(0);
}

/// A convolution's im2col columns that a product reads as its K x N
/// operand: a copy of a [1, C, H, W] image (padded) into a buffer [C, KH,
/// KW, OH, OW] at (0, c, y sh + i dh, x sw + j dw), sw 1 or 2 (the
/// kernel's vector loads), which only the product reads (through
/// reshapes), with the image unchanged in between; the kernel can then
/// read the image in place. `dead` is the copy, then the
/// buffer's views and the buffer, users first.
struct Im2col {
  Value image;
  int64_t kh = 0, kw = 0, ow = 0, sh = 0, sw = 0, dh = 0, dw = 0;
  SmallVector<Operation *> dead;
};

std::optional<Im2col> im2colOf(Value operand, Operation *product) {
  Im2col result;
  Value v = operand;
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::ReshapeOp>(def))
      break;
    if (!v.hasOneUse())
      return std::nullopt;
    result.dead.push_back(def);
    v = def->getOperand(0);
  }
  auto alloc = v.getDefiningOp<memref::AllocOp>();
  auto type = alloc ? alloc.getType() : MemRefType();
  if (!type || type.getRank() != 5 || !type.hasStaticShape() ||
      !type.getLayout().isIdentity() || (result.dead.empty() && !v.hasOneUse()))
    return std::nullopt;
  // The buffer's users: the views above and one copy into it.
  linalg::LinalgOp copy;
  for (Operation *user : alloc->getUsers()) {
    if (llvm::is_contained(result.dead, user))
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
    if (copy || !linalgOp || !isCopy(linalgOp) ||
        linalgOp.getDpsInits()[0] != alloc.getResult())
      return std::nullopt;
    copy = linalgOp;
  }
  if (!copy || copy->getBlock() != product->getBlock() ||
      !copy->isBeforeInBlock(product) ||
      !copy.getMatchingIndexingMap(copy.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  // The image, read at (0, c, y sh + i dh, x sw + j dw) over loops
  // (c, i, j, y, x).
  Value image = copy.getDpsInputs()[0];
  auto imageType = dyn_cast<MemRefType>(image.getType());
  AffineMap map = copy.getMatchingIndexingMap(copy.getDpsInputOperand(0));
  if (!imageType || imageType.getRank() != 4 || imageType.getDimSize(0) != 1 ||
      map.getNumResults() != 4 || map.getResult(0) != getAffineConstantExpr(0, map.getContext()) ||
      map.getResult(1) != getAffineDimExpr(0, map.getContext()))
    return std::nullopt;
  SmallVector<int64_t> rows(5, 0), cols(5, 0);
  int64_t rowShift = 0, colShift = 0;
  if (!linearize(map.getResult(2), rows, rowShift) ||
      !linearize(map.getResult(3), cols, colShift) || rowShift || colShift ||
      rows[0] || rows[2] || rows[4] || cols[0] || cols[1] || cols[3] ||
      rows[1] <= 0 || rows[3] <= 0 || cols[2] <= 0 || cols[4] <= 0 ||
      cols[4] > 2)
    return std::nullopt;
  if (!unchangedBetween(image, copy, product))
    return std::nullopt;
  result.image = image;
  result.dh = rows[1];
  result.sh = rows[3];
  result.dw = cols[2];
  result.sw = cols[4];
  result.kh = type.getDimSize(1);
  result.kw = type.getDimSize(2);
  result.ow = type.getDimSize(4);
  result.dead.insert(result.dead.begin(), copy);
  result.dead.push_back(alloc);
  return result;
}

struct UseKernelsPass : public ds::impl::UseKernelsPassBase<UseKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> matmuls;
    SmallVector<linalg::GenericOp> packed, depthwise, winogradIn, winogradOut;
    SmallVector<linalg::PoolingNchwMaxOp> pools;
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
      else if (auto generic = dyn_cast<linalg::GenericOp>(o);
               generic && generic->hasAttr("ds.packed"))
        packed.push_back(generic);
      else if (auto generic = dyn_cast<linalg::GenericOp>(o);
               generic && generic->hasAttr("ds.depthwise"))
        depthwise.push_back(generic);
      else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(o))
        pools.push_back(pool);
      else if (auto generic = dyn_cast<linalg::GenericOp>(o))
        if (auto stage = generic->getAttrOfType<StringAttr>("ds.winograd"))
          (stage.getValue() == "input" ? winogradIn : winogradOut)
              .push_back(generic);
    });
    for (linalg::LinalgOp op : matmuls)
      callSgemm(module, op);
    for (linalg::GenericOp op : packed)
      callSgemmPacked(module, op);
    for (linalg::GenericOp op : depthwise)
      callDwconv(module, op);
    for (linalg::PoolingNchwMaxOp op : pools)
      callMaxPool(module, op);
    for (linalg::GenericOp op : winogradIn)
      callWinogradInput(module, op);
    for (linalg::GenericOp op : winogradOut)
      callWinogradOutput(module, op);
    // Copies last: the kernels above take over some (padding, starts).
    SmallVector<linalg::LinalgOp> copies;
    module.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && isCopy(op))
        copies.push_back(op);
    });
    for (linalg::LinalgOp op : copies)
      callCopy(module, op);
    // A fused ReLU/Clip/SiLU exists only in the kernels: a product left as
    // loops would silently drop it.
    WalkResult left = module.walk([](linalg::LinalgOp op) {
      for (StringRef activation : {"ds.clamp", "ds.silu"})
        if (op->hasAttr(activation)) {
          op->emitOpError("has a fused activation (")
              << activation << ") but no kernel takes it";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }

  /// A copy whose source and destination cannot overlap, over at most five
  /// non-unit loops, calls ds_kernel_copy.
  void callCopy(ModuleOp module, linalg::LinalgOp op) {
    OpOperand *in = op.getDpsInputOperand(0), *out = op.getDpsInitOperand(0);
    if (ds::mayOverlap(in->get(), out->get()))
      return;
    auto src = loopStrides(op, in), dst = loopStrides(op, out);
    if (!src || !dst)
      return;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // Unit loops dropped, the rest right-aligned in five.
    SmallVector<int64_t> size, srcStride, dstStride;
    for (auto [d, range] : llvm::enumerate(ranges))
      if (range != 1) {
        size.push_back(range);
        srcStride.push_back(src->first[d]);
        dstStride.push_back(dst->first[d]);
      }
    if (size.size() > 5 || llvm::any_of(ranges, ShapedType::isDynamic))
      return;
    while (size.size() < 5) {
      size.insert(size.begin(), 1);
      srcStride.insert(srcStride.begin(), 0);
      dstStride.insert(dstStride.begin(), 0);
    }
    OpBuilder b(op);
    Location loc = op.getLoc();
    FailureOr<Buffer> source = pointerTo(b, loc, in->get());
    FailureOr<Buffer> target = pointerTo(b, loc, out->get());
    if (failed(source) || failed(target))
      return;
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
    };
    auto shifted = [&](Value offset, int64_t shift) -> Value {
      return shift ? arith::AddIOp::create(b, loc, offset, i64(shift)).getResult()
                   : offset;
    };
    SmallVector<Value> args = {source->pointer, shifted(source->offset, src->second),
                               target->pointer, shifted(target->offset, dst->second)};
    for (ArrayRef<int64_t> values : {ArrayRef(size), ArrayRef(srcStride),
                                     ArrayRef(dstStride)})
      for (int64_t v : values)
        args.push_back(i64(v));
    callKernel(module, b, loc, kCopy, args);
    op->erase();
  }

  /// A window kernel over one f32 NCHW image (dwconv.c): `op` reads
  /// `input`, padded with `padValue` (absorbed when the padding was a
  /// separate fill and copy), and writes `output`; `weights` are a
  /// depthwise convolution's [C, KH, KW] (null: max pooling over a
  /// `window[0]` x `window[1]` window). `geometry` is strides then
  /// dilations. The call: channels, input and output sizes, window,
  /// geometry, top and left padding, input (buffer, offset, channel and row
  /// strides), the weights (buffer, offset), output likewise, then for a
  /// convolution its activation and start as callWithStart's, for pooling
  /// whether it starts from -inf (else from the output).
  void callWindow(ModuleOp module, Operation *op, StringRef kernel,
                  Value input, Value weights, Value output,
                  ArrayRef<int64_t> window, ArrayRef<int64_t> geometry,
                  float padValue) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    std::optional<PaddedImage> padding = paddingOf(input, op, padValue);
    if (padding)
      input = padding->image;
    auto inType = dyn_cast<MemRefType>(input.getType());
    auto outType = dyn_cast<MemRefType>(output.getType());
    if (!inType || !outType || inType.getRank() != 4 ||
        outType.getRank() != 4 || inType.getDimSize(0) != 1 ||
        (weights && !cast<MemRefType>(weights.getType()).getLayout().isIdentity()))
      return;
    FailureOr<Buffer> in = pointerTo(b, loc, input);
    FailureOr<Buffer> w = weights ? pointerTo(b, loc, weights) : FailureOr<Buffer>(Buffer{});
    FailureOr<Buffer> out = pointerTo(b, loc, output);
    if (failed(in) || failed(out) || failed(w) || in->strides[3] != 1 ||
        out->strides[3] != 1)
      return; // Stays a loop nest.
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
    };
    SmallVector<Value> args;
    for (int64_t v : {inType.getDimSize(1), inType.getDimSize(2),
                      inType.getDimSize(3), outType.getDimSize(2),
                      outType.getDimSize(3), window[0], window[1]})
      args.push_back(i64(v));
    for (int64_t v : geometry)
      args.push_back(i64(v));
    args.append({i64(padding ? padding->top : 0), i64(padding ? padding->left : 0),
                 in->pointer, in->offset, i64(in->strides[1]), i64(in->strides[2])});
    if (weights)
      args.append({w->pointer, w->offset});
    args.append({out->pointer, out->offset, i64(out->strides[1]),
                 i64(out->strides[2])});
    // The loop that started the output, taken over: a convolution's bias
    // (and residual), or pooling's -inf.
    std::optional<Start> start =
        startOf(op, output, outType.getDimSize(1), weights ? 0.0f : padValue);
    if (weights) {
      callWithStart(module, b, op, kernel, std::move(args), start,
                    Operand{out->pointer, out->offset});
    } else {
      args.push_back(i64(start ? 1 : 0));
      callKernel(module, b, loc, kernel, args);
      op->erase();
      if (start)
        start->init->erase();
    }
    if (padding)
      for (Operation *write : padding->writes)
        write->erase();
  }

  /// Max pooling of one image calls ds_kernel_maxpool2d (-inf padding).
  void callMaxPool(ModuleOp module, linalg::PoolingNchwMaxOp op) {
    auto window = dyn_cast<MemRefType>(op.getInputs()[1].getType());
    auto type = dyn_cast<MemRefType>(op.getInputs()[0].getType());
    if (!window || !window.hasStaticShape() || !type ||
        !type.getElementType().isF32())
      return;
    SmallVector<int64_t> geometry(op.getStrides().getValues<int64_t>());
    llvm::append_range(geometry, op.getDilations().getValues<int64_t>());
    callWindow(module, op, kMaxPool, op.getInputs()[0], Value(),
               op.getOutputs()[0], window.getShape(), geometry,
               -std::numeric_limits<float>::infinity());
  }

  /// ds-to-linalg's depthwise convolution of one image (loops n, c, oh, kh,
  /// kw, ow over a padded input, marked with its strides and dilations)
  /// calls ds_kernel_dwconv2d (zero padding).
  void callDwconv(ModuleOp module, linalg::GenericOp op) {
    auto attr = op->getAttrOfType<DenseI64ArrayAttr>("ds.depthwise");
    auto wType = dyn_cast<MemRefType>(op.getDpsInputs()[1].getType());
    if (!attr || attr.size() != 4 || op.getNumDpsInputs() != 2 || !wType ||
        wType.getRank() != 3)
      return;
    callWindow(module, op, kDwconv, op.getDpsInputs()[0], op.getDpsInputs()[1],
               op.getDpsInits()[0], wType.getShape().drop_front(),
               attr.asArrayRef(), 0.0f);
  }

  void callSgemm(ModuleOp module, linalg::LinalgOp op) {
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
      return; // Stays a loop nest (and the helper ops fold away).
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
      args.append({o.buffer, o.offset, i64(o.batchStride), i64(o.rowStride),
                   i64(o.colStride)});
    args.append(activationArgs(b, loc, op));
    callKernel(module, b, loc, kSgemm, args);
    op->erase();
  }

  /// A product with an operand ds-pack-weights packed: ([batch,] i, j, p)
  /// loops, the packed operand read at ([batch,] x floordiv R, p, x mod R).
  void callSgemmPacked(ModuleOp module, linalg::GenericOp op) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto packedAttr = op->getAttrOfType<IntegerAttr>("ds.packed");
    int64_t packedIndex = packedAttr ? packedAttr.getInt() : -1;
    if (packedIndex != 0 && packedIndex != 1)
      return;
    Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
    Value out = op.getDpsInits()[0];
    bool batched = op.getNumLoops() == 4;
    // The unpacked operand is transposed when read at (p, i) or (j, p).
    AffineMap map = op.getIndexingMapsArray()[1 - packedIndex];
    if (map.getNumResults() != 2 + batched)
      return;
    bool transposed = map.getResult(batched + (packedIndex == 0 ? 1 : 0)) ==
                      getAffineDimExpr(batched + 2, op.getContext());
    auto packedType = dyn_cast<MemRefType>(op.getDpsInputs()[packedIndex].getType());
    if (!packedType || packedType.getRank() != 3 + batched ||
        !packedType.getLayout().isIdentity())
      return;
    // Weights times im2col columns: the columns are read from the image.
    if (auto cType = cast<MemRefType>(out.getType());
        !batched && packedIndex == 0 && !transposed &&
        !ds_gemm_unpacked(cType.getDimSize(0)) &&
        !ds_gemm_transposes(cType.getDimSize(0), cType.getDimSize(1)))
      if (std::optional<Im2col> columns = im2colOf(rhs, op))
        if (callSgemmConv(module, op, *columns))
          return;
    FailureOr<Operand> a = describe(b, loc, lhs, batched, transposed);
    FailureOr<Operand> bm = describe(b, loc, rhs, batched, transposed);
    FailureOr<Operand> c = describe(b, loc, out, batched, false);
    if (failed(a) || failed(bm) || failed(c))
      return;
    (packedIndex == 0 ? *a : *bm).rowStride = 0;
    (packedIndex == 0 ? *a : *bm).colStride = 0;
    auto cType = cast<MemRefType>(out.getType());
    int64_t m = cType.getDimSize(batched), n = cType.getDimSize(batched + 1);
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
    };
    SmallVector<Value> args = {i64(packedIndex),
                               i64(batched ? cType.getDimSize(0) : 1), i64(m),
                               i64(n), i64(packedType.getDimSize(batched + 1))};
    for (const Operand &o : {*a, *bm, *c})
      args.append({o.buffer, o.offset, i64(o.batchStride), i64(o.rowStride),
                   i64(o.colStride)});
    // The parts of a start are the same for every batch item, so a batch
    // starts from zero or from C.
    std::optional<Start> start =
        startOf(op, out, cType.getNumElements() / n);
    if (start && batched && !start->parts.empty())
      start.reset();
    callWithStart(module, b, op, kSgemmPacked, std::move(args), start, *c);
  }

  /// A packed product of a convolution's weights and its im2col columns
  /// calls ds_kernel_sgemm_conv, which packs the columns from the image
  /// itself (implicit GEMM): M, N, K, the packed weights (buffer, offset),
  /// the image (buffer, offset, channel and row strides), its height and
  /// width, the zero padding above and left of it, the window, output
  /// width, strides and dilations, then C, the activation and the start as
  /// for ds_kernel_sgemm_packed. The im2col copy and its buffer go, and so
  /// do the zero fill and the copy of a padded image (paddingOf) when the
  /// image still holds what was copied where the product reads it.
  bool callSgemmConv(ModuleOp module, linalg::GenericOp op, const Im2col &columns) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value out = op.getDpsInits()[0];
    auto cType = cast<MemRefType>(out.getType());
    auto wType = cast<MemRefType>(op.getDpsInputs()[0].getType());
    Value image = columns.image;
    std::optional<PaddedImage> padding = paddingOf(image, columns.dead.front());
    if (padding && !unchangedBetween(padding->image, padding->copy, op))
      padding.reset();
    if (padding)
      image = padding->image;
    auto xType = cast<MemRefType>(image.getType());
    FailureOr<Buffer> w = pointerTo(b, loc, op.getDpsInputs()[0]);
    FailureOr<Buffer> x = pointerTo(b, loc, image);
    FailureOr<Operand> c = describe(b, loc, out, false, false);
    if (failed(w) || failed(x) || failed(c) || x->strides[3] != 1 ||
        !wType.getLayout().isIdentity() || !xType.hasStaticShape())
      return false;
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
    };
    SmallVector<Value> args = {i64(cType.getDimSize(0)), i64(cType.getDimSize(1)),
                               i64(wType.getDimSize(1)), w->pointer, w->offset,
                               x->pointer, x->offset, i64(x->strides[1]),
                               i64(x->strides[2])};
    for (int64_t v : {xType.getDimSize(2), xType.getDimSize(3),
                      padding ? padding->top : 0, padding ? padding->left : 0,
                      columns.kh, columns.kw, columns.ow, columns.sh, columns.sw,
                      columns.dh, columns.dw})
      args.push_back(i64(v));
    args.append({c->buffer, c->offset, i64(c->rowStride), i64(c->colStride)});
    callWithStart(module, b, op, kSgemmConv, std::move(args),
                  startOf(op, out, cType.getDimSize(0)), *c);
    for (Operation *dead : columns.dead)
      dead->erase();
    if (padding)
      for (Operation *write : padding->writes)
        write->erase();
    return true;
  }

  /// Ends the arguments of a kernel that applies an activation and may
  /// start from a bias and a residual (the packed, implicit-GEMM,
  /// depthwise and Winograd-output calls): the activation
  /// (activationArgs), the start flags (bit 0: not from C; bits 1 and 2:
  /// the parts) and two (buffer, offset, row stride, column stride) parts,
  /// unused ones pointing at `c`; then calls `kernel` in place of `op`, which
  /// goes, with the loop that wrote the start (dropped when a part has no
  /// pointer).
  void callWithStart(ModuleOp module, OpBuilder &b, Operation *op,
                     StringRef kernel, SmallVector<Value> args,
                     std::optional<Start> start, const Operand &c) {
    Location loc = op->getLoc();
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
    };
    args.append(activationArgs(b, loc, op));
    SmallVector<FailureOr<Buffer>, 2> parts;
    if (start)
      for (const Start::Part &part : start->parts)
        parts.push_back(pointerTo(b, loc, part.buffer));
    if (llvm::any_of(parts, [](const FailureOr<Buffer> &p) { return failed(p); }))
      start.reset();
    args.push_back(i64(start ? 1 | (parts.size() > 0 ? 2 : 0) |
                                   (parts.size() > 1 ? 4 : 0)
                             : 0));
    for (size_t i = 0; i < 2; ++i) {
      if (start && i < parts.size())
        args.append({parts[i]->pointer, parts[i]->offset,
                     i64(start->parts[i].rowStride),
                     i64(start->parts[i].colStride)});
      else
        args.append({c.buffer, c.offset, i64(0), i64(0)});
    }
    func::CallOp call = callKernel(module, b, loc, kernel, args);
    op->erase();
    if (!start)
      return;
    for (auto [part, buffer] : llvm::zip_equal(start->parts, parts))
      if (part.elementwise)
        writeIntoResidual(call, *start, part.buffer, buffer->pointer);
    start->init->erase();
  }

  /// Lets the kernel `call` write the product's output into the residual
  /// it starts from, where that is the residual's last use (ONNX Runtime's
  /// Sum fusion does the same): the product then streams through one
  /// buffer, not two, and the plan needs one less. Every kernel reads a
  /// start element once, before it writes that element, so this is safe
  /// when the two are allocations of one type read and written element for
  /// element, nothing reads the residual after the call, nothing touches
  /// the output's allocation before the start loop wrote it, and the call
  /// reads nothing else from the residual (`pointer` is its argument).
  static void writeIntoResidual(func::CallOp call, const Start &start,
                                Value residual, Value pointer) {
    std::optional<ds::Extent> r = ds::extentOf(residual),
                              c = ds::extentOf(start.output);
    auto res = r ? r->root.getDefiningOp<memref::AllocOp>() : nullptr;
    auto out = c ? c->root.getDefiningOp<memref::AllocOp>() : nullptr;
    Block *block = call->getBlock();
    if (!res || !out || res == out || res.getType() != out.getType() ||
        res->getBlock() != block || out->getBlock() != block ||
        cast<MemRefType>(start.output.getType()).getNumElements() !=
            out.getType().getNumElements())
      return;
    for (Value arg : call.getOperands())
      if (arg != pointer && isa<MemRefType>(arg.getType()) &&
          ds::mayOverlap(arg, res))
        return;
    bool safe = true;
    ds::forEachAccess(res, [&](Operation *user) {
      Operation *at = block->findAncestorOpInBlock(*user);
      safe &= at && (at == call || at->isBeforeInBlock(call));
    });
    ds::forEachAccess(out, [&](Operation *user) {
      Operation *at = block->findAncestorOpInBlock(*user);
      safe &= at && !at->isBeforeInBlock(start.init);
    });
    if (!safe)
      return;
    if (out->isBeforeInBlock(res))
      res->moveBefore(out);
    out.replaceAllUsesWith(res.getResult());
    out.erase();
  }

  /// Whether `type` is Winograd's V or M, [alpha][alpha][C][TH][TW], for a
  /// tile the kernels have (alpha = m + 2, m = 2 or 4).
  static bool isWinogradTiles(MemRefType type) {
    return type && type.getRank() == 5 &&
           (type.getDimSize(0) == 4 || type.getDimSize(0) == 6) &&
           type.getDimSize(1) == type.getDimSize(0);
  }

  /// ds-to-linalg's Winograd input transform (loops a, b, c, ty, tx, i, j
  /// over a padded image into V[alpha][alpha][C][TH][TW], which a zero fill
  /// just before started) calls ds_kernel_winograd_input, absorbing the
  /// padding and the fill.
  void callWinogradInput(ModuleOp module, linalg::GenericOp op) {
    Value v = op.getDpsInits()[0];
    auto vType = dyn_cast<MemRefType>(v.getType());
    if (op.getNumDpsInputs() != 3 || !isWinogradTiles(vType))
      return;
    std::optional<Start> start = startOf(op, v, 1);
    if (!start || !start->parts.empty())
      return; // V would be accumulated into, not written: stays loops.
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value image = op.getDpsInputs()[0];
    std::optional<PaddedImage> padding = paddingOf(image, op);
    if (padding)
      image = padding->image;
    auto xType = dyn_cast<MemRefType>(image.getType());
    if (!xType || xType.getRank() != 4 || xType.getDimSize(0) != 1)
      return;
    FailureOr<Buffer> x = pointerTo(b, loc, image);
    FailureOr<Buffer> out = pointerTo(b, loc, v);
    if (failed(x) || failed(out) || x->strides[3] != 1)
      return;
    auto i64 = [&](int64_t n) -> Value {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), n);
    };
    SmallVector<Value> args;
    for (int64_t n : {vType.getDimSize(0) - 2, vType.getDimSize(2),
                      vType.getDimSize(3), vType.getDimSize(4), xType.getDimSize(2),
                      xType.getDimSize(3), padding ? padding->top : 0,
                      padding ? padding->left : 0})
      args.push_back(i64(n));
    args.append({x->pointer, x->offset, i64(x->strides[1]), i64(x->strides[2]),
                 out->pointer, out->offset});
    callKernel(module, b, loc, kWinogradInput, args);
    op->erase();
    start->init->erase();
    if (padding)
      for (Operation *write : padding->writes)
        write->erase();
  }

  /// ds-to-linalg's Winograd output transform (loops f, y, x, a, b from
  /// M[alpha][alpha][F][TH][TW] into the F x OH x OW output, with the fused
  /// activation) calls
  /// ds_kernel_winograd_output, which also takes over the output's start.
  void callWinogradOutput(ModuleOp module, linalg::GenericOp op) {
    Value m = op.getDpsInputs()[0], y = op.getDpsInits()[0];
    auto mType = dyn_cast<MemRefType>(m.getType());
    auto yType = dyn_cast<MemRefType>(y.getType());
    if (op.getNumDpsInputs() != 3 || !isWinogradTiles(mType) ||
        !mType.getLayout().isIdentity() || !yType || yType.getRank() != 3)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    FailureOr<Operand> out = describe(b, loc, y, false, false);
    FailureOr<Buffer> in = pointerTo(b, loc, m);
    if (failed(out) || failed(in) || out->colStride != 1)
      return;
    auto yStrides = yType.getStridesAndOffset().first;
    auto i64 = [&](int64_t n) -> Value {
      return arith::ConstantIntOp::create(b, loc, b.getI64Type(), n);
    };
    SmallVector<Value> args;
    for (int64_t n : {mType.getDimSize(0) - 2, yType.getDimSize(0), mType.getDimSize(3),
                      mType.getDimSize(4), yType.getDimSize(1),
                      yType.getDimSize(2)})
      args.push_back(i64(n));
    args.append({in->pointer, in->offset, out->buffer, out->offset,
                 i64(yStrides[0]), i64(yStrides[1])});
    callWithStart(module, b, op, kWinogradOutput, std::move(args),
                  startOf(op, y, yType.getDimSize(0)), *out);
  }

  /// Calls the runtime kernel `name` with `args`, declaring it (private,
  /// typed by the arguments: memref<1xf32> pointers, i64 and f32) on first
  /// use.
  func::CallOp callKernel(ModuleOp module, OpBuilder &b, Location loc,
                          StringRef name, ValueRange args) {
    auto f = module.lookupSymbol<func::FuncOp>(name);
    if (!f) {
      OpBuilder top = OpBuilder::atBlockEnd(module.getBody());
      f = func::FuncOp::create(top, module.getLoc(), name,
                               top.getFunctionType(args.getTypes(), {}));
      f.setPrivate();
    }
    return func::CallOp::create(b, loc, f, args);
  }
};
} // namespace
