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

def DS_SoftmaxOp : DS_InferOp<"softmax", [SameOperandsAndResultElementType]> {
  let summary = "Softmax along one axis (opset-13 semantics)";
  let description = [{
    Older opsets' "flatten to 2-D" form is rewritten to this one at import.

    ```mlir
    %y = ds.softmax %x {axis = -1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins DS_Tensor:$input, I64Attr:$axis);
  let results = (outs DS_Tensor:$output);
  let assemblyFormat =
      "$input attr-dict `:` functional-type(operands, results)";
}

#endif // DS_OPS_TD
