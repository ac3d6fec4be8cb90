//===- Passes.td - ds graph passes -------------------------*- tablegen -*-===//

#ifndef DS_TRANSFORMS_PASSES_TD
#define DS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ShapeInferencePass : Pass<"ds-shape-inference", "func::FuncOp"> {
  let summary = "Propagates shapes through ds ops and into the signature";
  let description = [{
    Visits ops in order and refines each result type with what the op's
    shape inference knows (`ShapeInferenceOpInterface`), then rewrites the
    function's result types to match what it returns. Types only become more
    static; a contradiction between a result type and its inferred type is an
    error.

    Before:
    ```mlir
    func.func @f(%x: tensor<1x3xf32>) -> tensor<?x?xf32> {
      %y = ds.relu %x : (tensor<1x3xf32>) -> tensor<?x?xf32>
      return %y : tensor<?x?xf32>
    }
    ```
    After:
    ```mlir
    func.func @f(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
      %y = ds.relu %x : (tensor<1x3xf32>) -> tensor<1x3xf32>
      return %y : tensor<1x3xf32>
    }
    ```
  }];
}

#endif // DS_TRANSFORMS_PASSES_TD
