// RUN: ds-opt %s --split-input-file --ds-mark-layers | FileCheck %s

// Every ds op of @main but constants is a layer: a profiler mark goes before
// each and one before the return; ds.layers records name (the location's
// name, else op#index), op, result shape and flops (2 per multiply-add for
// conv and matmul, one per result element otherwise).
// CHECK: module attributes {ds.layers = [{flops = 2048 : i64, name = "fc", op = "matmul", shape = "4x16"}, {flops = 64 : i64, name = "relu#1", op = "relu", shape = "4x16"}]}
// CHECK-LABEL: func.func @main
// CHECK: ds.constant
// CHECK: %[[C0:.+]] = arith.constant 0 : i64
// CHECK: call @ds_profile_mark(%[[C0]])
// CHECK: ds.matmul
// CHECK: %[[C1:.+]] = arith.constant 1 : i64
// CHECK: call @ds_profile_mark(%[[C1]])
// CHECK: ds.relu
// CHECK: %[[C2:.+]] = arith.constant 2 : i64
// CHECK: call @ds_profile_mark(%[[C2]])
// CHECK: return
// CHECK: func.func private @ds_profile_mark(i64)
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %w = ds.constant dense<1.0> : tensor<16x16xf32>
  %0 = ds.matmul %x, %w : (tensor<4x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32> loc("fc")
  %1 = ds.relu %0 : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %1 : tensor<4x16xf32>
}

// -----

// A convolution counts 2 * output elements * (input channels / group * kernel).
// CHECK: ds.layers = [{flops = 3456 : i64, name = "conv#0", op = "conv", shape = "1x4x4x4"}]
func.func @main(%x: tensor<1x3x6x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x6x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Negative: a module without @main is left alone.
// CHECK-NOT: ds.layers
// CHECK-LABEL: func.func @other
// CHECK-NOT: ds_profile_mark
func.func @other(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = ds.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
