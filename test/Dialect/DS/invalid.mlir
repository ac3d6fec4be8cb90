// RUN: ds-opt %s --split-input-file --verify-diagnostics

// A constant's value must have the result type.
func.func @constant_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{custom op 'ds.constant' invalid kind of attribute specified}}
  %c = ds.constant 1.0 : f32
  return %x : tensor<2xf32>
}

// -----

func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.add' op operand shapes 'tensor<2x3xf32>' and 'tensor<4xf32>' do not broadcast}}
  %0 = ds.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @result_contradicts(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'ds.relu' op result type 'tensor<3x2xf32>' contradicts the inferred type 'tensor<2x3xf32>'}}
  %0 = ds.relu %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @unary_element_type(%a: tensor<2xf32>) -> tensor<2xf16> {
  // expected-error @+1 {{'ds.exp' op requires the same element type for all operands and results}}
  %0 = ds.exp %a : (tensor<2xf32>) -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'ds.conv' op input has 3 channels but weight expects 2 x group 1}}
  %0 = ds.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_attrs(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'ds.conv' op expects 2 strides and dilations and 4 pads for 2 spatial dimensions}}
  %0 = ds.conv %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'ds.conv' op bias must be 1-D with one value per filter}}
  %0 = ds.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @matmul_k(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'ds.matmul' op contraction dimensions differ: 3 vs 4}}
  %0 = ds.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'ds.gemm' op expects 2-D A and B}}
  %0 = ds.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @pool_kernel(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{'ds.max_pool' op expects 2 kernel dimensions}}
  %0 = ds.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
      : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<4xf32> {
  %s = ds.constant dense<[4]> : tensor<1xi64>
  // expected-error @+1 {{'ds.reshape' op cannot reshape 'tensor<2x3xf32>' (6 elements) to 'tensor<4xf32>'}}
  %0 = ds.reshape %x, %s : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reshape_two_inferred(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %s = ds.constant dense<[-1, -1]> : tensor<2xi64>
  // expected-error @+1 {{'ds.reshape' op shape has more than one -1}}
  %0 = ds.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'ds.transpose' op perm is not a permutation}}
  %0 = ds.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'ds.concat' op inputs differ in dimension 0}}
  %0 = ds.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.softmax' op axis 2 is out of range for rank 2}}
  %0 = ds.softmax %a {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @batch_norm_params(%x: tensor<1x4x2x2xf32>, %p: tensor<3xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error @+1 {{'ds.batch_norm' op scale, bias, mean and variance must be 1-D with one value per channel}}
  %0 = ds.batch_norm %x, %p, %p, %p, %p : (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

func.func @clip_bounds(%x: tensor<4xf32>, %lo: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.clip' op bounds must be scalars}}
  %0 = ds.clip %x min %lo : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @slice_step(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.slice' op steps must not be 0}}
  %0 = ds.slice %x {axes = array<i64: 0>, starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 0>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @squeeze_size(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'ds.squeeze' op dimension 0 has size 2, not 1}}
  %0 = ds.squeeze %x {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @gather_axis(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'ds.gather' op axis 2 is out of range for rank 2}}
  %0 = ds.gather %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_twice(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  // expected-error @+1 {{'ds.reduce_sum' op axis -1 is listed twice}}
  %0 = ds.reduce_sum %x {axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

func.func @where_branches(%c: tensor<2xi1>, %x: tensor<2xf32>, %y: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'ds.where' op both branches must have the same element type}}
  %0 = ds.where %c, %x, %y : (tensor<2xi1>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @expand_shape(%x: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %s = ds.constant dense<[3, 4]> : tensor<2xi64>
  // expected-error @+1 {{'ds.expand' op cannot expand 'tensor<3x2xf32>' to dense<[3, 4]> : tensor<2xi64>}}
  %0 = ds.expand %x, %s : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @layer_norm_scale(%x: tensor<2x8xf32>, %g: tensor<4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'ds.layer_norm' op scale and bias must broadcast to the normalized dimensions}}
  %0 = ds.layer_norm %x, %g {axis = -1 : i64} : (tensor<2x8xf32>, tensor<4xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @pad_mode(%x: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'ds.pad' op unknown mode 'wrap'}}
  %0 = ds.pad %x {pads = array<i64: 1, 1>, mode = "wrap"} : (tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reflect_too_far(%x: tensor<2xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{'ds.pad' op reflect padding must be smaller than dimension 0}}
  %0 = ds.pad %x {pads = array<i64: 2, 2>, mode = "reflect"} : (tensor<2xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @gather_elements_rank(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{'ds.gather_elements' op data and indices must have the same rank}}
  %0 = ds.gather_elements %x, %i {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Resize knows nearest, linear and cubic only.
func.func @resize_bad_mode(%x: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{unknown mode 'area'}}
  %0 = ds.resize %x {sizes = array<i64: 4>, scales = array<f64: 2.0>, mode = "area",
                     coordinate_transformation_mode = "half_pixel", nearest_mode = "floor",
                     cubic_coeff_a = -7.5e-01 : f64, exclude_outside = false,
                     extrapolation_value = 0.0 : f64, roi = array<f64>} : (tensor<2xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
