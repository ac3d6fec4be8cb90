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

def ConstantFoldPass : Pass<"ds-constant-fold", "func::FuncOp"> {
  let summary = "Evaluates ds ops whose operands are all constants";
  let description = [{
    Replaces an op by a `ds.constant` when all its operands are constants,
    its result is static, and it has at most `max-elements` elements (so that
    folding never copies a weight). Covers elementwise arithmetic, logic and
    comparisons, `where`, `cast`, and the data movement ops (`reshape`,
    `transpose`, `concat`, `gather`, `slice`, `expand`, ...): the shape
    arithmetic of exported transformers. Values are computed in double or
    int64 and rounded to the result's element type.

    Before:
    ```mlir
    %s = ds.constant dense<[2, 8, 4]> : tensor<3xi64>
    %i = ds.constant dense<0> : tensor<1xi64>
    %b = ds.gather %s, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
    ```
    After:
    ```mlir
    %b = ds.constant dense<2> : tensor<1xi64>
    ```
  }];
  let options = [
    Option<"maxElements", "max-elements", "int64_t", /*default=*/"65536",
           "Largest result (in elements) to fold">,
  ];
}

def DeadCodeEliminationPass : Pass<"ds-dce", "func::FuncOp"> {
  let summary = "Removes ds ops whose results are unused";
  let description = [{
    Erases side-effect-free ops with no uses, last users first, so that a
    dead chain disappears in one pass (canonicalize does this too; this pass
    does only this, for pipelines that must not rewrite anything else).
  }];
}

#endif // DS_TRANSFORMS_PASSES_TD
