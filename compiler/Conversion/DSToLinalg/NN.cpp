//===- NN.cpp - ds convolution, pooling, matmul, normalization --*- C++ -*-===//
//
// Named linalg ops where linalg has them (convolutions, pooling, matmul),
// linalg.generic reductions and elementwise ops for the rest. Explicit
// padding becomes tensor.pad.
//
//===----------------------------------------------------------------------===//

#include "compiler/Conversion/DSToLinalg/Common.h"

#include "compiler/Support/Values.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::to_linalg;

namespace {

/// Pads the spatial dimensions (2..) of an NC... tensor.
Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> pads,
                 TypedAttr value) {
  auto type = cast<RankedTensorType>(input.getType());
  size_t spatial = type.getRank() - 2;
  SmallVector<int64_t> low(2, 0), high(2, 0);
  for (size_t i = 0; i < spatial; ++i) {
    low.push_back(pads[i]);
    high.push_back(pads[i + spatial]);
  }
  return buildPadded(b, loc, input, low, high, value);
}

/// The accumulator of a conv: zeros, or the bias broadcast along dim 1.
Value convInit(OpBuilder &b, Location loc, RankedTensorType type, Value bias) {
  if (!bias)
    return buildFilled(b, loc, type, b.getZeroAttr(type.getElementType()));
  auto biasType = cast<RankedTensorType>(bias.getType());
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[1] = biasType.getDimSize(0);
  Value column = buildReshape(
      b, loc, bias, RankedTensorType::get(shape, type.getElementType()));
  return buildElementwise(b, loc, type, column,
                          [](OpBuilder &, Location, Type, ValueRange a) {
                            return a[0];
                          });
}

/// The body of a convolution's generic: out + in * weight.
void multiplyAdd(OpBuilder &b, Location loc, ValueRange args) {
  Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
  linalg::YieldOp::create(b, loc,
                          Value(arith::AddFOp::create(b, loc, args[2], product)));
}

/// A grouped convolution of any spatial rank as one linalg.generic over
/// [N, G, C/G, spatial...] x [G, F/G, C/G, kernel...] -> [N, G, F/G, ...].
Value buildGroupedConv(OpBuilder &b, Location loc, RankedTensorType type,
                       Value input, Value weight, Value init, int64_t group,
                       ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  Type e = type.getElementType();
  int64_t spatial = type.getRank() - 2;
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1) / group;
  int64_t f = wType.getDimSize(0) / group;
  SmallVector<int64_t> inShape = {n, group, c}, wShape = {group, f, c},
                       outShape = {n, group, f};
  for (int64_t i = 0; i < spatial; ++i) {
    inShape.push_back(inType.getDimSize(2 + i));
    wShape.push_back(wType.getDimSize(2 + i));
    outShape.push_back(type.getDimSize(2 + i));
  }
  auto outType = RankedTensorType::get(outShape, e);
  Value in = buildReshape(b, loc, input, RankedTensorType::get(inShape, e));
  Value w = buildReshape(b, loc, weight, RankedTensorType::get(wShape, e));
  Value acc = buildReshape(b, loc, init, outType);
  // Loops: n, g, f, output spatial (parallel); c, kernel spatial (reduction).
  int64_t loops = 4 + 2 * spatial;
  auto d = [&](int64_t i) { return b.getAffineDimExpr(i); };
  int64_t cDim = 3 + spatial, kDim = 4 + spatial;
  SmallVector<AffineExpr> inMap = {d(0), d(1), d(cDim)},
                          wMap = {d(1), d(2), d(cDim)},
                          outMap = {d(0), d(1), d(2)};
  for (int64_t i = 0; i < spatial; ++i) {
    inMap.push_back(d(3 + i) * strides[i] + d(kDim + i) * dilations[i]);
    wMap.push_back(d(kDim + i));
    outMap.push_back(d(3 + i));
  }
  SmallVector<utils::IteratorType> iterators(3 + spatial,
                                             utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  SmallVector<AffineMap> maps = {
      AffineMap::get(loops, 0, inMap, b.getContext()),
      AffineMap::get(loops, 0, wMap, b.getContext()),
      AffineMap::get(loops, 0, outMap, b.getContext())};
  Value r = linalg::GenericOp::create(b, loc, outType, ValueRange{in, w}, acc,
                                      maps, iterators, multiplyAdd)
                .getResult(0);
  return buildReshape(b, loc, r, type);
}

/// An activation a kernel applies to its result as it stores it: SiLU (x *
/// sigmoid(x)) if `silu`, then a clamp to [lo, hi] (infinite: none).
struct Activation {
  bool silu = false;
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();

  /// Marks `op` with it for ds-use-kernels (ds.silu, ds.clamp).
  void mark(Builder &b, Operation *op) const {
    if (silu)
      op->setAttr(kSiluAttr, b.getUnitAttr());
    if (lo > -std::numeric_limits<float>::infinity() ||
        hi < std::numeric_limits<float>::infinity())
      op->setAttr(kClampAttr, b.getDenseF32ArrayAttr({lo, hi}));
  }
};

/// The bounds of a ReLU or of a Clip with constant scalar bounds.
std::optional<std::pair<float, float>> clampOf(Operation *op) {
  float inf = std::numeric_limits<float>::infinity();
  if (isa<ReluOp>(op))
    return std::pair{0.0f, inf};
  auto clip = dyn_cast<ClipOp>(op);
  if (!clip)
    return std::nullopt;
  auto bound = [](Value v, float fallback) -> std::optional<float> {
    if (!v)
      return fallback;
    DenseFPElementsAttr attr;
    if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
      return std::nullopt;
    return attr.getSplatValue<APFloat>().convertToFloat();
  };
  std::optional<float> lo = bound(clip.getMin(), -inf), hi = bound(clip.getMax(), inf);
  if (!lo || !hi)
    return std::nullopt;
  return std::pair{*lo, *hi};
}

