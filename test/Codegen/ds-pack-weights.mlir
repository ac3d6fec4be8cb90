// RUN: ds-opt %s --split-input-file --ds-pack-weights | FileCheck %s

// A constant A (a convolution's weights) in MR = 6-row panels over all of
// K, zero-padded: element (i, p) at [i floordiv 6, p, i mod 6]. The panel
// holds column p of A's rows 0..5: 1 3 5 0 0 0, then 2 4 6 0 0 0.
// CHECK-LABEL: func.func @rows_of_a
// CHECK: %[[W:.+]] = arith.constant dense_resource<packed{{[_0-9]*}}> : tensor<1x2x6xf32>
// CHECK: linalg.generic {indexing_maps = [#[[PA:.+]], #[[B:.+]], #[[C:.+]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[W]], %arg0 : tensor<1x2x6xf32>, tensor<2x64xf32>)
// CHECK-SAME: {ds.clamp = array<f32: 0.000000e+00, 6.000000e+00>, ds.packed = 0 : i64}
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.matmul
// CHECK: packed{{[_0-9]*}}: "0x040000000000803F000040400000A04000000000000000000000000000000040000080400000C040000000000000000000000000"
func.func @rows_of_a(%x: tensor<2x64xf32>, %init: tensor<3x64xf32>) -> tensor<3x64xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = linalg.matmul {ds.clamp = array<f32: 0.0, 6.0>} ins(%w, %x : tensor<3x2xf32>, tensor<2x64xf32>) outs(%init : tensor<3x64xf32>) -> tensor<3x64xf32>
  return %0 : tensor<3x64xf32>
}

// -----

// A narrow C (n < 4 NR and m > n) is computed as C^T = B^T A^T, where A's
// rows are the kernel's NR = 16 columns; a reshaped constant is followed
// through the reshape, which goes away with the old constant.
// CHECK-DAG: #[[PA:.+]] = affine_map<(d0, d1, d2) -> (d0 floordiv 16, d2, d0 mod 16)>
// CHECK-LABEL: func.func @narrow
// CHECK-NOT: tensor.reshape
// CHECK: arith.constant dense_resource<packed{{.*}}> : tensor<7x3x16xf32>
// CHECK: linalg.generic {indexing_maps = [#[[PA]],
// CHECK-SAME: {ds.packed = 0 : i64}
func.func @narrow(%x: tensor<3x10xf32>, %init: tensor<100x10xf32>) -> tensor<100x10xf32> {
  %w = arith.constant dense<0.5> : tensor<100x3x1x1xf32>
  %shape = arith.constant dense<[100, 3]> : tensor<2xi64>
  %a = tensor.reshape %w(%shape) : (tensor<100x3x1x1xf32>, tensor<2xi64>) -> tensor<100x3xf32>
  %0 = linalg.matmul ins(%a, %x : tensor<100x3xf32>, tensor<3x10xf32>) outs(%init : tensor<100x10xf32>) -> tensor<100x10xf32>
  return %0 : tensor<100x10xf32>
}

// -----

