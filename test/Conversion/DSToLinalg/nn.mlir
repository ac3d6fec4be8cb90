// RUN: ds-opt %s --split-input-file --ds-to-linalg | FileCheck %s

// Conv of one image: explicit padding, then im2col (a copy generic reading
// input[0, c, y * 2 + i, x * 2 + j]) and a matmul of the reshaped weight
// [4, 27] by the columns [27, 16] into the bias-initialized accumulator.
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d0, d3 * 2 + d1, d4 * 2 + d2)>
// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  // CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: %[[INIT:.+]] = linalg.generic
  // CHECK: linalg.generic {indexing_maps = [#[[COL]], {{.+}}]
  // CHECK: } -> tensor<3x3x3x4x4xf32>
  // CHECK: %[[COLS:.+]] = tensor.reshape {{.+}} -> tensor<27x16xf32>
  // CHECK: %[[W:.+]] = tensor.reshape %arg1{{.+}} -> tensor<4x27xf32>
  // CHECK: %[[ACC:.+]] = tensor.reshape %[[INIT]]{{.+}} -> tensor<4x16xf32>
  // CHECK: linalg.matmul ins(%[[W]], %[[COLS]] : tensor<4x27xf32>, tensor<27x16xf32>) outs(%[[ACC]] : tensor<4x16xf32>)
  %0 = ds.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// A 1x1 stride-1 kernel needs no im2col: the image is the column matrix.
// CHECK-LABEL: func.func @pointwise
func.func @pointwise(%x: tensor<1x8x5x5xf32>, %w: tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32> {
  // CHECK: %[[COLS:.+]] = tensor.reshape %arg0{{.+}} -> tensor<8x25xf32>
  // CHECK: linalg.matmul ins(%{{.+}}, %[[COLS]] : tensor<16x8xf32>, tensor<8x25xf32>)
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32>
  return %0 : tensor<1x16x5x5xf32>
}

// -----

// A batch of images keeps linalg's named convolution.
// CHECK-LABEL: func.func @batched
func.func @batched(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x6x6xf32> {
  // CHECK: linalg.conv_2d_nchw_fchw
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x6x6xf32>
  return %0 : tensor<2x4x6x6xf32>
}

// -----

// Depthwise convolution (group = channels): a generic with the output
// columns innermost (dims n, c, oh, kh, kw, ow), so the inner loop walks
// rows and vectorizes; an f32 image's is marked with its strides and
// dilations for ds-use-kernels, and takes over a Clip that alone consumes
// it (ReLU6).
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d3, d5 * 2 + d4)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d3, d4)>
// CHECK-LABEL: func.func @depthwise
func.func @depthwise(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x2x2xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
  // CHECK-SAME: ds.clamp = array<f32: 0.000000e+00, 6.000000e+00>
  // CHECK-SAME: ds.depthwise = array<i64: 2, 2, 1, 1>
  // CHECK-NOT: arith.minimumf
  // CHECK: return
  %0 = ds.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 8 : i64}
      : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x2x2xf32>
  %lo = ds.constant dense<0.0> : tensor<f32>
  %hi = ds.constant dense<6.0> : tensor<f32>
  %1 = ds.clip %0 min %lo max %hi : (tensor<1x8x2x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x8x2x2xf32>
  return %1 : tensor<1x8x2x2xf32>
}

// -----

// Negative: a batch of images, or f64, keeps the plain generic.
// CHECK-LABEL: func.func @depthwise_batch
// CHECK-NOT: ds.depthwise
// CHECK: linalg.generic
// CHECK-NOT: ds.depthwise
func.func @depthwise_batch(%x: tensor<2x8x6x6xf32>, %w: tensor<8x1x3x3xf32>, %y: tensor<1x8x6x6xf64>, %v: tensor<8x1x3x3xf64>) -> (tensor<2x8x4x4xf32>, tensor<1x8x4x4xf64>) {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 8 : i64}
      : (tensor<2x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<2x8x4x4xf32>
  %1 = ds.conv %y, %v {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 8 : i64}
      : (tensor<1x8x6x6xf64>, tensor<8x1x3x3xf64>) -> tensor<1x8x4x4xf64>
  return %0, %1 : tensor<2x8x4x4xf32>, tensor<1x8x4x4xf64>
}