/// An activation that alone consumes `producer`'s f32 result, which a
/// kernel can apply instead: a ReLU or constant Clip (`result` is it), or
/// a SiLU, Mul(x, Sigmoid(x)) (`result` is the Mul, and the Sigmoid,
/// `dead`, goes once the Mul is replaced).
struct FusedActivation {
  Activation activation;
  Operation *result = nullptr, *dead = nullptr;

  /// Replaces the activation's ops by `value`, the kernel's result.
  void replace(ConversionPatternRewriter &rw, Value value) const {
    rw.replaceOp(result, value);
    if (dead)
      rw.eraseOp(dead);
  }
};

std::optional<FusedActivation> activationOf(Operation *producer) {
  Value x = producer->getResult(0);
  if (x.hasOneUse()) {
    Operation *user = *x.getUsers().begin();
    std::optional<std::pair<float, float>> clamp = clampOf(user);
    if (!clamp)
      return std::nullopt;
    return FusedActivation{{false, clamp->first, clamp->second}, user, nullptr};
  }
  // SiLU: exactly a Sigmoid of x, read only by a Mul of x and it.
  SmallVector<Operation *> users(x.getUsers());
  if (users.size() != 2 || !cast<ShapedType>(x.getType()).getElementType().isF32())
    return std::nullopt;
  auto sigmoid = dyn_cast<SigmoidOp>(users[0]);
  auto mul = dyn_cast<MulOp>(users[1]);
  if (!sigmoid) {
    sigmoid = dyn_cast<SigmoidOp>(users[1]);
    mul = dyn_cast<MulOp>(users[0]);
  }
  if (!sigmoid || !mul || !sigmoid->hasOneUse() ||
      *sigmoid->getUsers().begin() != mul.getOperation() ||
      mul.getType() != x.getType() ||
      !((mul.getLhs() == x && mul.getRhs() == sigmoid.getResult()) ||
        (mul.getRhs() == x && mul.getLhs() == sigmoid.getResult())))
    return std::nullopt;
  return FusedActivation{{true}, mul, sigmoid};
}

/// The Add that alone consumes `producer`'s result, if its other operand
/// (returned too) is computed before `producer` (so the product can start
/// from it) and has the result's type (`sameType`) or is a vector of the
/// result's last dimension broadcast along the others (a bias).
std::pair<AddOp, Value> soleAdd(Operation *producer, bool sameType) {
  if (!producer->hasOneUse() || producer->getNumResults() != 1)
    return {};
  Value result = producer->getResult(0);
  auto add = dyn_cast<AddOp>(*producer->getUsers().begin());
  if (!add || add.getOperand(0) == add.getOperand(1) ||
      add.getType() != result.getType())
    return {};
  Value other = add.getOperand(add.getOperand(0) == result ? 1 : 0);
  auto type = cast<RankedTensorType>(result.getType());
  auto otherType = dyn_cast<RankedTensorType>(other.getType());
  if (!otherType)
    return {};
  if (sameType ? otherType != type
               : otherType.getRank() > type.getRank() || otherType.getRank() < 1 ||
                     otherType.getShape().back() != type.getShape().back() ||
                     otherType.getNumElements() != type.getShape().back())
    return {};
  Operation *def = other.getDefiningOp();
  if (def && (def->getBlock() != producer->getBlock() ||
              !def->isBeforeInBlock(producer)))
    return {};
  return {add, other};
}

/// A depthwise 2-D convolution as a generic whose loops run n, c, the
/// output row, the window (kh, kw), then the output columns innermost: the
/// inner loop walks an output row (kept in cache over the window) and an
/// input row, which vectorizes; linalg's named op puts the 3-wide window
/// innermost, which does not.
Value buildDepthwiseConv(OpBuilder &b, Location loc, RankedTensorType type,
                         Value input, Value weight, Value init,
                         ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  auto d = [&](int64_t i) { return b.getAffineDimExpr(i); };
  // Dims: n, c, oh, kh, kw, ow.
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0,
                     {d(0), d(1), d(2) * strides[0] + d(3) * dilations[0],
                      d(5) * strides[1] + d(4) * dilations[1]},
                     b.getContext()),
      AffineMap::get(6, 0, {d(1), d(3), d(4)}, b.getContext()),
      AffineMap::get(6, 0, {d(0), d(1), d(2), d(5)}, b.getContext())};
  using utils::IteratorType;
  SmallVector<IteratorType> iterators = {
      IteratorType::parallel,  IteratorType::parallel,  IteratorType::parallel,
      IteratorType::reduction, IteratorType::reduction, IteratorType::parallel};
  return linalg::GenericOp::create(b, loc, type, ValueRange{input, weight},
                                   init, maps, iterators, multiplyAdd)
      .getResult(0);
}

