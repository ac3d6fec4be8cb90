// A small CNN in the ds dialect with unknown intermediate shapes; run
//   build/bin/ds-opt --ds-shape-inference --canonicalize examples/cnn.mlir
// to see every shape inferred from the input.
func.func @cnn(%x: tensor<1x3x32x32xf32>) -> tensor<*xf32> {
  %w = ds.constant dense<0.1> : tensor<8x3x3x3xf32>
  %b = ds.constant dense<0.0> : tensor<8xf32>
  %c = ds.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<*xf32>
  %r = ds.relu %c : (tensor<*xf32>) -> tensor<*xf32>
  %g = ds.global_average_pool %r : (tensor<*xf32>) -> tensor<*xf32>
  %f = ds.flatten %g {axis = 1 : i64} : (tensor<*xf32>) -> tensor<*xf32>
  %fw = ds.constant dense<0.1> : tensor<10x8xf32>
  %y = ds.gemm %f, %fw {transB = true} : (tensor<*xf32>, tensor<10x8xf32>) -> tensor<*xf32>
  %z = ds.softmax %y {axis = 1 : i64} : (tensor<*xf32>) -> tensor<*xf32>
  return %z : tensor<*xf32>
}
