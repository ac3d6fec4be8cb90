// RUN: ds-opt %s --split-input-file --ds-to-linalg --verify-diagnostics | FileCheck %s

// A binary op becomes one linalg.generic; the broadcast operand's size-1
// and missing dimensions are in its indexing map.
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_broadcast
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
  // CHECK: arith.addf
  // CHECK-NOT: ds.add
  %0 = ds.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Integer and float bodies differ; comparisons produce i1.
// CHECK-LABEL: func.func @integers
func.func @integers(%a: tensor<4xi64>, %b: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi1>) {
  // CHECK: arith.divsi
  %0 = ds.div %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: arith.cmpi slt
  %1 = ds.less %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  return %0, %1 : tensor<4xi64>, tensor<4xi1>
}

// -----

// Activations read their parameters from attributes.
// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: arith.constant 1.000000e-01 : f32
  // CHECK: arith.select
  %0 = ds.leaky_relu %x {alpha = 0.1 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: math.exp
  %1 = ds.sigmoid %0 : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: arith.fptosi
  %2 = ds.cast %1 : (tensor<4xf32>) -> tensor<4xi32>
  // CHECK: arith.sitofp
  %3 = ds.cast %2 : (tensor<4xi32>) -> tensor<4xf32>
  return %3 : tensor<4xf32>
}

// -----

// Negative: dynamic shapes are not lowered; the op is named in the error.
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{cannot lower to linalg yet}}
  %0 = ds.relu %x : (tensor<?xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Negative: float-only math on integers is refused, not miscompiled.
func.func @exp_of_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{cannot lower to linalg yet}}
  %0 = ds.exp %x : (tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Pow with an exponent of another type: float math in the base's type, or
// math.ipowi when both are integers.
// CHECK-LABEL: func.func @pow_types
func.func @pow_types(%f: tensor<3xf32>, %i: tensor<3xi64>) -> (tensor<3xf32>, tensor<3xi64>) {
  // CHECK: arith.sitofp %{{.+}} : i64 to f32
  // CHECK: math.powf
  %0 = ds.pow %f, %i : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  // CHECK: math.ipowi
  %1 = ds.pow %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0, %1 : tensor<3xf32>, tensor<3xi64>
}
