// RUN: ds-opt %s --split-input-file --ds-use-kernels --canonicalize | FileCheck %s

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (0, d2, d3 * 2 + d5, d4 * 2 + d6)>
#bt1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5)>
#bt2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d6)>
#v = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>

// Winograd's input transform (ds-to-linalg's marked generic) over a padded
// copy of the image, into a zero-filled V, calls ds_kernel_winograd_input:
// the tile m (2: V is [4][4]...), channels, tile rows and columns, the
// image's height and width, its top and left padding, the image (buffer,
// offset, channel and row strides) and V (buffer, offset). The padding,
// the copy and V's fill go.
// CHECK-LABEL: func.func @input
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : i64
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : i64
// CHECK-DAG: %[[C5:.+]] = arith.constant 5 : i64
// CHECK-DAG: %[[C25:.+]] = arith.constant 25 : i64
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : i64
// CHECK: %[[X:.+]] = memref.reinterpret_cast %arg0
// CHECK: %[[V:.+]] = memref.reinterpret_cast %arg2
// CHECK: call @ds_kernel_winograd_input(%[[C2]], %[[C32]], %[[C3]], %[[C3]], %[[C5]], %[[C5]], %[[C1]], %[[C1]], %[[X]], %[[C0]], %[[C25]], %[[C5]], %[[V]], %[[C0]])
// CHECK-NOT: linalg.
// CHECK: return
func.func @input(%x: memref<1x32x5x5xf32>, %bt: memref<4x4xf32>, %v: memref<4x4x32x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = memref.alloc() : memref<1x32x8x8xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<1x32x8x8xf32>)
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 32, 5, 5] [1, 1, 1, 1] : memref<1x32x8x8xf32> to memref<1x32x5x5xf32, strided<[2048, 64, 8, 1], offset: 9>>
  linalg.copy ins(%x : memref<1x32x5x5xf32>) outs(%interior : memref<1x32x5x5xf32, strided<[2048, 64, 8, 1], offset: 9>>)
  linalg.fill ins(%zero : f32) outs(%v : memref<4x4x32x3x3xf32>)
  linalg.generic {indexing_maps = [#in, #bt1, #bt2, #v], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%padded, %bt, %bt : memref<1x32x8x8xf32>, memref<4x4xf32>, memref<4x4xf32>) outs(%v : memref<4x4x32x3x3xf32>) attrs = {ds.winograd = "input"} {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %0 = arith.mulf %b, %c : f32
    %1 = arith.mulf %a, %0 : f32
    %2 = arith.addf %o, %1 : f32
    linalg.yield %2 : f32
  }
  return
}

// -----

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (0, d2, d3 * 2 + d5, d4 * 2 + d6)>
#bt1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5)>
#bt2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d6)>
#v = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>