/// A 2-D convolution of one image as a matmul, which the micro-kernels run:
/// weight [F, C*kh*kw] x columns [C*kh*kw, OH*OW], where the columns are the
/// (padded) input itself for a 1x1 stride-1 kernel and an im2col copy
/// otherwise.
Value buildConvAsMatmul(OpBuilder &b, Location loc, RankedTensorType type,
                        Value input, Value weight, Value init,
                        ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                        const Activation &activation) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  Type e = type.getElementType();
  int64_t c = inType.getDimSize(1), f = wType.getDimSize(0);
  int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3);
  int64_t oh = type.getDimSize(2), ow = type.getDimSize(3);
  int64_t depth = c * kh * kw, pixels = oh * ow;
  auto colType = RankedTensorType::get({depth, pixels}, e);
  Value columns;
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
      inType.getDimSize(2) == oh && inType.getDimSize(3) == ow) {
    columns = buildReshape(b, loc, input, colType);
  } else {
    // col[c, i, j, y, x] = input[0, c, y * sh + i * dh, x * sw + j * dw].
    auto d = [&](int64_t i) { return b.getAffineDimExpr(i); };
    AffineMap read = AffineMap::get(
        5, 0,
        {b.getAffineConstantExpr(0), d(0), d(3) * strides[0] + d(1) * dilations[0],
         d(4) * strides[1] + d(2) * dilations[1]},
        b.getContext());
    auto col5 = RankedTensorType::get({c, kh, kw, oh, ow}, e);
    Value empty = tensor::EmptyOp::create(b, loc, col5.getShape(), e);
    SmallVector<utils::IteratorType> parallel(5, utils::IteratorType::parallel);
    Value col = linalg::GenericOp::create(
                    b, loc, col5, ValueRange{input}, empty,
                    ArrayRef<AffineMap>{read, b.getMultiDimIdentityMap(5)}, parallel,
                    [](OpBuilder &nb, Location l, ValueRange a) {
                      linalg::YieldOp::create(nb, l, a[0]);
                    })
                    .getResult(0);
    columns = buildReshape(b, loc, col, colType);
  }
  Value w = buildReshape(b, loc, weight, RankedTensorType::get({f, depth}, e));
  auto outType = RankedTensorType::get({f, pixels}, e);
  Value acc = buildReshape(b, loc, init, outType);
  auto matmul = linalg::MatmulOp::create(b, loc, outType, ValueRange{w, columns}, acc);
  activation.mark(b, matmul);
  return buildReshape(b, loc, matmul.getResult(0), type);
}

/// Winograd's F(m x m, 3x3) (Lavin & Gray): each m x m block of outputs is
/// A^T [U . (B^T d B)] A for the (m + 2) x (m + 2) input tile d under it,
/// U = G g G^T per filter and channel, which takes 4 (m = 2) or 2.25 (m =
/// 4) multiplies per output and channel instead of 9, for transformed
/// weights 16/9 or 4 times as large. Row-major matrices.
struct WinogradTile {
  int m;
  ArrayRef<float> g, bt, at; // (m + 2) x 3, (m + 2) x (m + 2), m x (m + 2)
  int alpha() const { return m + 2; }
};
constexpr float kG2[] = {1, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, -0.5f, 0.5f, 0, 0, 1};
constexpr float kBT2[] = {1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1};
constexpr float kAT2[] = {1, 1, 1, 0, 0, 1, -1, -1};
constexpr float kG4[] = {1.0f / 4,  0,          0,         -1.0f / 6, -1.0f / 6,
                         -1.0f / 6, -1.0f / 6,  1.0f / 6,  -1.0f / 6, 1.0f / 24,
                         1.0f / 12, 1.0f / 6,   1.0f / 24, -1.0f / 12, 1.0f / 6,
                         0,         0,          1};
constexpr float kBT4[] = {4, 0,  -5, 0,  1, 0, 0, -4, -4, 1,  1, 0,
                          0, 4,  -4, -1, 1, 0, 0, -2, -1, 2,  1, 0,
                          0, 2,  -1, -2, 1, 0, 0, 4,  0,  -5, 0, 1};
constexpr float kAT4[] = {1, 1, 1,  1, 1,  0, 0, 1, -1, 2, -2, 0,
                          0, 1, 1,  4, 4,  0, 0, 1, -1, 8, -8, 1};

/// The Winograd tile for a convolution of one image, if any: f32, 3x3,
/// stride and dilation 1, enough channels and filters that the products
/// outweigh the transforms, and enough tiles. F(4x4) wherever it leaves at
/// least 32 tiles (ResNet-50's 56x56 and 28x28 images), F(2x2) otherwise
/// when it leaves 16 (14x14 and 7x7: ResNet-50's last stage, 512 channels,
/// gained 2-3 ms over its three convolutions once the transforms were
/// vectorized, although its transformed weights are 16/9 as large). Fewer
/// tiles than that make products narrower than the kernel's tile.
std::optional<WinogradTile> winogradTile(RankedTensorType type,
                                         RankedTensorType inType,
                                         RankedTensorType wType,
                                         ArrayRef<int64_t> strides,
                                         ArrayRef<int64_t> dilations) {
  auto ones = [](ArrayRef<int64_t> v) {
    return llvm::all_of(v, [](int64_t x) { return x == 1; });
  };
  if (!type.getElementType().isF32() || inType.getDimSize(0) != 1 ||
      wType.getDimSize(2) != 3 || wType.getDimSize(3) != 3 || !ones(strides) ||
      !ones(dilations) || inType.getDimSize(1) < 32 || wType.getDimSize(0) < 32)
    return std::nullopt;
  auto tiles = [&](int64_t m) {
    return (type.getDimSize(2) + m - 1) / m * ((type.getDimSize(3) + m - 1) / m);
  };
  if (tiles(4) >= 32)
    return WinogradTile{4, kG4, kBT4, kAT4};
  if (tiles(2) >= 16)
    return WinogradTile{2, kG2, kBT2, kAT2};
  return std::nullopt;
}

/// U[e][f][c] = (G g[f][c] G^T)[e / alpha][e % alpha] for F x C x 3 x 3
/// weights g.
std::vector<float> winogradFilter(const WinogradTile &tile, ArrayRef<float> g,
                                  int64_t f, int64_t c) {
  int alpha = tile.alpha();
  ArrayRef<float> gm = tile.g;
  std::vector<float> u(alpha * alpha * f * c);
  for (int64_t fc = 0; fc < f * c; ++fc) {
    const float *w = g.data() + fc * 9;
    float gg[6][3]; // G g
    for (int a = 0; a < alpha; ++a)
      for (int j = 0; j < 3; ++j)
        gg[a][j] = gm[a * 3] * w[j] + gm[a * 3 + 1] * w[3 + j] +
                   gm[a * 3 + 2] * w[6 + j];
    for (int a = 0; a < alpha; ++a)
      for (int b = 0; b < alpha; ++b)
        u[(alpha * a + b) * f * c + fc] = gg[a][0] * gm[b * 3] +
                                          gg[a][1] * gm[b * 3 + 1] +
                                          gg[a][2] * gm[b * 3 + 2];
  }
  return u;
}

