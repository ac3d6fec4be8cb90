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

// -----

// Trailing loops every operand reads contiguously (or not at all) become
// one: a per-channel scale over 7x7 images is a loop of 49 over collapsed
// views, the scale loaded before it, and marked not to be unrolled (so
// that LLVM vectorizes it instead of unrolling it in full).
// CHECK: #[[UNROLL:.+]] = #llvm.loop_unroll<disable = true>
// CHECK-NEXT: #[[NOUNROLL:.+]] = #llvm.loop_annotation<unroll = #[[UNROLL]]>
// CHECK-LABEL: func.func @merged_elementwise
// CHECK-DAG: %[[X:.+]] = memref.collapse_shape %arg0 {{\[}}[0], [1, 2]] : memref<8x7x7xf32> into memref<8x49xf32>
// CHECK-DAG: %[[Y:.+]] = memref.collapse_shape %arg2 {{\[}}[0], [1, 2]] : memref<8x7x7xf32> into memref<8x49xf32>
// CHECK-DAG: %[[C49:.+]] = arith.constant 49 : index
// CHECK: scf.for %[[C:.+]] = %{{.+}} to %{{.+}} step
// CHECK: %[[S:.+]] = memref.load %arg1[%[[C]]]
// CHECK: scf.for %[[P:.+]] = %{{.+}} to %[[C49]] step
// CHECK: memref.load %[[X]][%[[C]], %[[P]]]
// CHECK: memref.store %{{.+}}, %[[Y]][%[[C]], %[[P]]]
// CHECK-NEXT: } {loop_annotation = #[[NOUNROLL]]}
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @merged_elementwise(%x: memref<8x7x7xf32>, %s: memref<8xf32>, %y: memref<8x7x7xf32>) {
  linalg.generic {indexing_maps = [affine_map<(c, h, w) -> (c, h, w)>, affine_map<(c, h, w) -> (c)>, affine_map<(c, h, w) -> (c, h, w)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %s : memref<8x7x7xf32>, memref<8xf32>) outs(%y : memref<8x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// A global average pool's sum over an image is one reduction loop.
// CHECK-LABEL: func.func @merged_reduction
// CHECK: %[[X:.+]] = memref.collapse_shape %arg0 {{\[}}[0], [1, 2]] : memref<8x14x14xf32> into memref<8x196xf32>
// CHECK: scf.for %[[C:.+]] = %{{.+}} to %{{.+}} step
// CHECK: scf.for %[[P:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK: memref.load %[[X]][%[[C]], %[[P]]]
// CHECK: } {loop_annotation = #{{.+}}}
// CHECK-NOT: scf.for
func.func @merged_reduction(%x: memref<8x14x14xf32>, %y: memref<8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(c, h, w) -> (c, h, w)>, affine_map<(c, h, w) -> (c)>], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x : memref<8x14x14xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.addf %o, %a : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// Negative: loops an operand reads transposed, or whose indices the body
// uses, stay apart; loops of 7 are left to LLVM's unroller.
// CHECK-LABEL: func.func @kept_apart
// CHECK-NOT: memref.collapse_shape
// CHECK-NOT: loop_annotation
// CHECK: return
func.func @kept_apart(%x: memref<8x7x7xf32>, %y: memref<8x7x7xf32>, %z: memref<8x7x7xi64>) {
  linalg.generic {indexing_maps = [affine_map<(c, h, w) -> (c, w, h)>, affine_map<(c, h, w) -> (c, h, w)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : memref<8x7x7xf32>) outs(%y : memref<8x7x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [affine_map<(c, h, w) -> (c, h, w)>], iterator_types = ["parallel", "parallel", "parallel"]}
      outs(%z : memref<8x7x7xi64>) {
  ^bb0(%o: i64):
    %i = linalg.index 2 : index
    %v = arith.index_cast %i : index to i64
    linalg.yield %v : i64
  }
  return
}

// -----

// Large ops mark the loop that may run in parallel (ds-outline-parallel-
// loops): a reduction's outer loop (iterations 1 apart), an elementwise
// op's outermost loop of more than one iteration (the batch loop of 1 is
// not), and a flat elementwise loop, shared out in multiples of 16.
// CHECK-LABEL: func.func @marked
// CHECK: scf.for
// CHECK: scf.for {{.+}} iter_args
// CHECK: } {ds.parallel = 1 : i64}
// CHECK: scf.for
// CHECK-NOT: ds.parallel
// CHECK: scf.for
// CHECK: scf.for
// CHECK: }
// CHECK-NEXT: } {ds.parallel = 1 : i64}
// CHECK-NEXT: }
// CHECK-NOT: ds.parallel
// CHECK: scf.for
// CHECK: } {ds.parallel = 16 : i64, loop_annotation = #{{.+}}}
func.func @marked(%x: memref<64x1024xf32>, %sums: memref<64xf32>, %a: memref<1x8x4096xf32>, %s: memref<1x8x1xf32>, %b: memref<1x8x4096xf32>, %f: memref<40000xf32>, %g: memref<40000xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<64x1024xf32>) outs(%sums : memref<64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.addf %o, %v : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(n, c, p) -> (n, c, p)>, affine_map<(n, c, p) -> (n, c, 0)>, affine_map<(n, c, p) -> (n, c, p)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a, %s : memref<1x8x4096xf32>, memref<1x8x1xf32>) outs(%b : memref<1x8x4096xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %0 = arith.mulf %v, %w : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%f : memref<40000xf32>) outs(%g : memref<40000xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.negf %v : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// Negative: too few iterations (12 x 128) to pay for a parallel call, and
// inputs that overlap the output but are read at other addresses than
// written (a transpose within the same arena bytes, a view 16 floats
// further on: threads would read what others write). Reading the same
// elements in place is marked (one flat loop).
// CHECK-LABEL: func.func @unmarked
// CHECK: scf.for
// CHECK-NOT: ds.parallel
// CHECK: %[[T:.+]] = memref.view
// CHECK: memref.load %[[T]][%[[J:[a-z0-9_]+]], %[[I:[a-z0-9_]+]]]
// CHECK: memref.store %{{.+}}, %[[T]][%[[I]], %[[J]]]
// CHECK-NOT: ds.parallel
// CHECK: arith.negf
// CHECK-NOT: ds.parallel
// CHECK: arith.negf
// CHECK: } {ds.parallel = 16 : i64, loop_annotation = #{{.+}}}
func.func @unmarked(%x: memref<12x128xf32>, %y: memref<12xf32>, %arena: memref<262144xi8>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<12x128xf32>) outs(%y : memref<12xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.addf %o, %v : f32
    linalg.yield %0 : f32
  }
  %c0 = arith.constant 0 : index
  %t = memref.view %arena[%c0][] : memref<262144xi8> to memref<256x256xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%t : memref<256x256xf32>) outs(%t : memref<256x256xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  }
  %c64 = arith.constant 64 : index
  %shifted = memref.view %arena[%c64][] : memref<262144xi8> to memref<255x256xf32>
  %front = memref.view %arena[%c0][] : memref<262144xi8> to memref<255x256xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%shifted : memref<255x256xf32>) outs(%front : memref<255x256xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.negf %a : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%t : memref<256x256xf32>) outs(%t : memref<256x256xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.negf %v : f32
    linalg.yield %0 : f32
  }
  return
}
