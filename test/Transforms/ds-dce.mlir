// RUN: ds-opt %s --split-input-file --ds-dce | FileCheck %s

// A dead chain disappears in one pass; what the function returns stays.
// CHECK-LABEL: func.func @dead_chain
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
func.func @dead_chain(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK-NOT: ds.exp
  // CHECK-NOT: ds.add
  %e = ds.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  %a = ds.add %e, %e : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[R:.+]] = ds.relu %[[X]]
  %r = ds.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: return %[[R]]
  return %r : tensor<4xf32>
}

// -----

// Negative: nothing is dead, nothing changes (the constant feeds the add).
// CHECK-LABEL: func.func @all_live
func.func @all_live(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: ds.constant
  // CHECK: ds.add
  %c = ds.constant dense<1.0> : tensor<4xf32>
  %a = ds.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}
