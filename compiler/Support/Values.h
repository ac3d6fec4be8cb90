//===- Values.h - reading constant tensors at compile time -------*- C++ -*-===//

#ifndef DS_COMPILER_SUPPORT_VALUES_H
#define DS_COMPILER_SUPPORT_VALUES_H

#include <optional>
#include <vector>

namespace mlir {
class Attribute;
} // namespace mlir

namespace mlir::ds {

/// The values of an f32 dense or dense-resource elements attribute,
/// row-major; none for anything else (or a resource without its data).
std::optional<std::vector<float>> f32ValuesOf(Attribute value);

} // namespace mlir::ds

#endif // DS_COMPILER_SUPPORT_VALUES_H
