// RUN: ds-opt %s --split-input-file | FileCheck %s
// Round trip: ds-opt's output parses back to the same IR.
// RUN: ds-opt %s --split-input-file | ds-opt --split-input-file | FileCheck %s

// A small CNN block in ds form.
// CHECK-LABEL: func.func @conv_block
func.func @conv_block(%x: tensor<1x3x8x8xf32>) -> tensor<1x10xf32> {
  // CHECK: %[[W:.+]] = ds.constant dense<1.000000e+00> : tensor<4x3x3x3xf32>
  %w = ds.constant dense<1.0> : tensor<4x3x3x3xf32>
  %b = ds.constant dense<0.5> : tensor<4xf32>
  // CHECK: ds.conv %{{.+}}, %[[W]], %{{.+}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
  %c = ds.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64}
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %s = ds.constant dense<1.0> : tensor<4xf32>
  // CHECK: ds.batch_norm
  %n = ds.batch_norm %c, %s, %b, %b, %s {epsilon = 1.0e-3 : f32}
      : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: ds.relu %{{.+}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %r = ds.relu %n : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: ds.max_pool %{{.+}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
  %p = ds.max_pool %r {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: ds.global_average_pool
  %g = ds.global_average_pool %p : (tensor<1x4x4x4xf32>) -> tensor<1x4x1x1xf32>
  // CHECK: ds.flatten %{{.+}} {axis = 1 : i64}
  %f = ds.flatten %g {axis = 1 : i64} : (tensor<1x4x1x1xf32>) -> tensor<1x4xf32>
  %fw = ds.constant dense<0.1> : tensor<10x4xf32>
  %fb = ds.constant dense<0.0> : tensor<10xf32>
  // CHECK: ds.gemm %{{.+}}, %{{.+}}, %{{.+}} {transB = true}
  %y = ds.gemm %f, %fw, %fb {transB = true} : (tensor<1x4xf32>, tensor<10x4xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  // CHECK: ds.softmax %{{.+}} {axis = -1 : i64}
  %z = ds.softmax %y {axis = -1 : i64} : (tensor<1x10xf32>) -> tensor<1x10xf32>
  return %z : tensor<1x10xf32>
}

// -----

// Elementwise ops broadcast numpy-style.
// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: ds.add %{{.+}}, %{{.+}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = ds.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.sub
  %1 = ds.sub %0, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.mul
  %2 = ds.mul %1, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.div
  %3 = ds.div %2, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.pow
  %4 = ds.pow %3, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.max
  %5 = ds.max %4, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.min
  %6 = ds.min %5, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.sigmoid
  %7 = ds.sigmoid %6 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.tanh
  %8 = ds.tanh %7 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.exp
  %9 = ds.exp %8 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: ds.erf
  %10 = ds.erf %9 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %10 : tensor<2x3xf32>
}

// -----

// Data movement; dynamic dimensions are allowed everywhere.
// CHECK-LABEL: func.func @tensor_ops
func.func @tensor_ops(%x: tensor<?x6xf32>, %y: tensor<?x2xf32>) -> tensor<?x?xf32> {
  %s = ds.constant dense<[0, 3, 2]> : tensor<3xi64>
  // CHECK: ds.reshape %{{.+}}, %{{.+}} : (tensor<?x6xf32>, tensor<3xi64>) -> tensor<?x3x2xf32>
  %r = ds.reshape %x, %s : (tensor<?x6xf32>, tensor<3xi64>) -> tensor<?x3x2xf32>
  // CHECK: ds.transpose %{{.+}} {perm = array<i64: 0, 2, 1>}
  %t = ds.transpose %r {perm = array<i64: 0, 2, 1>} : (tensor<?x3x2xf32>) -> tensor<?x2x3xf32>
  %f = ds.flatten %t {axis = 2 : i64} : (tensor<?x2x3xf32>) -> tensor<?x3xf32>
  // CHECK: ds.concat %{{.+}}, %{{.+}} {axis = 1 : i64} : (tensor<?x3xf32>, tensor<?x2xf32>) -> tensor<?x5xf32>
  %c = ds.concat %f, %y {axis = 1 : i64} : (tensor<?x3xf32>, tensor<?x2xf32>) -> tensor<?x5xf32>
  // CHECK: ds.matmul
  %m = ds.matmul %c, %c : (tensor<?x5xf32>, tensor<?x5xf32>) -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}

// -----

// Quantized element types and tensor encodings flow through ds ops unchanged.
// CHECK-LABEL: func.func @quantized
func.func @quantized(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5:-3>>,
                     %w: tensor<2x4x!quant.uniform<i8:f32:0, {0.25, 0.125}>, "sparse">)
    -> tensor<1x2xi32> {
  // CHECK: ds.gemm %{{.+}}, %{{.+}} {transB = true} : (tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<2x4x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01}>, "sparse">) -> tensor<1x2xi32>
  %y = ds.gemm %x, %w {transB = true}
      : (tensor<1x4x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.25, 0.125}>, "sparse">) -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// Clip bounds are optional operands.
// CHECK-LABEL: func.func @clip
func.func @clip(%x: tensor<4xf32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<4xf32> {
  // CHECK: ds.clip %{{.+}} min %{{.+}} max %{{.+}} : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  %0 = ds.clip %x min %lo max %hi : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  // CHECK: ds.clip %{{.+}} max %{{.+}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = ds.clip %0 max %hi : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