/// out += in * coefficient * coefficient.
void multiplyAdd2(OpBuilder &b, Location loc, ValueRange args) {
  Value scale = arith::MulFOp::create(b, loc, args[1], args[2]);
  Value product = arith::MulFOp::create(b, loc, args[0], scale);
  linalg::YieldOp::create(b, loc,
                          Value(arith::AddFOp::create(b, loc, args[3], product)));
}

/// A 3x3 stride-1 convolution of one image by Winograd's F(m x m, 3x3) on
/// the weights' values `g`: the input transform V = B^T d B of every tile
/// and channel (marked ds.winograd = "input"), the alpha^2 products M[e] =
/// U[e] V[e] over the channels as one batch_matmul with the transformed
/// weights as a constant, and the output transform A^T M A onto `init`
/// (marked "output", with the fused activation). Each is plain linalg; ds-use-kernels
/// runs the transforms in runtime/kernels/winograd.c.
Value buildWinogradConv(OpBuilder &b, Location loc, RankedTensorType type,
                        Value input, ArrayRef<int64_t> pads,
                        const WinogradTile &tile, ArrayRef<float> g, Value init,
                        const Activation &activation) {
  auto inType = cast<RankedTensorType>(input.getType());
  Type e = type.getElementType();
  int64_t m = tile.m, alpha = tile.alpha();
  int64_t c = inType.getDimSize(1), f = type.getDimSize(1);
  int64_t oh = type.getDimSize(2), ow = type.getDimSize(3);
  int64_t th = (oh + m - 1) / m, tw = (ow + m - 1) / m;
  // Padded so that every tile lies inside: m t + 2 rows and columns.
  Value padded = buildPadded(
      b, loc, input, {0, 0, pads[0], pads[1]},
      {0, 0, m * th + 2 - inType.getDimSize(2) - pads[0],
       m * tw + 2 - inType.getDimSize(3) - pads[1]},
      b.getZeroAttr(e));
  auto d = [&](int64_t i) { return b.getAffineDimExpr(i); };
  auto map = [&](unsigned dims, ArrayRef<AffineExpr> results) {
    return AffineMap::get(dims, 0, results, b.getContext());
  };
  auto coefficients = [&](ArrayRef<float> values, ArrayRef<int64_t> shape) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(RankedTensorType::get(shape, e), values));
  };
  using utils::IteratorType;
  auto iterators = [](int parallel, int reduction) {
    SmallVector<IteratorType> it(parallel, IteratorType::parallel);
    it.append(reduction, IteratorType::reduction);
    return it;
  };

  // V[a][b][c][ty][tx] = sum_ij BT[a][i] BT[b][j] x[c][m ty + i][m tx + j];
  // loops a, b, c, ty, tx, i, j.
  Value bt = coefficients(tile.bt, {alpha, alpha});
  auto vType = RankedTensorType::get({alpha, alpha, c, th, tw}, e);
  Value v = linalg::GenericOp::create(
                b, loc, vType, ValueRange{padded, bt, bt},
                buildFilled(b, loc, vType, b.getZeroAttr(e)),
                ArrayRef<AffineMap>{
                    map(7, {b.getAffineConstantExpr(0), d(2), d(3) * m + d(5),
                            d(4) * m + d(6)}),
                    map(7, {d(0), d(5)}), map(7, {d(1), d(6)}),
                    map(7, {d(0), d(1), d(2), d(3), d(4)})},
                iterators(5, 2), multiplyAdd2)
                .getResult(0);
  v.getDefiningOp()->setAttr(kWinogradAttr, b.getStringAttr("input"));

  // M[e] = U[e] V[e], e = alpha a + b.
  std::vector<float> u = winogradFilter(tile, g, f, c);
  auto uType = RankedTensorType::get({alpha * alpha, f, c}, e);
  Value uw = arith::ConstantOp::create(
      b, loc,
      DenseResourceElementsAttr::get(
          uType, "winograd",
          HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(u))));
  auto mType = RankedTensorType::get({alpha * alpha, f, th * tw}, e);
  Value mm = linalg::BatchMatmulOp::create(
                 b, loc, mType,
                 ValueRange{uw, buildReshape(b, loc, v,
                                             RankedTensorType::get(
                                                 {alpha * alpha, c, th * tw}, e))},
                 buildFilled(b, loc, mType, b.getZeroAttr(e)))
                 .getResult(0);

  // out[f][y][x] += sum_ab AT[y mod m][a] AT[x mod m][b]
  //                 M[a][b][f][y floordiv m][x floordiv m]; loops f, y, x, a, b.
  Value at = coefficients(tile.at, {m, alpha});
  auto outType = RankedTensorType::get({f, oh, ow}, e);
  auto out = linalg::GenericOp::create(
      b, loc, outType,
      ValueRange{buildReshape(b, loc, mm,
                              RankedTensorType::get({alpha, alpha, f, th, tw}, e)),
                 at, at},
      buildReshape(b, loc, init, outType),
      ArrayRef<AffineMap>{
          map(5, {d(3), d(4), d(0), d(1).floorDiv(m), d(2).floorDiv(m)}),
          map(5, {d(1) % m, d(3)}), map(5, {d(2) % m, d(4)}),
          map(5, {d(0), d(1), d(2)})},
      iterators(3, 2), multiplyAdd2);
  out->setAttr(kWinogradAttr, b.getStringAttr("output"));
  activation.mark(b, out);
  return buildReshape(b, loc, out.getResult(0), type);
}

