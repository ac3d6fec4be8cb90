//===- DSDialect.td - The ds dialect -----------------------*- tablegen -*-===//
//
// The ds dialect holds a model at graph level: tensors in, tensors out, ONNX
// semantics normalized to one form per op at import.
//
//===----------------------------------------------------------------------===//

#ifndef DS_DIALECT_TD
#define DS_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def DS_Dialect : Dialect {
  let name = "ds";
  let cppNamespace = "::mlir::ds";
  let summary = "Graph-level dialect of the deepseek model compiler";
  let description = [{
    Ops of the `ds` dialect work on builtin tensors. Element types are the
    builtin floats and integers (ONNX signed integers are signless `iN`,
    unsigned ones `uiN`, bool is `i1`) or `!quant.uniform` types, per-tensor or
    per-axis, for quantized tensors. A tensor's encoding attribute is left to
    the compression passes (sparse weight layouts); no ds op inspects it unless
    it says so. See docs/Types.md.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let hasConstantMaterializer = 1;
}

class DS_Op<string mnemonic, list<Trait> traits = []>
    : Op<DS_Dialect, mnemonic, traits>;

// Any tensor, whatever its element type (float, integer, bool, quantized) or
// encoding (sparse layouts).
def DS_Tensor : AnyTypeOf<[AnyRankedTensor, AnyUnrankedTensor], "tensor">;
def DS_IndexTensor : TensorOf<[I64, I32]>;

#endif // DS_DIALECT_TD
