//===- Values.cpp - reading constant tensors at compile time ----*- C++ -*-===//

#include "compiler/Support/Values.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

std::optional<std::vector<float>> ds::f32ValuesOf(Attribute value) {
  auto type = dyn_cast<TypedAttr>(value);
  auto shaped = type ? dyn_cast<ShapedType>(type.getType()) : ShapedType();
  if (!shaped || !shaped.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value))
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef())
      return std::vector<float>(data->begin(), data->end());
  return std::nullopt;
}