struct ConvPattern : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    if (!isFloat(type->getElementType()))
      return rw.notifyMatchFailure(op, "only float convolutions so far");
    Location loc = op.getLoc();
    int64_t rank = type->getRank();
    if (rank < 3 || rank > 5)
      return rw.notifyMatchFailure(op, "1-D to 3-D convolutions only");
    Value weight = adaptor.getWeight();
    // Winograd's convolution pads its input itself, to whole tiles.
    std::optional<WinogradTile> tile;
    std::optional<std::vector<float>> winogradWeights;
    auto unpadded = cast<RankedTensorType>(adaptor.getInput().getType());
    if (rank == 4 && op.getGroup() == 1)
      tile = winogradTile(*type, unpadded, cast<RankedTensorType>(weight.getType()),
                          op.getStrides(), op.getDilations());
    if (tile)
      if (auto constant = op.getWeight().getDefiningOp<ConstantOp>())
        winogradWeights = f32ValuesOf(constant.getValue());
    Value input = winogradWeights
                      ? adaptor.getInput()
                      : padSpatial(rw, loc, adaptor.getInput(), op.getPads(),
                                   rw.getZeroAttr(type->getElementType()));
    Value init = convInit(rw, loc, *type, adaptor.getBias());
    auto strides = rw.getI64TensorAttr(op.getStrides());
    auto dilations = rw.getI64TensorAttr(op.getDilations());
    SmallVector<NamedAttribute> attrs = {rw.getNamedAttr("strides", strides),
                                         rw.getNamedAttr("dilations", dilations)};
    auto inType = cast<RankedTensorType>(input.getType());
    auto wType = cast<RankedTensorType>(weight.getType());
    int64_t group = op.getGroup(), channels = inType.getDimSize(1);
    Value result;
    bool depthwise = rank == 4 && group == channels && group > 1 &&
                     wType.getDimSize(0) == channels;
    if ((group == 1 || depthwise) && rank == 4 && inType.getDimSize(0) == 1 &&
        type->getElementType().isF32()) {
      // A residual Add that alone consumes the convolution (ResNet's
      // blocks) starts from bias + residual instead of a pass of its own,
      // if the residual is ready before the convolution.
      Operation *last = op;
      if (auto [add, other] = soleAdd(op, /*sameType=*/true); add) {
        Value residual = rw.getRemappedValue(other);
        init = buildElementwise(rw, loc, *type, ValueRange{init, residual},
                                [](OpBuilder &nb, Location l, Type, ValueRange a) {
                                  return Value(arith::AddFOp::create(nb, l, a[0], a[1]));
                                });
        last = add;
      }
      // The kernels (an image's matmul, the depthwise kernel) run a ReLU,
      // constant Clip or SiLU that alone consumes the convolution as they
      // store.
      std::optional<FusedActivation> fused = activationOf(last);
      Activation activation = fused ? fused->activation : Activation();
      if (winogradWeights) {
        result = buildWinogradConv(rw, loc, *type, input, op.getPads(), *tile,
                                   *winogradWeights, init, activation);
      } else if (group == 1) {
        result = buildConvAsMatmul(rw, loc, *type, input, weight, init,
                                   op.getStrides(), op.getDilations(), activation);
      } else {
        Value w = buildReshape(rw, loc, weight, RankedTensorType::get(
            {channels, wType.getDimSize(2), wType.getDimSize(3)}, wType.getElementType()));
        result = buildDepthwiseConv(rw, loc, *type, input, w, init,
                                    op.getStrides(), op.getDilations());
        // For ds-use-kernels: strides and dilations.
        ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations();
        Operation *generic = result.getDefiningOp();
        generic->setAttr(kDepthwiseAttr,
                         rw.getDenseI64ArrayAttr({s[0], s[1], d[0], d[1]}));
        activation.mark(rw, generic);
      }
      if (fused)
        fused->replace(rw, result);
      if (last != op)
        rw.replaceOp(last, result);
      if (fused || last != op) {
        rw.replaceOp(op, result);
        return success();
      }
    } else if (group == 1) {
      if (rank == 3)
        result = linalg::Conv1DNcwFcwOp::create(rw, loc, *type, ValueRange{input, weight}, init, attrs).getResult(0);
      else if (rank == 4)
        result = linalg::Conv2DNchwFchwOp::create(rw, loc, *type, ValueRange{input, weight}, init, attrs).getResult(0);
      else
        result = linalg::Conv3DNcdhwFcdhwOp::create(rw, loc, *type, ValueRange{input, weight}, init, attrs).getResult(0);
    } else if (rank == 4 && group == channels && wType.getDimSize(0) == channels) {
      // Depthwise, one filter per channel: weight [C, 1, kh, kw] -> [C, kh, kw].
      Value w = buildReshape(rw, loc, weight, RankedTensorType::get(
          {channels, wType.getDimSize(2), wType.getDimSize(3)}, wType.getElementType()));
      result = buildDepthwiseConv(rw, loc, *type, input, w, init, op.getStrides(),
                                  op.getDilations());
    } else {
      result = buildGroupedConv(rw, loc, *type, input, weight, init, group,
                                op.getStrides(), op.getDilations());
    }
    rw.replaceOp(op, result);
    return success();
  }
};

