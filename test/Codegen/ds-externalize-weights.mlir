// RUN: ds-opt %s --split-input-file --ds-externalize-weights | FileCheck %s
// RUN: ds-opt %s --split-input-file --ds-externalize-weights=min-bytes=100000 | FileCheck %s --check-prefix=NONE

// A large constant moves to the weights argument (64-byte aligned, in order
// of first use); a small one stays; the blob is a module attribute.
// CHECK: module attributes {ds.weights = dense_resource<ds_weights> : tensor<1536xi8>}
// CHECK-NOT: memref.global "private" constant @big
// CHECK: memref.global "private" constant @small
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[W:[a-z0-9]+]]: memref<1536xi8>) attributes {ds.weights_size = 1536 : i64}
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: memref.view %[[W]][%[[C0]]][] : memref<1536xi8> to memref<16x16xf32>
// CHECK: %[[C1024:.+]] = arith.constant 1024 : index
// CHECK: memref.view %[[W]][%[[C1024]]][] : memref<1536xi8> to memref<64xi64>
// CHECK: memref.get_global @small
// NONE-NOT: ds.weights =
// NONE: func.func @main({{.+}}, %{{.+}}: memref<0xi8>) attributes {ds.weights_size = 0 : i64}
module {
  memref.global "private" constant @big : memref<16x16xf32> = dense<1.0>
  memref.global "private" constant @ints : memref<64xi64> = dense<7>
  memref.global "private" constant @small : memref<2xf32> = dense<[1.0, 2.0]>
  func.func @main(%out: memref<16x16xf32>) {
    %0 = memref.get_global @big : memref<16x16xf32>
    %1 = memref.get_global @ints : memref<64xi64>
    %2 = memref.get_global @small : memref<2xf32>
    return
  }
}
