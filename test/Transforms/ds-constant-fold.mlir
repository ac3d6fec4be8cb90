// RUN: ds-opt %s --split-input-file --ds-constant-fold | FileCheck %s
// RUN: ds-opt %s --split-input-file --ds-constant-fold=max-elements=2 | FileCheck %s --check-prefix=CAP

// Shape arithmetic of an exported transformer: gather a dimension, compute
// with it, concat a new shape. Everything folds to one constant.
// CHECK-LABEL: func.func @shape_arithmetic
// CAP-LABEL: func.func @shape_arithmetic
func.func @shape_arithmetic() -> tensor<3xi64> {
  %shape = ds.constant dense<[2, 128, 256]> : tensor<3xi64>
  %i = ds.constant dense<[2]> : tensor<1xi64>
  %heads = ds.constant dense<[4]> : tensor<1xi64>
  %d = ds.gather %shape, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %hd = ds.div %d, %heads : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %minus = ds.constant dense<[-1, 4]> : tensor<2xi64>
  %new = ds.concat %minus, %hd {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  // CHECK: %[[C:.+]] = ds.constant dense<[-1, 4, 64]> : tensor<3xi64>
  // CHECK-NEXT: return %[[C]]
  // A 3-element result is over a cap of 2: the concat stays.
  // CAP: ds.concat
  return %new : tensor<3xi64>
}

// -----

// Float elementwise ops, broadcasting, comparisons and where.
// CHECK-LABEL: func.func @elementwise
func.func @elementwise() -> (tensor<2x2xf32>, tensor<2x2xi1>, tensor<2x2xf32>) {
  %a = ds.constant dense<[[1.0, -2.0], [3.0, -4.0]]> : tensor<2x2xf32>
  %b = ds.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %s = ds.add %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %r = ds.relu %s : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = ds.greater %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xi1>
  %zero = ds.constant dense<0.0> : tensor<f32>
  %w = ds.where %c, %a, %zero : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  // CHECK-DAG: ds.constant dense<{{\[}}[1.100000e+01, 1.800000e+01], [1.300000e+01, 1.600000e+01]]> : tensor<2x2xf32>
  // CHECK-DAG: ds.constant dense<false> : tensor<2x2xi1>
  // CHECK-DAG: ds.constant dense<0.000000e+00> : tensor<2x2xf32>
  // CHECK-NOT: ds.add
  // CHECK-NOT: ds.where
  return %r, %c, %w : tensor<2x2xf32>, tensor<2x2xi1>, tensor<2x2xf32>
}

// -----

// Data movement: transpose, slice with a negative step, expand, unsqueeze,
// and casts that truncate toward zero.
// CHECK-LABEL: func.func @data_movement
func.func @data_movement() -> (tensor<3x2xi32>, tensor<1x2xi32>, tensor<2x3xi32>, tensor<1x3xi64>) {
  %x = ds.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  // CHECK-DAG: dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
  %t = ds.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
  // CHECK-DAG: dense<{{\[}}[6, 4]]> : tensor<1x2xi32>
  %s = ds.slice %x {axes = array<i64: 0, 1>, starts = array<i64: -1, -1>, ends = array<i64: 2, -9223372036854775807>, steps = array<i64: 1, -2>} : (tensor<2x3xi32>) -> tensor<1x2xi32>
  %row = ds.constant dense<[7, 8, 9]> : tensor<3xi32>
  %shape = ds.constant dense<[2, 3]> : tensor<2xi64>
  // CHECK-DAG: dense<{{\[}}[7, 8, 9], [7, 8, 9]]> : tensor<2x3xi32>
  %e = ds.expand %row, %shape : (tensor<3xi32>, tensor<2xi64>) -> tensor<2x3xi32>
  %f = ds.constant dense<[-1.5, 0.5, 2.7]> : tensor<3xf32>
  %u = ds.unsqueeze %f {axes = array<i64: 0>} : (tensor<3xf32>) -> tensor<1x3xf32>
  // CHECK-DAG: dense<{{\[}}[-1, 0, 2]]> : tensor<1x3xi64>
  %c = ds.cast %u : (tensor<1x3xf32>) -> tensor<1x3xi64>
  return %t, %s, %e, %c : tensor<3x2xi32>, tensor<1x2xi32>, tensor<2x3xi32>, tensor<1x3xi64>
}

// -----

// Negative: integer division by zero and out-of-range gather indices are
// left for run time; ops with a non-constant operand stay.
// CHECK-LABEL: func.func @not_folded
func.func @not_folded(%arg: tensor<2xi64>) -> (tensor<2xi64>, tensor<1xi64>, tensor<2xi64>) {
  %a = ds.constant dense<[6, 7]> : tensor<2xi64>
  %z = ds.constant dense<[3, 0]> : tensor<2xi64>
  // CHECK: ds.div
  %d = ds.div %a, %z : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %i = ds.constant dense<[5]> : tensor<1xi64>
  // CHECK: ds.gather
  %g = ds.gather %a, %i {axis = 0 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<1xi64>
  // CHECK: ds.add
  %s = ds.add %a, %arg : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %d, %g, %s : tensor<2xi64>, tensor<1xi64>, tensor<2xi64>
}

// -----

// Regression: concat and gather with negative axes fold along the right
// dimension.
// CHECK-LABEL: func.func @negative_axes
func.func @negative_axes() -> (tensor<2x2xi64>, tensor<2x1xi64>) {
  %a = ds.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %b = ds.constant dense<[[3], [4]]> : tensor<2x1xi64>
  // CHECK-DAG: dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi64>
  %c = ds.concat %a, %b {axis = -1 : i64} : (tensor<2x1xi64>, tensor<2x1xi64>) -> tensor<2x2xi64>
  %i = ds.constant dense<[1]> : tensor<1xi64>
  // CHECK-DAG: dense<{{\[}}[3], [4]]> : tensor<2x1xi64>
  %g = ds.gather %c, %i {axis = -1 : i64} : (tensor<2x2xi64>, tensor<1xi64>) -> tensor<2x1xi64>
  return %c, %g : tensor<2x2xi64>, tensor<2x1xi64>
}
