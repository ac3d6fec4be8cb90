//===- DSOps.td - ds dialect operations --------------------*- tablegen -*-===//
//
// Ops are grouped as in the C++ sources: Tensor.cpp (data movement and
// constants), Math.cpp (elementwise), NN.cpp (convolution, matmul, pooling,
// normalization). Each op's shape inference (DSInterfaces.td) is also its
// shape verifier.
//
//===----------------------------------------------------------------------===//

#ifndef DS_OPS_TD
#define DS_OPS_TD

include "dialects/DS/IR/DSDialect.td"
include "dialects/DS/IR/DSInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// An op whose C++ class implements inferResultTypes by hand (in the file of
// its category).
class DS_InferOp<string mnemonic, list<Trait> traits = []>
    : DS_Op<mnemonic, !listconcat(traits, [Pure,
        DeclareOpInterfaceMethods<DS_ShapeInferenceOpInterface>])>;

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

def DS_ConstantOp : DS_Op<"constant", [ConstantLike, Pure]> {
  let summary = "A constant tensor (weights, shapes, scalars)";
  let description = [{
    Holds an initializer or an ONNX `Constant`. Large weights are
    `dense_resource` blobs so that a `.ds` file stores them as raw bytes.

    ```mlir
    %w = ds.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs DS_Tensor:$output);
  // The value's type is the result type: `ds.constant dense<0.0> : tensor<2xf32>`.
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
  let hasVerifier = 1;
  let builders = [OpBuilder<(ins "::mlir::TypedAttr":$value), [{
    build($_builder, $_state, value.getType(),
          ::llvm::cast<::mlir::ElementsAttr>(value));
  }]>];
}

def DS_ReshapeOp : DS_InferOp<"reshape"> {
  let summary = "ONNX Reshape: new dimensions from a 1-D shape tensor";
  let description = [{
    `shape` follows ONNX: `-1` is inferred from the element count and, unless
    `allowzero` is set, `0` copies the input's dimension at that index.

    ```mlir
    %y = ds.reshape %x, %s : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<6xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DS_IndexTensor:$shape,
                       DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input `,` $shape attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def DS_TransposeOp : DS_InferOp<"transpose"> {
  let summary = "Permutes the dimensions of a tensor";
  let description = [{
    `perm[i]` is the input dimension that becomes output dimension `i`.

    ```mlir
    %y = ds.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DS_ConcatOp : DS_InferOp<"concat"> {
  let summary = "Joins tensors along one axis";
  let description = [{
    ```mlir
    %y = ds.concat %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins Variadic<DS_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type(operands, results)";
}

def DS_FlattenOp : DS_InferOp<"flatten"> {
  let summary = "Reshapes to 2-D: dimensions before `axis`, and the rest";
  let description = [{
    ```mlir
    %y = ds.flatten %x {axis = 1 : i64} : (tensor<1x64x1x1xf32>) -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, I64Attr:$axis);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_ShapeOp : DS_InferOp<"shape"> {
  let summary = "The input's dimensions [start, end) as a 1-D i64 tensor";
  let description = [{
    Folds to a constant when those dimensions are static.

    ```mlir
    %s = ds.shape %x {start = 0 : i64, end = 4 : i64} : (tensor<1x3x?x?xf32>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, I64Attr:$start, I64Attr:$end);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def DS_SqueezeOp : DS_InferOp<"squeeze"> {
  let summary = "Removes the size-1 dimensions listed in `axes`";
  let description = [{
    ```mlir
    %y = ds.squeeze %x {axes = array<i64: 0>} : (tensor<1x3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_UnsqueezeOp : DS_InferOp<"unsqueeze"> {
  let summary = "Inserts size-1 dimensions at `axes` (of the result)";
  let description = [{
    ```mlir
    %y = ds.unsqueeze %x {axes = array<i64: 0, 2>} : (tensor<3xf32>) -> tensor<1x3x1xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_GatherOp : DS_InferOp<"gather"> {
  let summary = "Takes slices of `data` along `axis` at `indices` (ONNX Gather)";
  let description = [{
    The result shape is `data[:axis] + indices + data[axis+1:]`; negative
    indices count from the end.

    ```mlir
    %y = ds.gather %data, %idx {axis = 0 : i64} : (tensor<5x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$data, DS_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def DS_ExpandOp : DS_InferOp<"expand"> {
  let summary = "Broadcasts the input to a shape given as a 1-D tensor";
  let description = [{
    The result shape is the numpy broadcast of the input's and `shape`.

    ```mlir
    %y = ds.expand %x, %s : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DS_IndexTensor:$shape);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input `,` $shape attr-dict `:` functional-type(operands, results)";
}

def DS_SliceOp : DS_InferOp<"slice"> {
  let summary = "Strided slice along some axes (ONNX Slice, constant bounds)";
  let description = [{
    One entry per sliced axis in `axes`, `starts`, `ends` and `steps`, with
    ONNX's clamping: negative values count from the end, out-of-range ones
    are clamped, and a negative step walks backwards.

    ```mlir
    %y = ds.slice %x {axes = array<i64: 1>, starts = array<i64: 1>, ends = array<i64: 3>, steps = array<i64: 1>}
        : (tensor<2x4xf32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$axes,
                       DenseI64ArrayAttr:$steps);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// For an input of static `shape`: per dimension, the first index read
    /// (ONNX's clamping applied) and the step; result element i of a
    /// dimension reads start + i * step.
    void getStartsAndSteps(::llvm::ArrayRef<int64_t> shape,
                           ::llvm::SmallVectorImpl<int64_t> &start,
                           ::llvm::SmallVectorImpl<int64_t> &step);
  }];
}

def DS_GatherElementsOp : DS_InferOp<"gather_elements"> {
  let summary = "out[i] = data[i with index[axis] replaced by indices[i]]";
  let description = [{
    ONNX GatherElements: the result has the shape of `indices`; negative
    indices count from the end of `axis`.

    ```mlir
    %y = ds.gather_elements %d, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$data, DS_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def DS_TriluOp : DS_InferOp<"trilu", [SameOperandsAndResultElementType]> {
  let summary = "Keeps the upper or lower triangle of the last two dimensions";
  let description = [{
    Element (i, j) is kept if `j - i >= k` (upper) or `j - i <= k` (lower),
    else zeroed.

    ```mlir
    %y = ds.trilu %x {upper = true, k = 0 : i64} : (tensor<3x3xf32>) -> tensor<3x3xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, BoolAttr:$upper, I64Attr:$k);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_PadOp : DS_InferOp<"pad", [SameOperandsAndResultElementType]> {
  let summary = "Pads every dimension (ONNX Pad: constant, edge or reflect)";
  let description = [{
    `pads` holds the begin values of every dimension, then the end values;
    negative values crop. `mode` is `constant` (with the scalar `value`,
    zero if absent), `edge` or `reflect`.

    ```mlir
    %y = ds.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = "constant"} : (tensor<2x2xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, Optional<DS_Tensor>:$value,
                       DenseI64ArrayAttr:$pads, StrAttr:$mode);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input (`,` $value^)? attr-dict `:` functional-type(operands, results)";
}

def DS_TileOp : DS_InferOp<"tile", [SameOperandsAndResultElementType]> {
  let summary = "Repeats the input `repeats[d]` times along each dimension";
  let description = [{
    ```mlir
    %y = ds.tile %x {repeats = array<i64: 2, 1>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$repeats);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_ResizeOp : DS_InferOp<"resize", [SameOperandsAndResultElementType]> {
  let summary = "Resamples to `sizes` (ONNX Resize and Upsample)";
  let description = [{
    Each output coordinate maps back to the input by
    `coordinate_transformation_mode` with the per-dimension `scales`
    (output / input), then reads the nearest element (`nearest_mode`) or
    interpolates `linear`ly or `cubic`ally (`cubic_coeff_a`,
    `exclude_outside`) from neighbors clamped to the edge.
    `tf_crop_and_resize` reads the box `roi` (starts then ends, normalized)
    and writes `extrapolation_value` outside the input.

    ```mlir
    %y = ds.resize %x {sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>,
                       mode = "linear", coordinate_transformation_mode = "half_pixel",
                       nearest_mode = "round_prefer_floor", cubic_coeff_a = -7.5e-01 : f64,
                       exclude_outside = false, extrapolation_value = 0.0 : f64,
                       roi = array<f64>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$sizes,
                       DenseF64ArrayAttr:$scales, StrAttr:$mode,
                       StrAttr:$coordinate_transformation_mode,
                       StrAttr:$nearest_mode, F64Attr:$cubic_coeff_a,
                       BoolAttr:$exclude_outside, F64Attr:$extrapolation_value,
                       DenseF64ArrayAttr:$roi);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_OneHotOp : DS_InferOp<"one_hot"> {
  let summary = "values[1] where an index matches, values[0] elsewhere";
  let description = [{
    ONNX OneHot: the result is `indices`' shape with a dimension of size
    `depth` inserted at `axis`; negative indices count from `depth`.
    `values` holds [off, on].

    ```mlir
    %y = ds.one_hot %i, %v {depth = 4 : i64, axis = -1 : i64} : (tensor<3xi64>, tensor<2xf32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins DS_IndexTensor:$indices, DS_Tensor:$values,
                       I64Attr:$depth, I64Attr:$axis);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$indices `,` $values attr-dict `:` functional-type(operands, results)";
}

def DS_CumSumOp : DS_InferOp<"cumsum", [SameOperandsAndResultElementType]> {
  let summary = "Running sum along `axis` (ONNX CumSum)";
  let description = [{
    `exclusive` leaves out the element itself; `reverse` sums from the end.

    ```mlir
    %y = ds.cumsum %x {axis = 0 : i64, exclusive = false, reverse = false} : (tensor<5xf32>) -> tensor<5xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class DS_ReduceOp<string mnemonic, string formula>
    : DS_InferOp<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = "Reduces `axes` (all when empty) with " # formula;
  let description = [{
    `keepdims` keeps reduced dimensions as size 1.

    ```mlir
    %y = ds.}] # mnemonic # [{ %x {axes = array<i64: 1>, keepdims = true} : (tensor<2x3xf32>) -> tensor<2x1xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferReduction(*this, getInput(), getAxes(),
                                        getKeepdims(), inferred);
    }
  }];
}

def DS_ReduceSumOp : DS_ReduceOp<"reduce_sum", "sum">;
def DS_ReduceMeanOp : DS_ReduceOp<"reduce_mean", "mean">;
def DS_ReduceMaxOp : DS_ReduceOp<"reduce_max", "max">;
def DS_ReduceMinOp : DS_ReduceOp<"reduce_min", "min">;
def DS_ReduceProdOp : DS_ReduceOp<"reduce_prod", "product">;
def DS_ReduceL1Op : DS_ReduceOp<"reduce_l1", "sum of |x|">;
def DS_ReduceL2Op : DS_ReduceOp<"reduce_l2", "sqrt of sum of x^2">;
def DS_ReduceLogSumOp : DS_ReduceOp<"reduce_log_sum", "log of sum">;
def DS_ReduceLogSumExpOp : DS_ReduceOp<"reduce_log_sum_exp", "log of sum of exp">;
def DS_ReduceSumSquareOp : DS_ReduceOp<"reduce_sum_square", "sum of x^2">;

class DS_ArgOp<string mnemonic, string what> : DS_InferOp<mnemonic> {
  let summary = "Index (i64) of the " # what # " along `axis`";
  let description = [{
    Ties take the first index, or the last with `select_last_index`.

    ```mlir
    %i = ds.}] # mnemonic # [{ %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      int64_t axis = getAxis();
      return ::mlir::ds::inferReduction(*this, getInput(), axis,
                                        getKeepdims(), inferred);
    }
  }];
}

def DS_ArgMaxOp : DS_ArgOp<"arg_max", "largest element">;
def DS_ArgMinOp : DS_ArgOp<"arg_min", "smallest element">;

//===----------------------------------------------------------------------===//
// Math: elementwise ops, one line each.
//===----------------------------------------------------------------------===//

// y = f(x), elementwise; the result has the input's shape and element type.
class DS_UnaryOp<string mnemonic, string formula>
    : DS_InferOp<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = "Elementwise " # mnemonic # ": y = " # formula;
  let description = [{
    ```mlir
    %y = ds.}] # mnemonic # [{ %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferSameAsOperand(*this, inferred);
    }
  }];
}

def DS_AbsOp : DS_UnaryOp<"abs", "|x|">;
def DS_CeilOp : DS_UnaryOp<"ceil", "ceil(x)">;
def DS_ErfOp : DS_UnaryOp<"erf", "erf(x)">;
def DS_ExpOp : DS_UnaryOp<"exp", "exp(x)">;
def DS_FloorOp : DS_UnaryOp<"floor", "floor(x)">;
def DS_LogOp : DS_UnaryOp<"log", "log(x)">;
def DS_NegOp : DS_UnaryOp<"neg", "-x">;
def DS_ReciprocalOp : DS_UnaryOp<"reciprocal", "1 / x">;
def DS_ReluOp : DS_UnaryOp<"relu", "max(x, 0)">;
def DS_SigmoidOp : DS_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def DS_SqrtOp : DS_UnaryOp<"sqrt", "sqrt(x)">;
def DS_TanhOp : DS_UnaryOp<"tanh", "tanh(x)">;
def DS_AcosOp : DS_UnaryOp<"acos", "acos(x)">;
def DS_AcoshOp : DS_UnaryOp<"acosh", "acosh(x)">;
def DS_AsinOp : DS_UnaryOp<"asin", "asin(x)">;
def DS_AsinhOp : DS_UnaryOp<"asinh", "asinh(x)">;
def DS_AtanOp : DS_UnaryOp<"atan", "atan(x)">;
def DS_AtanhOp : DS_UnaryOp<"atanh", "atanh(x)">;
def DS_CosOp : DS_UnaryOp<"cos", "cos(x)">;
def DS_CoshOp : DS_UnaryOp<"cosh", "cosh(x)">;
def DS_SinOp : DS_UnaryOp<"sin", "sin(x)">;
def DS_SinhOp : DS_UnaryOp<"sinh", "sinh(x)">;
def DS_TanOp : DS_UnaryOp<"tan", "tan(x)">;
def DS_RoundOp : DS_UnaryOp<"round", "round half to even(x)">;
def DS_SignOp : DS_UnaryOp<"sign", "-1, 0 or 1">;
def DS_SoftplusOp : DS_UnaryOp<"softplus", "log(exp(x) + 1)">;
def DS_SoftsignOp : DS_UnaryOp<"softsign", "x / (1 + |x|)">;
def DS_HardSwishOp : DS_UnaryOp<"hard_swish", "x * max(0, min(1, x / 6 + 0.5))">;
def DS_NotOp : DS_UnaryOp<"not", "!x (bool)">;

// y = f(x) with float parameters given as attributes.
class DS_ActivationOp<string mnemonic, string formula, dag params>
    : DS_UnaryOp<mnemonic, formula> {
  let arguments = !con((ins DS_Tensor:$input), params);
  let description = [{
    ```mlir
    %y = ds.}] # mnemonic # [{ %x {alpha = 0.1 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def DS_LeakyReluOp : DS_ActivationOp<"leaky_relu", "x < 0 ? alpha * x : x",
    (ins F32Attr:$alpha)>;
def DS_EluOp : DS_ActivationOp<"elu", "x < 0 ? alpha * (exp(x) - 1) : x",
    (ins F32Attr:$alpha)>;
def DS_CeluOp : DS_ActivationOp<"celu",
    "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))", (ins F32Attr:$alpha)>;
def DS_SeluOp : DS_ActivationOp<"selu",
    "gamma * (x <= 0 ? alpha * (exp(x) - 1) : x)",
    (ins F32Attr:$alpha, F32Attr:$gamma)>;
def DS_HardSigmoidOp : DS_ActivationOp<"hard_sigmoid",
    "max(0, min(1, alpha * x + beta))", (ins F32Attr:$alpha, F32Attr:$beta)>;
def DS_ThresholdedReluOp : DS_ActivationOp<"thresholded_relu",
    "x > alpha ? x : 0", (ins F32Attr:$alpha)>;

def DS_CastOp : DS_InferOp<"cast"> {
  let summary = "Converts elements to the result's element type (ONNX Cast)";
  let description = [{
    Floats to integers truncate toward zero; to bool is `x != 0`.

    ```mlir
    %y = ds.cast %x : (tensor<4xf32>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins DS_Tensor:$input);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_ClipOp : DS_InferOp<"clip", [AttrSizedOperandSegments]> {
  let summary = "Elementwise clamp: y = min(max(x, min), max)";
  let description = [{
    `min` and `max` are optional scalars (ONNX opset-11 form; older opsets'
    attributes become constants at import). An absent bound does not clamp.

    ```mlir
    %y = ds.clip %x min %lo max %hi : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, Optional<DS_Tensor>:$min,
                       Optional<DS_Tensor>:$max);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat = [{
    $input (`min` $min^)? (`max` $max^)? attr-dict `:` functional-type(operands, results)
  }];
}

// z = f(x, y) with numpy-style (ONNX multidirectional) broadcasting.
class DS_BinaryOp<string mnemonic, string formula, list<Trait> traits = []>
    : DS_InferOp<mnemonic, traits> {
  let summary = "Elementwise " # mnemonic # " with broadcasting: z = " # formula;
  let description = [{
    ```mlir
    %z = ds.}] # mnemonic # [{ %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$lhs, DS_Tensor:$rhs);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferBroadcast(*this, inferred);
    }
  }];
}

def DS_AddOp : DS_BinaryOp<"add", "x + y", [Commutative]> {
  let hasFolder = 1;
}
def DS_SubOp : DS_BinaryOp<"sub", "x - y">;
def DS_MulOp : DS_BinaryOp<"mul", "x * y", [Commutative]> {
  let hasFolder = 1;
}
def DS_DivOp : DS_BinaryOp<"div", "x / y">;
def DS_PowOp : DS_BinaryOp<"pow", "x ^ y">;
def DS_MaxOp : DS_BinaryOp<"max", "max(x, y)", [Commutative]>;
def DS_MinOp : DS_BinaryOp<"min", "min(x, y)", [Commutative]>;
def DS_PReluOp : DS_BinaryOp<"prelu", "x < 0 ? y * x : x (y: slope)">;
// Comparisons produce i1.
def DS_EqualOp : DS_BinaryOp<"equal", "x == y", [Commutative]>;
def DS_LessOp : DS_BinaryOp<"less", "x < y">;
def DS_LessOrEqualOp : DS_BinaryOp<"less_equal", "x <= y">;
def DS_GreaterOp : DS_BinaryOp<"greater", "x > y">;
def DS_GreaterOrEqualOp : DS_BinaryOp<"greater_equal", "x >= y">;
def DS_AndOp : DS_BinaryOp<"and", "x && y (bool)", [Commutative]>;
def DS_OrOp : DS_BinaryOp<"or", "x || y (bool)", [Commutative]>;
def DS_XorOp : DS_BinaryOp<"xor", "x != y (bool)", [Commutative]>;
def DS_ModOp : DS_BinaryOp<"mod",
    "x mod y: sign of y (integers), or of x with fmod (C fmod)"> {
  let arguments = (ins DS_Tensor:$lhs, DS_Tensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
}

def DS_BitShiftOp : DS_BinaryOp<"bit_shift",
    "x << y with `left`, else x >> y (logical; unsigned integers)"> {
  let arguments = (ins DS_Tensor:$lhs, DS_Tensor:$rhs, BoolAttr:$left);
}

def DS_WhereOp : DS_InferOp<"where"> {
  let summary = "Elementwise select with broadcasting: cond ? x : y";
  let description = [{
    ```mlir
    %z = ds.where %c, %x, %y : (tensor<2x3xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$condition, DS_Tensor:$lhs, DS_Tensor:$rhs);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// NN
//===----------------------------------------------------------------------===//

def DS_ConvOp : DS_InferOp<"conv"> {
  let summary = "N-D convolution (ONNX Conv), NCHW, explicit padding";
  let description = [{
    `weight` is `[M, C/group, k...]`; `bias`, if present, is `[M]`. Padding is
    explicit: ONNX `auto_pad` is resolved at import (`pads` holds the begin
    values of every spatial dimension, then the end values).

    ```mlir
    %y = ds.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                             dilations = array<i64: 1, 1>, group = 1 : i64}
        : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DS_Tensor:$weight,
                       Optional<DS_Tensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def DS_MatMulOp : DS_InferOp<"matmul"> {
  let summary = "numpy matmul: batched, with broadcast batch dimensions";
  let description = [{
    ```mlir
    %y = ds.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$lhs, DS_Tensor:$rhs);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def DS_GemmOp : DS_InferOp<"gemm"> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let description = [{
    `A` and `B` are 2-D; `C`, if present, broadcasts to the `[M, N]` result.

    ```mlir
    %y = ds.gemm %a, %b, %c {transB = true}
        : (tensor<1x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$a, DS_Tensor:$b, Optional<DS_Tensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$transA,
                       DefaultValuedAttr<BoolAttr, "false">:$transB);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

class DS_PoolOp<string mnemonic, string what> : DS_InferOp<mnemonic> {
  let summary = what # " pooling over the spatial dimensions, NCHW";
  let description = [{
    Padding is explicit (as for `ds.conv`); padded cells never win a max and,
    unless `count_include_pad` is set, do not count in an average.

    ```mlir
    %y = ds.}] # mnemonic # [{ %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                   pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
        : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferPool(*this, getInput(), getKernelShape(),
          getStrides(), getPads(), getDilations(), getCeilMode(), inferred);
    }
  }];
}

def DS_MaxPoolOp : DS_PoolOp<"max_pool", "Max">;
def DS_AveragePoolOp : DS_PoolOp<"average_pool", "Average">;

def DS_GlobalAveragePoolOp : DS_InferOp<"global_average_pool"> {
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferGlobalPool(*this, getInput(), inferred);
    }
  }];
  let summary = "Mean over all spatial dimensions, keeping them as size 1";
  let description = [{
    ```mlir
    %y = ds.global_average_pool %x : (tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

def DS_GlobalMaxPoolOp : DS_InferOp<"global_max_pool"> {
  let summary = "Max over all spatial dimensions, keeping them as size 1";
  let description = [{
    ```mlir
    %y = ds.global_max_pool %x : (tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferGlobalPool(*this, getInput(), inferred);
    }
  }];
}

def DS_LayerNormOp : DS_InferOp<"layer_norm"> {
  let summary = "Normalizes over the dimensions from `axis` on (ONNX LayerNormalization)";
  let description = [{
    y = (x - mean) / sqrt(var + epsilon) * scale + bias, with mean and
    variance over dimensions `axis..rank-1`; `scale` and `bias` broadcast to
    those dimensions.

    ```mlir
    %y = ds.layer_norm %x, %g, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32}
        : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DS_Tensor:$scale,
                       Optional<DS_Tensor>:$bias, I64Attr:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def DS_BatchNormOp : DS_InferOp<"batch_norm"> {
  let summary = "Inference-mode batch normalization over dimension 1";
  let description = [{
    y = scale * (x - mean) / sqrt(var + epsilon) + bias, with `scale`, `bias`,
    `mean` and `var` of shape `[C]`.

    ```mlir
    %y = ds.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32}
        : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
        -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, DS_Tensor:$scale, DS_Tensor:$bias,
                       DS_Tensor:$mean, DS_Tensor:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
}

class DS_SoftmaxBase<string mnemonic, string what>
    : DS_InferOp<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = what # " along one axis (opset-13 semantics)";
  let description = [{
    Older opsets' "flatten to 2-D" form is rewritten to this one at import.

    ```mlir
    %y = ds.}] # mnemonic # [{ %x {axis = -1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, I64Attr:$axis);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::mlir::ds::inferSameWithAxis(*this, getInput(), getAxis(),
                                           inferred);
    }
  }];
}

def DS_SoftmaxOp : DS_SoftmaxBase<"softmax", "Softmax">;
def DS_LogSoftmaxOp : DS_SoftmaxBase<"log_softmax", "Log of softmax">;

#endif // DS_OPS_TD
