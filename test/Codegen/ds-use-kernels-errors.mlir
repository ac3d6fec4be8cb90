// RUN: ds-opt %s --split-input-file --ds-use-kernels --verify-diagnostics

// Negative: a fused activation on a product no kernel takes (f64) would be
// lost in loops: an error, not silently wrong code.
func.func @clamp_left(%a: memref<8x32xf64>, %b: memref<32x16xf64>, %c: memref<8x16xf64>) {
  // expected-error @below {{has a fused activation (ds.clamp) but no kernel takes it}}
  linalg.matmul {ds.clamp = array<f32: 0.0, 6.0>} ins(%a, %b : memref<8x32xf64>, memref<32x16xf64>) outs(%c : memref<8x16xf64>)
  return
}

// -----

func.func @silu_left(%a: memref<8x32xf64>, %b: memref<32x16xf64>, %c: memref<8x16xf64>) {
  // expected-error @below {{has a fused activation (ds.silu) but no kernel takes it}}
  linalg.matmul {ds.silu} ins(%a, %b : memref<8x32xf64>, memref<32x16xf64>) outs(%c : memref<8x16xf64>)
  return
}