/// A sliding-window reduction over the spatial dimensions of an NC...
/// tensor (already padded): linalg's named pooling op for 2-D, a
/// linalg.generic with one reduction dimension per window dimension
/// otherwise.
Value buildPooling(OpBuilder &b, Location loc, RankedTensorType type,
                   Value input, ArrayRef<int64_t> kernel,
                   ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                   Value init, bool isMax) {
  Type e = type.getElementType();
  Value window = tensor::EmptyOp::create(b, loc, kernel, e);
  if (type.getRank() == 4) {
    SmallVector<NamedAttribute> attrs = {
        b.getNamedAttr("strides", b.getI64TensorAttr(strides)),
        b.getNamedAttr("dilations", b.getI64TensorAttr(dilations))};
    if (isMax)
      return linalg::PoolingNchwMaxOp::create(b, loc, type, ValueRange{input, window}, init, attrs)
          .getResult(0);
    return linalg::PoolingNchwSumOp::create(b, loc, type, ValueRange{input, window}, init, attrs)
        .getResult(0);
  }
  // Loops: n, c, the output's spatial dims, then the window's.
  int64_t spatial = kernel.size(), loops = 2 + 2 * spatial;
  SmallVector<AffineExpr> in = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
  SmallVector<AffineExpr> win, out = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = b.getAffineDimExpr(2 + i), k = b.getAffineDimExpr(2 + spatial + i);
    in.push_back(o * strides[i] + k * dilations[i]);
    win.push_back(k);
    out.push_back(o);
  }
  SmallVector<utils::IteratorType> iterators(2 + spatial, utils::IteratorType::parallel);
  iterators.append(spatial, utils::IteratorType::reduction);
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, in, b.getContext()),
                                 AffineMap::get(loops, 0, win, b.getContext()),
                                 AffineMap::get(loops, 0, out, b.getContext())};
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{input, window}, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               Value r = isMax ? Value(arith::MaximumFOp::create(nb, l, a[2], a[0]))
                               : Value(arith::AddFOp::create(nb, l, a[2], a[0]));
               linalg::YieldOp::create(nb, l, r);
             })
      .getResult(0);
}

/// Max and average pooling over 1-D to 3-D windows, NC... layout.
template <typename OpTy>
struct PoolPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type))
      return failure();
    Type e = type->getElementType();
    if (!isFloat(e) || type->getRank() < 3 || type->getRank() > 5)
      return rw.notifyMatchFailure(op, "1-D to 3-D float pooling only");
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                      dilations = op.getDilations();
    int64_t spatial = kernel.size();
    // ceil_mode: extend the end padding so the last window fits.
    SmallVector<int64_t> pads(op.getPads());
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t needed = (type->getDimSize(i + 2) - 1) * strides[i] +
                       (kernel[i] - 1) * dilations[i] + 1;
      int64_t have = inType.getDimSize(i + 2) + pads[i] + pads[i + spatial];
      if (needed > have)
        pads[i + spatial] += needed - have;
    }
    bool isMax = std::is_same_v<OpTy, MaxPoolOp>;
    TypedAttr padValue = isMax ? lowestValue(rw, e) : rw.getZeroAttr(e);
    Value input = padSpatial(rw, loc, adaptor.getInput(), pads, padValue);
    Value init = buildFilled(rw, loc, *type, padValue);
    Value pooled = buildPooling(rw, loc, *type, input, kernel, strides, dilations, init, isMax);
    if (isMax) {
      rw.replaceOp(op, pooled);
      return success();
    }
    // The divisor: the same pooling over a tensor of ones padded with zeros,
    // so padding counts only with count_include_pad (and never the ceil-mode
    // extension).
    SmallVector<int64_t> onesShape = {1, 1}, countShape = {1, 1};
    SmallVector<int64_t> onesPads(pads);
    for (int64_t i = 0; i < spatial; ++i) {
      onesShape.push_back(inType.getDimSize(i + 2));
      countShape.push_back(type->getDimSize(i + 2));
    }
    if (op.getCountIncludePad()) {
      ArrayRef<int64_t> given = op.getPads();
      for (int64_t i = 0; i < spatial; ++i) {
        onesShape[i + 2] += given[i] + given[i + spatial];
        onesPads[i] = 0;
        onesPads[i + spatial] = pads[i + spatial] - given[i + spatial];
      }
    }
    Value ones = buildFilled(rw, loc, RankedTensorType::get(onesShape, e), rw.getFloatAttr(e, 1.0));
    ones = padSpatial(rw, loc, ones, onesPads, rw.getZeroAttr(e));
    auto countType = RankedTensorType::get(countShape, e);
    Value count = buildPooling(rw, loc, countType, ones, kernel, strides, dilations,
                               buildFilled(rw, loc, countType, rw.getZeroAttr(e)), false);
    rw.replaceOp(op, buildElementwise(
                         rw, loc, *type, ValueRange{pooled, count},
                         [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                           return arith::DivFOp::create(b, l, a[0], a[1]);
                         }));
    return success();
  }
};

ScalarFn addF() {
  return [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::AddFOp::create(b, l, a[0], a[1]);
  };
}
ScalarFn maxF() {
  return [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::MaximumFOp::create(b, l, a[0], a[1]);
  };
}

/// Mean or max over the spatial dimensions, kept as size 1.
template <typename OpTy, bool isMax>
struct GlobalPoolPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type) || !isFloat(type->getElementType()))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t d = 2; d < inType.getRank(); ++d) {
      axes.push_back(d);
      count *= inType.getDimSize(d);
    }
    Type e = type->getElementType();
    Value r = buildReduction(rw, loc, adaptor.getInput(), axes, true,
                             isMax ? lowestValue(rw, e) : rw.getZeroAttr(e),
                             isMax ? maxF() : addF());
    if (!isMax)
      r = buildElementwise(rw, loc, *type, r,
                           [count](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                             return arith::DivFOp::create(b, l, a[0], scalarConstant(b, l, t, count));
                           });
    rw.replaceOp(op, r);
    return success();
  }
};

