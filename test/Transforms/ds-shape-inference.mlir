// RUN: ds-opt %s --split-input-file --ds-shape-inference --verify-diagnostics | FileCheck %s

// Static shapes flow from the arguments through a CNN block into the
// signature.
// CHECK-LABEL: func.func @cnn
// CHECK-SAME: -> tensor<1x10xf32>
func.func @cnn(%x: tensor<1x3x32x32xf32>) -> tensor<?x?xf32> {
  %w = ds.constant dense<1.0> : tensor<8x3x3x3xf32>
  // CHECK: ds.conv {{.+}} -> tensor<1x8x16x16xf32>
  %c = ds.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  // CHECK: ds.relu {{.+}} -> tensor<1x8x16x16xf32>
  %r = ds.relu %c : (tensor<*xf32>) -> tensor<*xf32>
  // ceil_mode keeps the last partial window: ceil((16 - 3) / 2) + 1 = 8.
  // CHECK: ds.max_pool {{.+}} -> tensor<1x8x8x8xf32>
  %p = ds.max_pool %r {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true}
      : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK: ds.global_average_pool {{.+}} -> tensor<1x8x1x1xf32>
  %g = ds.global_average_pool %p : (tensor<*xf32>) -> tensor<*xf32>
  %s = ds.constant dense<[0, -1]> : tensor<2xi64>
  // CHECK: ds.reshape {{.+}} -> tensor<1x8xf32>
  %f = ds.reshape %g, %s : (tensor<*xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %fw = ds.constant dense<0.1> : tensor<10x8xf32>
  // CHECK: ds.gemm {{.+}} -> tensor<1x10xf32>
  %y = ds.gemm %f, %fw {transB = true} : (tensor<?x?xf32>, tensor<10x8xf32>) -> tensor<?x?xf32>
  // CHECK: return {{.+}} : tensor<1x10xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Broadcasting, numpy matmul and concat keep what is known of dynamic dims.
// CHECK-LABEL: func.func @dynamic
func.func @dynamic(%a: tensor<?x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<*xf32> {
  // CHECK: ds.matmul {{.+}} -> tensor<?x4x16xf32>
  %m = ds.matmul %a, %b : (tensor<?x4x8xf32>, tensor<8x16xf32>) -> tensor<*xf32>
  %bias = ds.constant dense<1.0> : tensor<16xf32>
  // CHECK: ds.add {{.+}} -> tensor<?x4x16xf32>
  %s = ds.add %m, %bias : (tensor<*xf32>, tensor<16xf32>) -> tensor<*xf32>
  // CHECK: ds.concat {{.+}} -> tensor<?x8x16xf32>
  %c = ds.concat %s, %s {axis = -2 : i64} : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  // CHECK: ds.transpose {{.+}} -> tensor<16x?x8xf32>
  %t = ds.transpose %c {perm = array<i64: 2, 0, 1>} : (tensor<*xf32>) -> tensor<*xf32>
  return %t : tensor<*xf32>
}

// -----

// A 1-D operand of matmul is promoted and the added dimension dropped.
// CHECK-LABEL: func.func @matvec
func.func @matvec(%a: tensor<3x4xf32>, %v: tensor<4xf32>) -> tensor<*xf32> {
  // CHECK: ds.matmul {{.+}} -> tensor<3xf32>
  %m = ds.matmul %a, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %m : tensor<*xf32>
}

// -----

// A reshape whose shape is not a constant only learns the result's rank.
// CHECK-LABEL: func.func @unknown_shape
func.func @unknown_shape(%x: tensor<6xf32>, %s: tensor<2xi64>) -> tensor<*xf32> {
  // CHECK: ds.reshape {{.+}} -> tensor<?x?xf32>
  %r = ds.reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

// Negative: once the relu's shape is known, the add no longer broadcasts.
func.func @contradiction(%x: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  %r = ds.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  // expected-error @+1 {{'ds.add' op operand shapes 'tensor<2x3xf32>' and 'tensor<4xf32>' do not broadcast}}
  %s = ds.add %r, %b : (tensor<*xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %s : tensor<*xf32>
}
