// RUN: ds-opt %s --split-input-file --ds-linalg-to-loops | FileCheck %s

// A row reduction carries its accumulator in iter_args: one load before
// the reduction loop, one store after, and reassociable adds.
// CHECK-LABEL: func.func @row_sum
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %{{.+}} step
// CHECK: %[[INIT:.+]] = memref.load %arg1[%[[I]]]
// CHECK: %[[SUM:.+]] = scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[INIT]]) -> (f32)
// CHECK: %[[X:.+]] = memref.load %arg0[%[[I]], %[[J]]]
// CHECK: %[[S:.+]] = arith.addf %[[ACC]], %[[X]] fastmath<reassoc> : f32
// CHECK: scf.yield %[[S]]
// CHECK: memref.store %[[SUM]], %arg1[%[[I]]]
// CHECK-NOT: linalg.generic
func.func @row_sum(%x: memref<12x128xf32>, %y: memref<12xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<12x128xf32>) outs(%y : memref<12xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.addf %o, %a : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// An elementwise op loads a broadcast operand (here a row's sum) once per
// row, before the inner loop, when its output cannot overlap it: two views
// of the arena at disjoint offsets. Its float ops are not reassociated.
// CHECK-LABEL: func.func @divide_rows
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %{{.+}} step
// CHECK: %[[S:.+]] = memref.load %[[SUMS:.+]][%[[I]]]
// CHECK: scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step
// CHECK-NOT: memref.load %[[SUMS]]
// CHECK: %[[X:.+]] = memref.load %arg0[%[[I]], %[[J]]]
// CHECK: %[[Q:.+]] = arith.divf %[[X]], %[[S]] : f32
// CHECK: memref.store %[[Q]], %{{.+}}[%[[I]], %[[J]]]
func.func @divide_rows(%x: memref<12x128xf32>, %arena: memref<8192xi8>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %sums = memref.view %arena[%c0][] : memref<8192xi8> to memref<12xf32>
  %out = memref.view %arena[%c64][] : memref<8192xi8> to memref<12x128xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sums : memref<12x128xf32>, memref<12xf32>) outs(%out : memref<12x128xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %0 = arith.divf %a, %s : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// Negative: a broadcast operand that may overlap the output (same arena
// bytes) is loaded inside the inner loop, as written; a reduction that is
// not innermost (a depthwise convolution's window outside its output
// columns) is left to linalg-to-loops.
// CHECK-LABEL: func.func @kept
// CHECK: scf.for %[[I:.+]] = %{{.+}} to %{{.+}} step
// CHECK-NEXT: scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step
// CHECK-NEXT: memref.load %arg0[%[[I]], %[[J]]]
// CHECK-NEXT: memref.load %{{.+}}[%[[I]]]
// CHECK: linalg.generic
func.func @kept(%x: memref<12x128xf32>, %arena: memref<8192xi8>, %in: memref<1x4x10x10xf32>, %w: memref<4x3x3xf32>, %y: memref<1x4x8x8xf32>) {
  %c0 = arith.constant 0 : index
  %sums = memref.view %arena[%c0][] : memref<8192xi8> to memref<12xf32>
  %out = memref.view %arena[%c0][] : memref<8192xi8> to memref<12x128xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sums : memref<12x128xf32>, memref<12xf32>) outs(%out : memref<12x128xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %0 = arith.divf %a, %s : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh + kh, ow + kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (c, kh, kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%in, %w : memref<1x4x10x10xf32>, memref<4x3x3xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
