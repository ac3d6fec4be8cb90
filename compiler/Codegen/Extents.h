//===- Extents.h - which bytes a buffer may occupy ---------------*- C++ -*-===//
//
// After ds-plan-memory every intermediate buffer is a view of one arena, so
// LLVM sees one object; the passes that need to know whether two buffers
// can overlap ask here instead.
//
//===----------------------------------------------------------------------===//

#ifndef DS_COMPILER_CODEGEN_EXTENTS_H
#define DS_COMPILER_CODEGEN_EXTENTS_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <limits>
#include <optional>

namespace mlir::ds {

/// The bytes a buffer may occupy: its root (an allocation, a global, a
/// function argument) and, for a view that ds-plan-memory placed in the
/// arena, its byte range there; other views may cover their whole root.
/// Distinct roots never overlap (the model's arguments are distinct
/// buffers).
struct Extent {
  Value root;
  int64_t begin = 0, end = std::numeric_limits<int64_t>::max();
  bool overlaps(const Extent &o) const {
    return root == o.root && begin < o.end && o.begin < end;
  }
  bool operator==(const Extent &o) const {
    return root == o.root && begin == o.begin && end == o.end;
  }
};

/// The extent of memref `v`, or nothing if its origin is not known.
std::optional<Extent> extentOf(Value v);

/// Whether memrefs `a` and `b` may share a byte.
bool mayOverlap(Value a, Value b);

/// Calls `f` on every op that uses memref `buffer`, or a view of it, other
/// than as the source of a view: the ops that may read or write its bytes.
void forEachAccess(Value buffer, llvm::function_ref<void(Operation *)> f);

} // namespace mlir::ds

#endif // DS_COMPILER_CODEGEN_EXTENTS_H
