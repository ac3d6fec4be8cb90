//===- Passes.td - deepseek conversion passes --------------*- tablegen -*-===//

#ifndef DS_CONVERSION_PASSES_TD
#define DS_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertDSToLinalgPass : Pass<"ds-to-linalg", "func::FuncOp"> {
  let summary = "Lowers ds ops to linalg, tensor, arith and math";
  let description = [{
    One conversion per op family: elementwise ops become one
    `linalg.generic` each (numpy broadcasting in the indexing maps);
    convolutions, pooling and matmuls become linalg named ops with explicit
    `tensor.pad`; reductions, softmax and normalizations become generic
    reductions; data movement becomes tensor ops. Every shape must be static
    (use `deepseek-convert --input-shape`); an op that cannot be lowered is
    reported with its location and the reason.

    Before:
    ```mlir
    %y = ds.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%a: f32, %o: f32):
      %z = arith.constant 0.0 : f32
      %m = arith.maximumf %a, %z : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // DS_CONVERSION_PASSES_TD