// A constant B read transposed (Gemm's transB, a linear layer): its
// columns are rows of the stored n x k matrix. Not narrow (m <= n): NR =
// 16-column panels, B[p][j] = W[j][p]: 1 3 5 7, then 2 4 6 8, each padded
// to 16.
// CHECK-DAG: #[[PB:.+]] = affine_map<(d0, d1, d2) -> (d1 floordiv 16, d2, d1 mod 16)>
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @columns_of_b
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[PB]],
// CHECK-SAME: ins(%arg0, %{{.+}} : tensor<4x2xf32>, tensor<1x2x16xf32>)
// CHECK-SAME: {ds.packed = 1 : i64}
// CHECK: packed{{[_0-9]*}}: "0x040000000000803F000040400000A0400000E04000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000040000080400000C04000000041000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
func.func @columns_of_b(%x: tensor<4x2xf32>, %init: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %0 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %w : tensor<4x2xf32>, tensor<4x2xf32>) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// A weight two products share (an initializer used twice) is packed once,
// and the original constant goes away.
// CHECK-LABEL: func.func @shared
// CHECK-COUNT-1: arith.constant dense_resource
// CHECK-NOT: arith.constant
// CHECK-COUNT-2: ds.packed = 0
func.func @shared(%x: tensor<16x64xf32>, %init: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>) {
  %w = arith.constant dense<0.25> : tensor<8x16xf32>
  %0 = linalg.matmul ins(%w, %x : tensor<8x16xf32>, tensor<16x64xf32>) outs(%init : tensor<8x64xf32>) -> tensor<8x64xf32>
  %1 = linalg.matmul ins(%w, %x : tensor<8x16xf32>, tensor<16x64xf32>) outs(%0 : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0, %1 : tensor<8x64xf32>, tensor<8x64xf32>
}

// -----

// Negative: at most two rows (the kernel does not pack them), no constant
// operand, or f64, stay matmuls.
// CHECK-LABEL: func.func @kept
// CHECK-NOT: linalg.generic
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT: ds.packed
func.func @kept(%x: tensor<16x32xf32>, %y: tensor<4x16xf32>, %init1: tensor<2x32xf32>, %init2: tensor<4x32xf32>,
                %z: tensor<16x32xf64>, %init3: tensor<4x32xf64>) -> (tensor<2x32xf32>, tensor<4x32xf32>, tensor<4x32xf64>) {
  %w = arith.constant dense<1.0> : tensor<2x16xf32>
  %0 = linalg.matmul ins(%w, %x : tensor<2x16xf32>, tensor<16x32xf32>) outs(%init1 : tensor<2x32xf32>) -> tensor<2x32xf32>
  %1 = linalg.matmul ins(%y, %x : tensor<4x16xf32>, tensor<16x32xf32>) outs(%init2 : tensor<4x32xf32>) -> tensor<4x32xf32>
  %w64 = arith.constant dense<1.0> : tensor<4x16xf64>
  %2 = linalg.matmul ins(%w64, %z : tensor<4x16xf64>, tensor<16x32xf64>) outs(%init3 : tensor<4x32xf64>) -> tensor<4x32xf64>
  return %0, %1, %2 : tensor<2x32xf32>, tensor<4x32xf32>, tensor<4x32xf64>
}

// -----

// A batch of products (Winograd's 16) with a constant A: each item's A in
// its own panels, the batch outermost: 1 3 5 0 0 0, 2 4 6 0 0 0, then
// item 1's 7 9 11 0 0 0, 8 10 12 0 0 0.
// CHECK-DAG: #[[PA:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1 floordiv 6, d3, d1 mod 6)>
// CHECK-LABEL: func.func @batched
// CHECK: %[[W:.+]] = arith.constant dense_resource<packed{{[_0-9]*}}> : tensor<2x1x2x6xf32>
// CHECK: linalg.generic {indexing_maps = [#[[PA]], #{{.+}}, #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[W]], %arg0 : tensor<2x1x2x6xf32>, tensor<2x2x64xf32>)
// CHECK-SAME: {ds.packed = 0 : i64}
// CHECK-NOT: linalg.batch_matmul
// CHECK: packed{{[_0-9]*}}: "0x040000000000803F000040400000A04000000000000000000000000000000040000080400000C0400000000000000000000000000000E0400000104100003041000000000000000000000000000000410000204100004041000000000000000000000000"
func.func @batched(%x: tensor<2x2x64xf32>, %init: tensor<2x3x64xf32>) -> tensor<2x3x64xf32> {
  %w = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]]> : tensor<2x3x2xf32>
  %0 = linalg.batch_matmul ins(%w, %x : tensor<2x3x2xf32>, tensor<2x2x64xf32>) outs(%init : tensor<2x3x64xf32>) -> tensor<2x3x64xf32>
  return %0 : tensor<2x3x64xf32>
}

// -----

// The packed product keeps a fused SiLU for ds-use-kernels.
// CHECK-LABEL: func.func @keeps_silu
// CHECK: linalg.generic
// CHECK-SAME: ds.silu
// CHECK-NOT: linalg.matmul
func.func @keeps_silu(%x: tensor<2x64xf32>, %init: tensor<3x64xf32>) -> tensor<3x64xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = linalg.matmul {ds.silu} ins(%w, %x : tensor<3x2xf32>, tensor<2x64xf32>) outs(%init : tensor<3x64xf32>) -> tensor<3x64xf32>
  return %0 : tensor<3x64xf32>
}
