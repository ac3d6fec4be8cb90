// RUN: ds-opt %s --split-input-file --ds-to-linalg | FileCheck %s

// Shape-only ops are tensor.reshape; concat is insert_slice; slices with
// positive steps are extract_slice.
// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x6xf32>, %y: tensor<2x3x1xf32>) -> (tensor<2x3x3xf32>, tensor<2x2xf32>) {
  %s = ds.constant dense<[2, 3, 2]> : tensor<3xi64>
  // CHECK: tensor.reshape
  %r = ds.reshape %x, %s : (tensor<2x6xf32>, tensor<3xi64>) -> tensor<2x3x2xf32>
  // CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 0] [2, 3, 2] [1, 1, 1]
  // CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0, 2] [2, 3, 1] [1, 1, 1]
  %c = ds.concat %r, %y {axis = 2 : i64} : (tensor<2x3x2xf32>, tensor<2x3x1xf32>) -> tensor<2x3x3xf32>
  // CHECK: tensor.extract_slice %{{.+}}[0, 1] [2, 2] [1, 2]
  %sl = ds.slice %x {axes = array<i64: 1>, starts = array<i64: 1>, ends = array<i64: 5>, steps = array<i64: 2>} : (tensor<2x6xf32>) -> tensor<2x2xf32>
  return %c, %sl : tensor<2x3x3xf32>, tensor<2x2xf32>
}

// -----

// Gather reads with tensor.extract at wrapped indices; reductions are
// generic reductions.
// CHECK-LABEL: func.func @gather_reduce
func.func @gather_reduce(%t: tensor<10x4xf32>, %i: tensor<3xi64>) -> tensor<3x1xf32> {
  // CHECK: linalg.generic
  // CHECK: arith.index_cast
  // CHECK: tensor.extract
  %g = ds.gather %t, %i {axis = 0 : i64} : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  // CHECK: iterator_types = ["parallel", "reduction"]
  // CHECK: arith.divf
  %m = ds.reduce_mean %g {axes = array<i64: 1>} : (tensor<3x4xf32>) -> tensor<3x1xf32>
  return %m : tensor<3x1xf32>
}

// -----

// Regression: a negative axis (I64Attr getters are unsigned) once crashed
// the concat lowering.
// CHECK-LABEL: func.func @concat_negative_axis
func.func @concat_negative_axis(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x4xf32> {
  // CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 0] [2, 2] [1, 1]
  // CHECK: tensor.insert_slice %{{.+}} into %{{.+}}[0, 2] [2, 2] [1, 1]
  %0 = ds.concat %a, %b {axis = -1 : i64} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Pad, tile, trilu and gather_elements compute each element from the output
// indices with tensor.extract.
// CHECK-LABEL: func.func @indexed
func.func @indexed(%x: tensor<2x3xf32>, %i: tensor<2x1xi64>) -> (tensor<4x3xf32>, tensor<4x6xf32>, tensor<2x3xf32>, tensor<2x1xf32>) {
  // CHECK: linalg.generic
  // CHECK: arith.maxsi
  // CHECK: tensor.extract
  %p = ds.pad %x {pads = array<i64: 1, 0, 1, 0>, mode = "edge"} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  // CHECK: arith.remui
  %t = ds.tile %x {repeats = array<i64: 2, 2>} : (tensor<2x3xf32>) -> tensor<4x6xf32>
  // CHECK: arith.cmpi sge
  %u = ds.trilu %x {upper = true, k = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: arith.index_cast
  %g = ds.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xi64>) -> tensor<2x1xf32>
  return %p, %t, %u, %g : tensor<4x3xf32>, tensor<4x6xf32>, tensor<2x3xf32>, tensor<2x1xf32>
}

// -----

// Resize is one generic over the output: linear interpolation reads two
// edge-clamped taps per resized dimension (2 x 2 here) and weighs them in
// f64; unresized dimensions read their own index.
// CHECK-LABEL: func.func @resize_linear
func.func @resize_linear(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x4x4xf32>)
  // CHECK-COUNT-2: math.floor
  // CHECK-COUNT-4: tensor.extract
  // CHECK: arith.truncf {{.+}} : f64 to f32
  %0 = ds.resize %x {sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>,
                     mode = "linear", coordinate_transformation_mode = "half_pixel",
                     nearest_mode = "round_prefer_floor", cubic_coeff_a = -7.5e-01 : f64,
                     exclude_outside = false, extrapolation_value = 0.0 : f64,
                     roi = array<f64>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

