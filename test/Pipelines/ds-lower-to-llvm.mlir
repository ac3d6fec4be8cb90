// RUN: ds-opt %s --ds-lower-to-llvm | FileCheck %s

// The whole lowering: only LLVM dialect is left; intermediates live in the
// arena (no malloc); the large constant went to the weights (a module
// attribute, not a global); @main is internal behind ds_model_entry, whose
// six slots are the two inputs, the two outputs, the weights and the arena;
// integer powers became a software loop (math-to-funcs), not a libm call;
// the matmul calls the micro-kernel; the profiler marks the three layers.
// CHECK: module attributes {ds.layers = [{flops = 8192 : i64, name = "matmul#0", op = "matmul", shape = "16x16"}, {{.+}}], ds.weights = dense_resource<ds_weights> : tensor<1024xi8>}
// CHECK-NOT: malloc
// CHECK-NOT: memref.
// CHECK-NOT: linalg.
// CHECK: llvm.func internal @main(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) attributes {ds.arena_size = {{[1-9][0-9]*}} : i64, ds.weights_size = 1024 : i64}
// CHECK: llvm.call @ds_profile_mark
// CHECK: llvm.call @ds_kernel_sgemm
// CHECK-COUNT-3: llvm.call @ds_profile_mark
// CHECK: llvm.func linkonce_odr @__mlir_math_ipowi_i64
// CHECK: llvm.func @ds_model_entry(
// CHECK-COUNT-6: llvm.load
// CHECK: llvm.call @main
func.func @main(%x: tensor<16x16xf32>, %n: tensor<4xi64>) -> (tensor<16x16xf32>, tensor<4xi64>) {
  %w = ds.constant dense<0.5> : tensor<16x16xf32>
  %m = ds.matmul %x, %w : (tensor<16x16xf32>, tensor<16x16xf32>) -> tensor<16x16xf32>
  %r = ds.relu %m : (tensor<16x16xf32>) -> tensor<16x16xf32>
  %p = ds.pow %n, %n : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %r, %p : tensor<16x16xf32>, tensor<4xi64>
}
