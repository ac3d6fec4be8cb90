// RUN: ds-opt %s --split-input-file --ds-to-linalg --verify-diagnostics | FileCheck %s

// Unsigned integers become signless of the same width, in the signature too;
// division, max, comparisons, shifts and casts pick their unsigned forms.
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%{{.+}}: tensor<4xi8>, %{{.+}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xf32>, tensor<4xi32>)
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xf32>, tensor<4xi32>) {
  // CHECK: arith.divui
  %0 = ds.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: arith.maxui
  %1 = ds.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: arith.cmpi ult
  %2 = ds.less %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  // CHECK: arith.shrui
  %3 = ds.bit_shift %a, %b {left = false} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: arith.uitofp
  %4 = ds.cast %a : (tensor<4xui8>) -> tensor<4xf32>
  // CHECK: arith.extui
  %5 = ds.cast %a : (tensor<4xui8>) -> tensor<4xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xf32>, tensor<4xi32>
}

// -----

// Unsigned constants keep their bits; float to unsigned is fptoui.
// CHECK-LABEL: func.func @constants
func.func @constants(%a: tensor<2xf32>) -> (tensor<2xui8>, tensor<2xui8>) {
  // CHECK: arith.fptoui
  %0 = ds.cast %a : (tensor<2xf32>) -> tensor<2xui8>
  // CHECK: arith.constant dense<[-56, 7]> : tensor<2xi8>
  %1 = ds.constant dense<[200, 7]> : tensor<2xui8>
  return %0, %1 : tensor<2xui8>, tensor<2xui8>
}

// -----

// Negative: an op whose lowering is not sign-aware is refused on unsigned
// integers rather than computed as signed.
func.func @refused(%a: tensor<4xui8>) -> tensor<1xui8> {
  // expected-error @+1 {{cannot lower ds.reduce_max on unsigned integers yet}}
  %0 = ds.reduce_max %a {axes = array<i64: 0>} : (tensor<4xui8>) -> tensor<1xui8>
  return %0 : tensor<1xui8>
}

// -----

// Regression: an op fed by another unsigned op (not a block argument) is
// still marked unsigned.
// CHECK-LABEL: func.func @chained
func.func @chained(%a: tensor<3xui8>) -> tensor<3xf32> {
  %s = ds.constant dense<[3, 1]> : tensor<2xi64>
  %0 = ds.reshape %a, %s : (tensor<3xui8>, tensor<2xi64>) -> tensor<3x1xui8>
  // CHECK: arith.uitofp
  // CHECK-NOT: arith.sitofp
  %1 = ds.cast %0 : (tensor<3x1xui8>) -> tensor<3x1xf32>
  %t = ds.constant dense<[3]> : tensor<1xi64>
  %2 = ds.reshape %1, %t : (tensor<3x1xf32>, tensor<1xi64>) -> tensor<3xf32>
  return %2 : tensor<3xf32>
}
