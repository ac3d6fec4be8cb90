// RUN: ds-opt %s --split-input-file --canonicalize | FileCheck %s

// Adding zero and multiplying by one disappear.
// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
func.func @identities(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = ds.constant dense<0.0> : tensor<3xf32>
  %one = ds.constant dense<1.0> : tensor<1xf32>
  // CHECK-NOT: ds.add
  // CHECK-NOT: ds.mul
  %0 = ds.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = ds.mul %one, %0 : (tensor<1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: return %[[X]]
  return %1 : tensor<2x3xf32>
}

// -----

// Negative: adding zero that broadcasts x to a larger shape is not a no-op.
// CHECK-LABEL: func.func @broadcasting_zero
func.func @broadcasting_zero(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = ds.constant dense<0.0> : tensor<2x3xf32>
  // CHECK: ds.add
  %0 = ds.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Reshape chains collapse; a reshape to the same static type is a no-op.
// CHECK-LABEL: func.func @reshapes
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
func.func @reshapes(%x: tensor<2x3x4xf32>) -> (tensor<4x6xf32>, tensor<2x3x4xf32>) {
  %s1 = ds.constant dense<[6, 4]> : tensor<2xi64>
  %s2 = ds.constant dense<[4, -1]> : tensor<2xi64>
  %s3 = ds.constant dense<[2, 3, 4]> : tensor<3xi64>
  // CHECK: %[[R:.+]] = ds.reshape %[[X]], %{{.+}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  %0 = ds.reshape %x, %s1 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %1 = ds.reshape %0, %s2 : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  %2 = ds.reshape %x, %s3 : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  // CHECK: return %[[R]], %[[X]]
  return %1, %2 : tensor<4x6xf32>, tensor<2x3x4xf32>
}

// -----

// Negative: a 0 in the outer shape copies a dimension of the intermediate
// tensor, so the chain must stay.
// CHECK-LABEL: func.func @reshape_copy_dim
func.func @reshape_copy_dim(%x: tensor<2x3x4xf32>) -> tensor<6x2x2xf32> {
  %s1 = ds.constant dense<[6, 4]> : tensor<2xi64>
  %s2 = ds.constant dense<[0, 2, 2]> : tensor<3xi64>
  // CHECK: %[[R:.+]] = ds.reshape %{{.+}} -> tensor<6x4xf32>
  // CHECK: ds.reshape %[[R]]
  %0 = ds.reshape %x, %s1 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %1 = ds.reshape %0, %s2 : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<6x2x2xf32>
  return %1 : tensor<6x2x2xf32>
}

// -----

// Identity transposes fold away.
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK-NOT: ds.transpose
  %0 = ds.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: return %[[X]]
  return %0 : tensor<2x3xf32>
}

// -----

// ds.shape folds to a constant when the dimensions it reads are static.
// CHECK-LABEL: func.func @shape_fold
func.func @shape_fold(%x: tensor<?x3x4xf32>) -> (tensor<2xi64>, tensor<3xi64>) {
  // CHECK: %[[S:.+]] = ds.constant dense<[3, 4]> : tensor<2xi64>
  %0 = ds.shape %x {start = 1 : i64, end = 3 : i64} : (tensor<?x3x4xf32>) -> tensor<2xi64>
  // Negative: a dynamic dimension keeps the op.
  // CHECK: %[[D:.+]] = ds.shape
  %1 = ds.shape %x {start = 0 : i64, end = 9223372036854775807 : i64} : (tensor<?x3x4xf32>) -> tensor<3xi64>
  // CHECK: return %[[S]], %[[D]]
  return %0, %1 : tensor<2xi64>, tensor<3xi64>
}