// -----

// Grouped convolutions of any rank are one generic over [N, G, C/G, ...]:
// loops n, g, f, w (parallel) then c, k (reduction).
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d3 * 2 + d5)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-LABEL: func.func @grouped_1d
func.func @grouped_1d(%x: tensor<1x4x9xf32>, %w: tensor<6x2x3xf32>) -> tensor<1x6x4xf32> {
  // CHECK: tensor.reshape %{{.+}} -> tensor<1x2x2x9xf32>
  // CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
  // CHECK: arith.mulf
  // CHECK: arith.addf
  %0 = ds.conv %x, %w {strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, group = 2 : i64}
      : (tensor<1x4x9xf32>, tensor<6x2x3xf32>) -> tensor<1x6x4xf32>
  return %0 : tensor<1x6x4xf32>
}

// -----

// Max pooling pads with -inf; gemm reads B transposed through the matmul's
// indexing maps (no copy) and adds C.
// CHECK-DAG: #[[BT:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @pool_gemm
func.func @pool_gemm(%x: tensor<1x2x4x4xf32>, %w: tensor<3x8xf32>, %c: tensor<3xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x3xf32>) {
  // CHECK: arith.constant 0xFF800000 : f32
  // CHECK: linalg.pooling_nchw_max
  %0 = ds.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %s = ds.constant dense<[1, 8]> : tensor<2xi64>
  %f = ds.reshape %0, %s : (tensor<1x2x2x2xf32>, tensor<2xi64>) -> tensor<1x8xf32>
  // CHECK-NOT: linalg.transpose
  // CHECK: linalg.matmul indexing_maps = [#{{.+}}, #[[BT]], #{{.+}}]
  // CHECK: arith.addf
  %1 = ds.gemm %f, %w, %c {transB = true} : (tensor<1x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %0, %1 : tensor<1x2x2x2xf32>, tensor<1x3xf32>
}

// -----

// Softmax: max, subtract, exp, sum, divide.
// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  // CHECK: arith.maximumf
  // CHECK: arith.subf
  // CHECK: math.exp
  // CHECK: arith.addf
  // CHECK: arith.divf
  %0 = ds.softmax %x {axis = -1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Batched matmul broadcasts the batch dimensions.
// CHECK-LABEL: func.func @batched
func.func @batched(%a: tensor<2x3x4xf32>, %b: tensor<1x4x5xf32>) -> tensor<2x3x5xf32> {
  // CHECK: linalg.batch_matmul
  %0 = ds.matmul %a, %b : (tensor<2x3x4xf32>, tensor<1x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// 1-D and 3-D pooling are linalg.generic sliding windows: one reduction
// loop per window dimension, the input indexed by out * stride + k * dilation.
// CHECK-DAG: #[[IN3:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-LABEL: func.func @pool_3d
func.func @pool_3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[IN3]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
  // CHECK: arith.maximumf
  %0 = ds.max_pool %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>}
      : (tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32>
  return %0 : tensor<1x2x2x2x2xf32>
}

// -----

// 1-D average pooling divides by the pooled count of non-padding cells.
// CHECK-LABEL: func.func @avg_pool_1d
func.func @avg_pool_1d(%x: tensor<1x2x5xf32>) -> tensor<1x2x5xf32> {
  // CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
  // CHECK: arith.addf
  // CHECK: arith.divf
  %0 = ds.average_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 1>, pads = array<i64: 1, 1>, dilations = array<i64: 1>}
      : (tensor<1x2x5xf32>) -> tensor<1x2x5xf32>
  return %0 : tensor<1x2x5xf32>
}

// -----

// Regression: a batched lhs times 2-D weights folds the batch into the rows
// of one linalg.matmul; the weights are never broadcast per batch (that
// once made a BERT encoder's arena 866 MB).
// CHECK-LABEL: func.func @batched_weights
func.func @batched_weights(%a: tensor<128x1x768xf32>, %w: tensor<768x2304xf32>) -> tensor<128x1x2304xf32> {
  // CHECK: tensor.reshape %{{.+}} -> tensor<128x768xf32>
  // CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<128x768xf32>, tensor<768x2304xf32>) outs(%{{.+}} : tensor<128x2304xf32>)
  // CHECK-NOT: linalg.batch_matmul
  %0 = ds.matmul %a, %w : (tensor<128x1x768xf32>, tensor<768x2304xf32>) -> tensor<128x1x2304xf32>
  return %0 : tensor<128x1x2304xf32>
}

// -----

// A ReLU or constant Clip that alone consumes a convolution becomes the
// matmul's clamp (applied by the micro-kernel as it stores the result).
// CHECK-LABEL: func.func @fused_clip
func.func @fused_clip(%x: tensor<1x8x5x5xf32>, %w: tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32> {
  // CHECK: linalg.matmul {ds.clamp = array<f32: 0.000000e+00, 6.000000e+00>}
  // CHECK-NOT: arith.minimumf
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32>
  %lo = ds.constant dense<0.0> : tensor<f32>
  %hi = ds.constant dense<6.0> : tensor<f32>
  %1 = ds.clip %0 min %lo max %hi : (tensor<1x16x5x5xf32>, tensor<f32>, tensor<f32>) -> tensor<1x16x5x5xf32>
  return %1 : tensor<1x16x5x5xf32>
}

// -----

// Negative: a convolution with another user keeps its ReLU separate.
// CHECK-LABEL: func.func @shared_relu
func.func @shared_relu(%x: tensor<1x8x5x5xf32>, %w: tensor<16x8x1x1xf32>) -> (tensor<1x16x5x5xf32>, tensor<1x16x5x5xf32>) {
  // CHECK: linalg.matmul ins
  // CHECK-NOT: ds.clamp
  // CHECK: arith.maximumf
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32>
  %1 = ds.relu %0 : (tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  return %0, %1 : tensor<1x16x5x5xf32>, tensor<1x16x5x5xf32>
}

// -----

// A SiLU, Mul(x, Sigmoid(x)), that alone consumes a convolution (either
// operand order) becomes the kernel's activation: the matmul and the
// depthwise generic are marked ds.silu, and no sigmoid loop (exp) is left.
// CHECK-LABEL: func.func @fused_silu
func.func @fused_silu(%x: tensor<1x8x5x5xf32>, %w: tensor<8x8x1x1xf32>, %d: tensor<8x1x3x3xf32>) -> tensor<1x8x5x5xf32> {
  // CHECK: linalg.matmul {ds.silu}
  // CHECK: linalg.generic
  // CHECK-SAME: ds.silu
  // CHECK-NOT: math.exp
  // CHECK: return
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x5x5xf32>
  %1 = ds.sigmoid %0 : (tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %2 = ds.mul %0, %1 : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %3 = ds.conv %2, %d {group = 8 : i64, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x5x5xf32>
  %4 = ds.sigmoid %3 : (tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %5 = ds.mul %4, %3 : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  return %5 : tensor<1x8x5x5xf32>
}

// -----

// Negative: a sigmoid with another user, or a Mul of the sigmoid by
// something else, stays a loop of its own: the matmuls are not marked.
// CHECK-LABEL: func.func @unfused_silu
func.func @unfused_silu(%x: tensor<1x8x5x5xf32>, %w: tensor<8x8x1x1xf32>, %y: tensor<1x8x5x5xf32>) -> (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) {
  // CHECK-NOT: ds.silu
  // CHECK: math.exp
  // CHECK-NOT: ds.silu
  // CHECK: math.exp
  // CHECK-NOT: ds.silu
  // CHECK: return
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x5x5xf32>
  %1 = ds.sigmoid %0 : (tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %2 = ds.mul %0, %1 : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %3 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x5x5xf32>
  %4 = ds.sigmoid %3 : (tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %5 = ds.mul %y, %4 : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %6 = ds.add %3, %y : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  return %2, %1, %5 : tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>
}

// -----

// A residual Add that alone consumes a convolution (ResNet's blocks), with
// the residual computed before it: the matmul starts from bias + residual
// and runs the ReLU after the Add as its clamp; no separate add or max loop.
// CHECK-LABEL: func.func @residual
func.func @residual(%x: tensor<1x8x5x5xf32>, %w: tensor<16x8x1x1xf32>, %b: tensor<16xf32>, %r: tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32> {
  // CHECK: linalg.generic
  // CHECK: arith.addf %in, %in
  // CHECK: linalg.matmul {ds.clamp = array<f32: 0.000000e+00, 0x7F800000>}
  // CHECK-NOT: arith.addf
  // CHECK-NOT: arith.maximumf
  // CHECK: return
  %0 = ds.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<16x8x1x1xf32>, tensor<16xf32>) -> tensor<1x16x5x5xf32>
  %1 = ds.add %r, %0 : (tensor<1x16x5x5xf32>, tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  %2 = ds.relu %1 : (tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  return %2 : tensor<1x16x5x5xf32>
}

// -----

// Negative: a residual computed after the convolution (the other branch of
// the block) cannot be its start; nor can a broadcast operand.
// CHECK-LABEL: func.func @residual_later
// CHECK: linalg.matmul ins
// CHECK: arith.addf
// CHECK-LABEL: func.func @residual_broadcast
// CHECK: linalg.matmul ins
// CHECK: arith.addf
func.func @residual_later(%x: tensor<1x8x5x5xf32>, %w: tensor<16x8x1x1xf32>, %y: tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32>
  %1 = ds.relu %y : (tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  %2 = ds.add %0, %1 : (tensor<1x16x5x5xf32>, tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  return %2 : tensor<1x16x5x5xf32>
}
func.func @residual_broadcast(%x: tensor<1x8x5x5xf32>, %w: tensor<16x8x1x1xf32>, %r: tensor<1x16x1x1xf32>) -> tensor<1x16x5x5xf32> {
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x8x5x5xf32>, tensor<16x8x1x1xf32>) -> tensor<1x16x5x5xf32>
  %1 = ds.add %0, %r : (tensor<1x16x5x5xf32>, tensor<1x16x1x1xf32>) -> tensor<1x16x5x5xf32>
  return %1 : tensor<1x16x5x5xf32>
}

// -----

// A linear layer (MatMul with shared weights, then a bias Add and a ReLU)
// starts from the broadcast bias and clamps in the kernel: no separate add
// or max loop.
// CHECK-LABEL: func.func @linear
// CHECK: linalg.generic
// CHECK: linalg.matmul {ds.clamp = array<f32: 0.000000e+00, 0x7F800000>}
// CHECK-NOT: arith.addf
// CHECK-NOT: arith.maximumf
// CHECK: return
func.func @linear(%x: tensor<1x4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<1x4x16xf32> {
  %0 = ds.matmul %x, %w : (tensor<1x4x8xf32>, tensor<8x16xf32>) -> tensor<1x4x16xf32>
  %1 = ds.add %0, %b : (tensor<1x4x16xf32>, tensor<16xf32>) -> tensor<1x4x16xf32>
  %2 = ds.relu %1 : (tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return %2 : tensor<1x4x16xf32>
}

// -----

// Negative: an Add of something that is not a bias vector stays an add.
// CHECK-LABEL: func.func @linear_not_bias
// CHECK: linalg.matmul ins
// CHECK: arith.addf
func.func @linear_not_bias(%x: tensor<1x4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<4x1xf32>) -> tensor<1x4x16xf32> {
  %0 = ds.matmul %x, %w : (tensor<1x4x8xf32>, tensor<8x16xf32>) -> tensor<1x4x16xf32>
  %1 = ds.add %0, %b : (tensor<1x4x16xf32>, tensor<4x1xf32>) -> tensor<1x4x16xf32>
  return %1 : tensor<1x4x16xf32>
}

// -----

// A 3x3 stride-1 convolution with constant weights, at least 32 channels
// and filters and at least 32 2x2 output tiles is Winograd's F(2x2, 3x3):
// the input transform (marked for ds-use-kernels) over the input padded to
// whole 4x4 tiles (an 11x13 output is 6x7 tiles: 14x16), the 16 products
// over the channels as one batch_matmul with the transformed weights (G g
// G^T of all-ones weights: element (0, 0) of every tile is 1), and the
// output transform onto the bias, with the fused ReLU.
// CHECK-LABEL: func.func @winograd
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK-NOT: tensor.pad
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x32x14x16xf32>, tensor<4x4xf32>, tensor<4x4xf32>) outs(%{{.+}} : tensor<4x4x32x6x7xf32>) attrs = {ds.winograd = "input"}
// CHECK: %[[U:.+]] = arith.constant dense_resource<winograd> : tensor<16x32x32xf32>
// CHECK: linalg.batch_matmul ins(%[[U]], %{{.+}} : tensor<16x32x32xf32>, tensor<16x32x42xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<4x4x32x6x7xf32>, tensor<2x4xf32>, tensor<2x4xf32>) outs(%{{.+}} : tensor<32x11x13xf32>) attrs = {ds.clamp = array<f32: 0.000000e+00, 0x7F800000>, ds.winograd = "output"}
// CHECK-NOT: arith.maximumf
// CHECK: winograd: "0x040000000000803F0000803F
func.func @winograd(%x: tensor<1x32x11x13xf32>, %b: tensor<32xf32>) -> tensor<1x32x11x13xf32> {
  %w = ds.constant dense<1.0> : tensor<32x32x3x3xf32>
  %0 = ds.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x32x11x13xf32>, tensor<32x32x3x3xf32>, tensor<32xf32>) -> tensor<1x32x11x13xf32>
  %1 = ds.relu %0 : (tensor<1x32x11x13xf32>) -> tensor<1x32x11x13xf32>
  return %1 : tensor<1x32x11x13xf32>
}

// -----

// Negative: not Winograd's (a matmul over im2col columns instead) when the
// stride is 2, when there are fewer than 32 channels, when the weights are
// not constants, or on a 6x6 output (9 tiles of 2x2).
// CHECK-LABEL: func.func @not_winograd
// CHECK-NOT: ds.winograd
// CHECK-COUNT-4: linalg.matmul
// CHECK-NOT: ds.winograd
func.func @not_winograd(%x: tensor<1x32x15x15xf32>, %y: tensor<1x16x15x15xf32>, %v: tensor<32x32x3x3xf32>, %z: tensor<1x32x6x6xf32>)
    -> (tensor<1x32x8x8xf32>, tensor<1x32x15x15xf32>, tensor<1x32x15x15xf32>, tensor<1x32x6x6xf32>) {
  %w = ds.constant dense<1.0> : tensor<32x32x3x3xf32>
  %w16 = ds.constant dense<1.0> : tensor<32x16x3x3xf32>
  %0 = ds.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x32x15x15xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x8x8xf32>
  %1 = ds.conv %y, %w16 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x16x15x15xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x15x15xf32>
  %2 = ds.conv %x, %v {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x32x15x15xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x15x15xf32>
  %3 = ds.conv %z, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x32x6x6xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x6x6xf32>
  return %0, %1, %2, %3 : tensor<1x32x8x8xf32>, tensor<1x32x15x15xf32>, tensor<1x32x15x15xf32>, tensor<1x32x6x6xf32>
}

// -----

// An image with at least 32 tiles of 4x4 takes F(4x4, 3x3): 6x6 input
// tiles over the input padded to 4 t + 2 (a 24x24 output is 6x6 tiles:
// 26x26), 36 products, and the 4x6 A^T. G g G^T of all-ones weights starts
// with (1/4)^2 = 0.0625 (0x3D800000).
// CHECK-LABEL: func.func @winograd_f4
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<1x32x26x26xf32>, tensor<6x6xf32>, tensor<6x6xf32>) outs(%{{.+}} : tensor<6x6x32x6x6xf32>) attrs = {ds.winograd = "input"}
// CHECK: %[[U:.+]] = arith.constant dense_resource<winograd> : tensor<36x32x32xf32>
// CHECK: linalg.batch_matmul ins(%[[U]], %{{.+}} : tensor<36x32x32xf32>, tensor<36x32x36xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<6x6x32x6x6xf32>, tensor<4x6xf32>, tensor<4x6xf32>) outs(%{{.+}} : tensor<32x24x24xf32>) attrs = {ds.winograd = "output"}
// CHECK: winograd: "0x040000000000803D0000803D
func.func @winograd_f4(%x: tensor<1x32x24x24xf32>) -> tensor<1x32x24x24xf32> {
  %w = ds.constant dense<1.0> : tensor<32x32x3x3xf32>
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>}
      : (tensor<1x32x24x24xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x24x24xf32>
  return %0 : tensor<1x32x24x24xf32>
}