struct BatchNormPattern : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type) || !isFloat(type->getElementType()))
      return failure();
    Location loc = op.getLoc();
    // Parameters as [C, 1, 1, ...] so that they broadcast along dim 1.
    SmallVector<int64_t> shape(type->getRank() - 1, 1);
    shape[0] = type->getDimSize(1);
    auto paramType = RankedTensorType::get(shape, type->getElementType());
    SmallVector<Value> operands = {adaptor.getInput()};
    for (Value p : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                    adaptor.getVariance()})
      operands.push_back(buildReshape(rw, loc, p, paramType));
    double eps = op.getEpsilon().convertToDouble();
    rw.replaceOp(op, buildElementwise(
        rw, loc, *type, operands,
        [eps](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
          Value var = arith::AddFOp::create(b, l, a[4], scalarConstant(b, l, t, eps));
          Value norm = arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, a[0], a[3]), math::SqrtOp::create(b, l, var));
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, norm, a[1]), a[2]);
        }));
    return success();
  }
};

Value transpose2D(OpBuilder &b, Location loc, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  auto outType = RankedTensorType::get({t.getDimSize(1), t.getDimSize(0)},
                                       t.getElementType());
  Value init = tensor::EmptyOp::create(b, loc, outType.getShape(),
                                       outType.getElementType());
  return linalg::TransposeOp::create(b, loc, v, init, ArrayRef<int64_t>{1, 0})
      .getResult()[0];
}

/// lhs x rhs, either operand possibly stored transposed: a transposed
/// operand is read through the matmul's indexing maps, not copied.
Value matmul2D(OpBuilder &b, Location loc, Value lhs, Value rhs,
               bool transA = false, bool transB = false, Value init = {}) {
  if (transA && transB) {
    lhs = transpose2D(b, loc, lhs);
    transA = false;
  }
  auto l = cast<RankedTensorType>(lhs.getType());
  auto r = cast<RankedTensorType>(rhs.getType());
  auto outType = RankedTensorType::get(
      {l.getDimSize(transA ? 1 : 0), r.getDimSize(transB ? 0 : 1)},
      l.getElementType());
  if (!init)
    init = buildFilled(b, loc, outType, b.getZeroAttr(l.getElementType()));
  SmallVector<Value> ins = {lhs, rhs};
  if (transA)
    return linalg::MatmulTransposeAOp::create(b, loc, TypeRange{outType}, ins, init)
        .getResult(0);
  if (transB)
    return linalg::MatmulTransposeBOp::create(b, loc, TypeRange{outType}, ins, init)
        .getResult(0);
  return linalg::MatmulOp::create(b, loc, outType, ins, init).getResult(0);
}

struct GemmPattern : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type) || !isFloat(type->getElementType()))
      return failure();
    Location loc = op.getLoc();
    Value r = matmul2D(rw, loc, adaptor.getA(), adaptor.getB(), op.getTransA(),
                       op.getTransB());
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    SmallVector<Value> operands = {r};
    if (adaptor.getC() && beta != 0)
      operands.push_back(adaptor.getC());
    if (alpha != 1 || operands.size() > 1)
      r = buildElementwise(rw, loc, *type, operands,
                           [=](OpBuilder &bb, Location l, Type t, ValueRange v) -> Value {
                             Value x = v[0];
                             if (alpha != 1)
                               x = arith::MulFOp::create(bb, l, x, scalarConstant(bb, l, t, alpha));
                             if (v.size() > 1) {
                               Value c = v[1];
                               if (beta != 1)
                                 c = arith::MulFOp::create(bb, l, c, scalarConstant(bb, l, t, beta));
                               x = arith::AddFOp::create(bb, l, x, c);
                             }
                             return x;
                           });
    rw.replaceOp(op, r);
    return success();
  }
};

struct MatMulPattern : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type) || !isFloat(type->getElementType()))
      return failure();
    Location loc = op.getLoc();
    Type e = type->getElementType();
    auto lt = cast<RankedTensorType>(adaptor.getLhs().getType());
    auto rt = cast<RankedTensorType>(adaptor.getRhs().getType());
    // numpy promotion of 1-D operands.
    SmallVector<int64_t> ls(lt.getShape()), rs(rt.getShape());
    if (ls.size() == 1)
      ls.insert(ls.begin(), 1);
    if (rs.size() == 1)
      rs.push_back(1);
    Value lhs = buildReshape(rw, loc, adaptor.getLhs(), RankedTensorType::get(ls, e));
    Value rhs = buildReshape(rw, loc, adaptor.getRhs(), RankedTensorType::get(rs, e));
    int64_t m = ls[ls.size() - 2], k = ls.back(), n = rs.back();
    if (rs.size() == 2) {
      // A shared right operand (weights): fold lhs's batch dimensions into M
      // and run one 2-D matmul, instead of broadcasting the weights.
      int64_t rows = 1;
      for (int64_t d : ArrayRef(ls).drop_back())
        rows *= d;
      Value flat = buildReshape(rw, loc, lhs, RankedTensorType::get({rows, k}, e));
      // A bias Add that alone consumes the product (a linear layer) is its
      // start, and a ReLU, Clip or SiLU after it the kernel's activation.
      auto flatType = RankedTensorType::get({rows, n}, e);
      Value init;
      Operation *last = op;
      std::optional<FusedActivation> fused;
      if (auto [add, bias] = soleAdd(op, /*sameType=*/false); add && e.isF32()) {
        Value vector = buildReshape(rw, loc, rw.getRemappedValue(bias),
                                    RankedTensorType::get({n}, e));
        init = buildElementwise(rw, loc, flatType, vector,
                                [](OpBuilder &, Location, Type, ValueRange a) { return a[0]; });
        last = add;
        fused = activationOf(add);
      }
      Value product = matmul2D(rw, loc, flat, rhs, false, false, init);
      if (fused)
        fused->activation.mark(rw, product.getDefiningOp());
      Value result = buildReshape(rw, loc, product, *type);
      if (fused)
        fused->replace(rw, result);
      if (last != op)
        rw.replaceOp(last, result);
      rw.replaceOp(op, result);
      return success();
    }
    // Broadcast both to the full batch shape, collapse it to one dimension,
    // and run linalg.batch_matmul.
    SmallVector<int64_t> batch;
    int64_t batchRank = std::max(ls.size(), rs.size()) - 2;
    for (int64_t i = 0; i < batchRank; ++i) {
      auto dimOf = [&](ArrayRef<int64_t> s) -> int64_t {
        int64_t off = batchRank - (int64_t(s.size()) - 2);
        return i < off ? 1 : s[i - off];
      };
      batch.push_back(std::max(dimOf(ls), dimOf(rs)));
    }
    int64_t count = 1;
    for (int64_t d : batch)
      count *= d;
    auto full = [&](Value v, int64_t rows, int64_t cols) {
      SmallVector<int64_t> shape(batch);
      shape.append({rows, cols});
      Value b = buildElementwise(rw, loc, RankedTensorType::get(shape, e), v,
                                 [](OpBuilder &, Location, Type, ValueRange a) { return a[0]; });
      return buildReshape(rw, loc, b, RankedTensorType::get({count, rows, cols}, e));
    };
    Value l3 = full(lhs, m, k), r3 = full(rhs, k, n);
    auto outType = RankedTensorType::get({count, m, n}, e);
    Value init = buildFilled(rw, loc, outType, rw.getZeroAttr(e));
    Value r = linalg::BatchMatmulOp::create(rw, loc, outType, ValueRange{l3, r3}, init)
                  .getResult(0);
    rw.replaceOp(op, buildReshape(rw, loc, r, *type));
    return success();
  }
};

