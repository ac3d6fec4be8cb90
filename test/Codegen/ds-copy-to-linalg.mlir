// RUN: ds-opt %s --ds-copy-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @copy
func.func @copy(%a: memref<4xf32>, %b: memref<4xf32>) {
  // CHECK: linalg.copy ins(%{{.+}} : memref<4xf32>) outs(%{{.+}} : memref<4xf32>)
  // CHECK-NOT: memref.copy
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  return
}
