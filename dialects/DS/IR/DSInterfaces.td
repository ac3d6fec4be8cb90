//===- DSInterfaces.td - ds op interfaces ------------------*- tablegen -*-===//

#ifndef DS_INTERFACES_TD
#define DS_INTERFACES_TD

include "mlir/IR/OpBase.td"

def DS_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::mlir::ds";
  let description = [{
    Ops whose result types follow from their operand types, attributes and
    constant operands. `inferResultTypes` computes them, leaving unknown
    dimensions dynamic; it reports inconsistent operands as an op error, so the
    same code verifies every op that has the interface.
  }];
  let methods = [
    InterfaceMethod<
      "Appends one inferred type per result; fails with a diagnostic when "
      "the operands are inconsistent.",
      "::llvm::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$inferred)>,
  ];
  let verify = [{ return ::mlir::ds::verifyInferredTypes($_op); }];
}

#endif // DS_INTERFACES_TD