// Negative: a V that was not zero-filled just before would be accumulated
// into, which the kernel (it writes V) does not do: the loops stay.
// CHECK-LABEL: func.func @input_accumulates
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @input_accumulates(%x: memref<1x32x8x8xf32>, %bt: memref<4x4xf32>, %v: memref<4x4x32x3x3xf32>) {
  linalg.generic {indexing_maps = [#in, #bt1, #bt2, #v], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %bt, %bt : memref<1x32x8x8xf32>, memref<4x4xf32>, memref<4x4xf32>) outs(%v : memref<4x4x32x3x3xf32>) attrs = {ds.winograd = "input"} {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %0 = arith.mulf %b, %c : f32
    %1 = arith.mulf %a, %0 : f32
    %2 = arith.addf %o, %1 : f32
    linalg.yield %2 : f32
  }
  return
}

// -----

#m = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4, d0, d1 floordiv 2, d2 floordiv 2)>
#at1 = affine_map<(d0, d1, d2, d3, d4) -> (d1 mod 2, d3)>
#at2 = affine_map<(d0, d1, d2, d3, d4) -> (d2 mod 2, d4)>
#y = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
#bias = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// The output transform onto a broadcast bias, with a fused ReLU, calls
// ds_kernel_winograd_output: the tile m (2), filters, tile rows and columns, output height
// and width, M (buffer, offset), the output (buffer, offset, filter and row
// strides), the clamp bounds, then the start: 3 (bias), the bias read at
// (filter, pixel) with strides 1 and 0, and an unused residual. The bias
// loop goes.
// CHECK-LABEL: func.func @output
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : i64
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : i64
// CHECK-DAG: %[[C5:.+]] = arith.constant 5 : i64
// CHECK-DAG: %[[C25:.+]] = arith.constant 25 : i64
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : i64
// CHECK-DAG: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[M:.+]] = memref.reinterpret_cast %arg0
// CHECK-DAG: %[[Y:.+]] = memref.reinterpret_cast %collapse_shape
// CHECK-DAG: %[[B:.+]] = memref.reinterpret_cast %arg3
// CHECK: call @ds_kernel_winograd_output(%[[C2]], %[[C32]], %[[C3]], %[[C3]], %[[C5]], %[[C5]], %[[M]], %[[C0]], %[[Y]], %[[C0]], %[[C25]], %[[C5]], %[[LO]], %{{[^,]+}}, %[[C0]], %[[C3]], %[[B]], %[[C0]], %[[C1]], %[[C0]], %[[Y]], %[[C0]], %[[C0]], %[[C0]])
// CHECK-NOT: linalg.
// CHECK: return
func.func @output(%mm: memref<4x4x32x3x3xf32>, %at: memref<2x4xf32>, %out: memref<1x32x5x5xf32>, %b: memref<1x32x1x1xf32>) {
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<1x32x1x1xf32>) outs(%out : memref<1x32x5x5xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  %y = memref.collapse_shape %out [[0, 1], [2], [3]] : memref<1x32x5x5xf32> into memref<32x5x5xf32>
  linalg.generic {indexing_maps = [#m, #at1, #at2, #y], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%mm, %at, %at : memref<4x4x32x3x3xf32>, memref<2x4xf32>, memref<2x4xf32>) outs(%y : memref<32x5x5xf32>) attrs = {ds.clamp = array<f32: 0.0, 0x7F800000>, ds.winograd = "output"} {
  ^bb0(%a: f32, %c1: f32, %c2: f32, %o: f32):
    %0 = arith.mulf %c1, %c2 : f32
    %1 = arith.mulf %a, %0 : f32
    %2 = arith.addf %o, %1 : f32
    linalg.yield %2 : f32
  }
  return
}

// -----

// The 16 products between the transforms: a batched packed product from a
// zero fill calls ds_kernel_sgemm_packed with the batch (16) and each
// operand's batch stride (the packed A's whole panels: 2 x 32 x 16), and
// starts from zero (1) instead of the fill.
// CHECK-LABEL: func.func @batched
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C9:.+]] = arith.constant 9 : i64
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : i64
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : i64
// CHECK-DAG: %[[C288:.+]] = arith.constant 288 : i64
// CHECK-DAG: %[[C1024:.+]] = arith.constant 1024 : i64
// CHECK: call @ds_kernel_sgemm_packed(%[[C0]], %[[C16]], %[[C32]], %[[C9]], %[[C32]], %{{.+}}, %[[C0]], %[[C1024]], %[[C0]], %[[C0]], %{{.+}}, %[[C0]], %[[C288]], %[[C9]], %[[C1]], %{{.+}}, %[[C0]], %[[C288]], %[[C9]], %[[C1]], %{{[^,]+}}, %{{[^,]+}}, %[[C0]], %[[C1]],
// CHECK-NOT: linalg.
// CHECK: return
func.func @batched(%u: memref<16x2x32x16xf32>, %v: memref<16x32x9xf32>, %m: memref<16x32x9xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%m : memref<16x32x9xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1 floordiv 16, d3, d1 mod 16)>, affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%u, %v : memref<16x2x32x16xf32>, memref<16x32x9xf32>) outs(%m : memref<16x32x9xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (0, d2, d3 * 3 + d5, d4 * 3 + d6)>
#bt1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5)>
#bt2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d6)>
#v = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>

// Negative: tiles of 5x5 (F(3x3, 3x3)), which no kernel has, stay loops.
// CHECK-LABEL: func.func @input_other_tile
// CHECK-NOT: call @ds_kernel_winograd_input
// CHECK: linalg.generic
func.func @input_other_tile(%x: memref<1x32x11x11xf32>, %bt: memref<5x5xf32>, %v: memref<5x5x32x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%v : memref<5x5x32x3x3xf32>)
  linalg.generic {indexing_maps = [#in, #bt1, #bt2, #v], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %bt, %bt : memref<1x32x11x11xf32>, memref<5x5xf32>, memref<5x5xf32>) outs(%v : memref<5x5x32x3x3xf32>) attrs = {ds.winograd = "input"} {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %0 = arith.mulf %b, %c : f32
    %1 = arith.mulf %a, %0 : f32
    %2 = arith.addf %o, %1 : f32
    linalg.yield %2 : f32
  }
  return
}
