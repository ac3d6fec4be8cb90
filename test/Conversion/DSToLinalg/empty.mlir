// RUN: ds-opt %s --split-input-file --ds-to-linalg | FileCheck %s

// Inputs and outputs without elements cross the boundary as tensor<0xT>
// (the bare-pointer convention cannot pass a 3x0 buffer: its strides are
// 0), reshaped to their real shape inside.
// CHECK-LABEL: func.func @empty_io
// CHECK-SAME: (%[[X:.+]]: tensor<0xf32>) -> tensor<0xf32>
// CHECK: %[[SHAPED:.+]] = tensor.reshape %[[X]]({{.+}}) : (tensor<0xf32>, tensor<2xi64>) -> tensor<3x0xf32>
// CHECK: linalg.generic {{.+}} ins(%[[SHAPED]] : tensor<3x0xf32>)
// CHECK: %[[FLAT:.+]] = tensor.reshape {{.+}} -> tensor<0xf32>
// CHECK: return %[[FLAT]] : tensor<0xf32>
func.func @empty_io(%x: tensor<3x0xf32>) -> tensor<3x0xf32> {
  %0 = ds.relu %x : (tensor<3x0xf32>) -> tensor<3x0xf32>
  return %0 : tensor<3x0xf32>
}

// -----

// A slice with no elements reads nothing: an empty tensor (offsets into an
// empty dimension would not verify). Other shapes are left alone.
// CHECK-LABEL: func.func @empty_slice
// CHECK-SAME: (%{{.+}}: tensor<4x2xf32>) -> tensor<0xf32>
// CHECK: %[[E:.+]] = tensor.empty() : tensor<0x2xf32>
// CHECK-NOT: tensor.extract_slice
func.func @empty_slice(%x: tensor<4x2xf32>) -> tensor<0x2xf32> {
  %0 = ds.slice %x {starts = array<i64: 10>, ends = array<i64: 12>, axes = array<i64: 0>, steps = array<i64: 1>} : (tensor<4x2xf32>) -> tensor<0x2xf32>
  return %0 : tensor<0x2xf32>
}