/// softmax(x) = exp(x - max) / sum(exp(x - max)); log_softmax likewise.
template <typename OpTy, bool isLog>
struct SoftmaxPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type) || !isFloat(type->getElementType()))
      return failure();
    Location loc = op.getLoc();
    Type e = type->getElementType();
    int64_t axis = positiveAxis(op.getAxis(), type->getRank());
    Value x = adaptor.getInput();
    Value max = buildReduction(rw, loc, x, {axis}, true, lowestValue(rw, e), maxF());
    Value shifted = buildElementwise(rw, loc, *type, ValueRange{x, max},
                                     [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                       return arith::SubFOp::create(b, l, a[0], a[1]);
                                     });
    Value exp = buildElementwise(rw, loc, *type, shifted,
                                 [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                   return math::ExpOp::create(b, l, a[0]);
                                 });
    Value sum = buildReduction(rw, loc, exp, {axis}, true, rw.getZeroAttr(e), addF());
    Value r = isLog
        ? buildElementwise(rw, loc, *type, ValueRange{shifted, sum},
                           [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                             return arith::SubFOp::create(b, l, a[0], math::LogOp::create(b, l, a[1]));
                           })
        : buildElementwise(rw, loc, *type, ValueRange{exp, sum},
                           [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                             return arith::DivFOp::create(b, l, a[0], a[1]);
                           });
    rw.replaceOp(op, r);
    return success();
  }
};

struct LayerNormPattern : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rw) const override {
    FailureOr<RankedTensorType> type = staticResultType(op, rw);
    if (failed(type) || !isFloat(type->getElementType()))
      return failure();
    Location loc = op.getLoc();
    Type e = type->getElementType();
    int64_t rank = type->getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t d = axis; d < rank; ++d) {
      axes.push_back(d);
      count *= type->getDimSize(d);
    }
    Value x = adaptor.getInput();
    auto divide = [count](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
      return arith::DivFOp::create(b, l, a[0], scalarConstant(b, l, t, count));
    };
    Value sum = buildReduction(rw, loc, x, axes, true, rw.getZeroAttr(e), addF());
    Value mean = buildElementwise(rw, loc, cast<RankedTensorType>(sum.getType()), sum, divide);
    Value centered = buildElementwise(rw, loc, *type, ValueRange{x, mean},
                                      [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                        return arith::SubFOp::create(b, l, a[0], a[1]);
                                      });
    Value sq = buildReduction(rw, loc, centered, axes, true, rw.getZeroAttr(e),
                              [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                return arith::AddFOp::create(b, l, a[0], arith::MulFOp::create(b, l, a[1], a[1]));
                              });
    Value var = buildElementwise(rw, loc, cast<RankedTensorType>(sq.getType()), sq, divide);
    double eps = op.getEpsilon().convertToDouble();
    SmallVector<Value> operands = {centered, var, adaptor.getScale()};
    if (adaptor.getBias())
      operands.push_back(adaptor.getBias());
    rw.replaceOp(op, buildElementwise(
        rw, loc, *type, operands,
        [eps](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
          Value d = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, a[1], scalarConstant(b, l, t, eps)));
          Value y = arith::MulFOp::create(b, l, arith::DivFOp::create(b, l, a[0], d), a[2]);
          return a.size() > 3 ? Value(arith::AddFOp::create(b, l, y, a[3])) : y;
        }));
    return success();
  }
};

} // namespace

void to_linalg::populateNNPatterns(RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add<ConvPattern, PoolPattern<MaxPoolOp>, PoolPattern<AveragePoolOp>,
        GlobalPoolPattern<GlobalAveragePoolOp, false>,
        GlobalPoolPattern<GlobalMaxPoolOp, true>, BatchNormPattern,
        GemmPattern, MatMulPattern, SoftmaxPattern<SoftmaxOp, false>,
        SoftmaxPattern<LogSoftmaxOp, true>, LayerNormPattern>(ctx);
}
