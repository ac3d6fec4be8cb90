// RUN: ds-opt %s --split-input-file --ds-use-kernels --canonicalize | FileCheck %s

#im2col = affine_map<(c, i, j, y, x) -> (0, c, y * 2 + i, x * 2 + j)>
#id = affine_map<(c, i, j, y, x) -> (c, i, j, y, x)>
#pa = affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// A product of packed convolution weights and im2col columns that only it
// reads calls ds_kernel_sgemm_conv, which packs the columns from the image
// itself: M, N, K, the weights (buffer, offset), the image (buffer,
// offset, channel and row strides), its 10 x 10 pixels and no padding above
// or left of it, the 3x3 window, 4 output columns,
// strides 2 and dilations 1, then C (buffer, offset, row and column
// strides), the clamp bounds and the start (0: from C). The im2col copy
// and its buffer go.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : i64
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : i64
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : i64
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : i64
// CHECK-DAG: %[[C10:.+]] = arith.constant 10 : i64
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : i64
// CHECK-DAG: %[[C27:.+]] = arith.constant 27 : i64
// CHECK-DAG: %[[C100:.+]] = arith.constant 100 : i64
// CHECK-DAG: %[[W:.+]] = memref.reinterpret_cast %arg0
// CHECK-DAG: %[[X:.+]] = memref.reinterpret_cast %arg1
// CHECK-DAG: %[[Y:.+]] = memref.reinterpret_cast %arg2
// CHECK-NOT: memref.alloc
// CHECK: call @ds_kernel_sgemm_conv(%[[C8]], %[[C16]], %[[C27]], %[[W]], %[[C0]], %[[X]], %[[C0]], %[[C100]], %[[C10]], %[[C10]], %[[C10]], %[[C0]], %[[C0]], %[[C3]], %[[C3]], %[[C4]], %[[C2]], %[[C2]], %[[C1]], %[[C1]], %[[Y]], %[[C0]], %[[C16]], %[[C1]], %{{[^,]+}}, %{{[^,]+}}, %[[C0]], %[[C0]],
// CHECK-NOT: linalg.
// CHECK: return
func.func @conv(%w: memref<2x27x6xf32>, %img: memref<1x3x10x10xf32>, %y: memref<8x16xf32>) {
  %cols = memref.alloc() : memref<3x3x3x4x4xf32>
  linalg.generic {indexing_maps = [#im2col, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%img : memref<1x3x10x10xf32>) outs(%cols : memref<3x3x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %b = memref.collapse_shape %cols [[0, 1, 2], [3, 4]] : memref<3x3x3x4x4xf32> into memref<27x16xf32>
  linalg.generic {indexing_maps = [#pa, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %b : memref<2x27x6xf32>, memref<27x16xf32>) outs(%y : memref<8x16xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %x: f32, %o: f32):
    %0 = arith.mulf %a, %x : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#im2col = affine_map<(c, i, j, y, x) -> (0, c, y * 2 + i, x * 2 + j)>
#id = affine_map<(c, i, j, y, x) -> (c, i, j, y, x)>
#pa = affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// The columns of a zero-padded copy of the image (a fill, and the image
// copied into its interior from row 1, column 1): the kernel reads the 8 x 8
// image itself, zero outside it (8, 8, then 1 row above and 1 column left of
// it), and the padded copy, its fill and its buffer go too.
// CHECK-LABEL: func.func @padded
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : i64
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : i64
// CHECK-DAG: %[[X:.+]] = memref.reinterpret_cast %arg1
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.
// CHECK: call @ds_kernel_sgemm_conv(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %[[X]], %[[C0]], %[[C64]], %[[C8]], %[[C8]], %[[C8]], %[[C1]], %[[C1]],
// CHECK-NOT: linalg.
// CHECK: return
func.func @padded(%w: memref<2x27x6xf32>, %img: memref<1x3x8x8xf32>, %y: memref<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %pad = memref.alloc() : memref<1x3x10x10xf32>
  linalg.fill ins(%zero : f32) outs(%pad : memref<1x3x10x10xf32>)
  %inner = memref.subview %pad[0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1] : memref<1x3x10x10xf32> to memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>
  linalg.copy ins(%img : memref<1x3x8x8xf32>) outs(%inner : memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>)
  %cols = memref.alloc() : memref<3x3x3x4x4xf32>
  linalg.generic {indexing_maps = [#im2col, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%pad : memref<1x3x10x10xf32>) outs(%cols : memref<3x3x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %b = memref.collapse_shape %cols [[0, 1, 2], [3, 4]] : memref<3x3x3x4x4xf32> into memref<27x16xf32>
  linalg.generic {indexing_maps = [#pa, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %b : memref<2x27x6xf32>, memref<27x16xf32>) outs(%y : memref<8x16xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %x: f32, %o: f32):
    %0 = arith.mulf %a, %x : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#im2col = affine_map<(c, i, j, y, x) -> (0, c, y * 2 + i, x * 2 + j)>
#id = affine_map<(c, i, j, y, x) -> (c, i, j, y, x)>
#pa = affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// Negative: the image is overwritten after its padded copy was made and
// before the product, so the kernel reads the padded copy, which stays
// (with its fill and copy).
// CHECK-LABEL: func.func @image_changes_after_padding
// CHECK: memref.alloc(){{.*}} : memref<1x3x10x10xf32>
// CHECK: linalg.fill
// CHECK: call @ds_kernel_copy
// CHECK: call @ds_kernel_sgemm_conv(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %[[C100:[^,]+]], %[[C10:[^,]+]], %[[C10]], %[[C10]], %[[C0:[^,]+]], %[[C0]],
func.func @image_changes_after_padding(%w: memref<2x27x6xf32>, %img: memref<1x3x8x8xf32>, %y: memref<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %pad = memref.alloc() : memref<1x3x10x10xf32>
  linalg.fill ins(%zero : f32) outs(%pad : memref<1x3x10x10xf32>)
  %inner = memref.subview %pad[0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1] : memref<1x3x10x10xf32> to memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>
  linalg.copy ins(%img : memref<1x3x8x8xf32>) outs(%inner : memref<1x3x8x8xf32, strided<[300, 100, 10, 1], offset: 11>>)
  %cols = memref.alloc() : memref<3x3x3x4x4xf32>
  linalg.generic {indexing_maps = [#im2col, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%pad : memref<1x3x10x10xf32>) outs(%cols : memref<3x3x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%img : memref<1x3x8x8xf32>)
  %b = memref.collapse_shape %cols [[0, 1, 2], [3, 4]] : memref<3x3x3x4x4xf32> into memref<27x16xf32>
  linalg.generic {indexing_maps = [#pa, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %b : memref<2x27x6xf32>, memref<27x16xf32>) outs(%y : memref<8x16xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %x: f32, %o: f32):
    %0 = arith.mulf %a, %x : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#im2col = affine_map<(c, i, j, y, x) -> (0, c, y * 2 + i, x * 2 + j)>
#id = affine_map<(c, i, j, y, x) -> (c, i, j, y, x)>
#pa = affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// Negative: the padding adds a channel of zeros, which the image does not
// have, so the kernel reads the padded copy (4 channels of 100 pixels).
// CHECK-LABEL: func.func @channel_padded
// CHECK: memref.alloc(){{.*}} : memref<1x4x10x10xf32>
// CHECK: linalg.fill
// CHECK: call @ds_kernel_copy
// CHECK: call @ds_kernel_sgemm_conv(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %[[C100:[^,]+]], %[[C10:[^,]+]], %[[C10]], %[[C10]], %[[C0:[^,]+]], %[[C0]],
func.func @channel_padded(%w: memref<2x36x6xf32>, %img: memref<1x3x8x8xf32>, %y: memref<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %pad = memref.alloc() : memref<1x4x10x10xf32>
  linalg.fill ins(%zero : f32) outs(%pad : memref<1x4x10x10xf32>)
  %inner = memref.subview %pad[0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1] : memref<1x4x10x10xf32> to memref<1x3x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>
  linalg.copy ins(%img : memref<1x3x8x8xf32>) outs(%inner : memref<1x3x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>)
  %cols = memref.alloc() : memref<4x3x3x4x4xf32>
  linalg.generic {indexing_maps = [#im2col, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%pad : memref<1x4x10x10xf32>) outs(%cols : memref<4x3x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %b = memref.collapse_shape %cols [[0, 1, 2], [3, 4]] : memref<4x3x3x4x4xf32> into memref<36x16xf32>
  linalg.generic {indexing_maps = [#pa, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %b : memref<2x36x6xf32>, memref<36x16xf32>) outs(%y : memref<8x16xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %x: f32, %o: f32):
    %0 = arith.mulf %a, %x : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#im2col = affine_map<(c, i, j, y, x) -> (0, c, y * 2 + i, x * 2 + j)>
#id = affine_map<(c, i, j, y, x) -> (c, i, j, y, x)>
#pa = affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// Negative: the image is overwritten between the copy and the product, so
// the columns must be copied out first: a packed product and a copy.
// CHECK-LABEL: func.func @image_changes
// CHECK-NOT: ds_kernel_sgemm_conv
// CHECK: call @ds_kernel_copy
// CHECK: linalg.fill
// CHECK: call @ds_kernel_sgemm_packed
func.func @image_changes(%w: memref<2x27x6xf32>, %img: memref<1x3x10x10xf32>, %y: memref<8x16xf32>) {
  %cols = memref.alloc() : memref<3x3x3x4x4xf32>
  linalg.generic {indexing_maps = [#im2col, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%img : memref<1x3x10x10xf32>) outs(%cols : memref<3x3x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%img : memref<1x3x10x10xf32>)
  %b = memref.collapse_shape %cols [[0, 1, 2], [3, 4]] : memref<3x3x3x4x4xf32> into memref<27x16xf32>
  linalg.generic {indexing_maps = [#pa, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %b : memref<2x27x6xf32>, memref<27x16xf32>) outs(%y : memref<8x16xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %x: f32, %o: f32):
    %0 = arith.mulf %a, %x : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

#im2col = affine_map<(c, i, j, y, x) -> (0, c, y * 3 + i, x * 3 + j)>
#id = affine_map<(c, i, j, y, x) -> (c, i, j, y, x)>
#pa = affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// Negative: a column stride of 3, which the kernel's vector loads do not
// read in place: the columns are copied out for a packed product.
// CHECK-LABEL: func.func @stride_three
// CHECK-NOT: ds_kernel_sgemm_conv
// CHECK: call @ds_kernel_copy
// CHECK: call @ds_kernel_sgemm_packed
func.func @stride_three(%w: memref<2x27x6xf32>, %img: memref<1x3x12x12xf32>, %y: memref<8x16xf32>) {
  %cols = memref.alloc() : memref<3x3x3x4x4xf32>
  linalg.generic {indexing_maps = [#im2col, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%img : memref<1x3x12x12xf32>) outs(%cols : memref<3x3x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %b = memref.collapse_shape %cols [[0, 1, 2], [3, 4]] : memref<3x3x3x4x4xf32> into memref<27x16xf32>
  linalg.generic {indexing_maps = [#pa, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %b : memref<2x27x6xf32>, memref<27x16xf32>) outs(%y : memref<8x16xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %x: f32, %o: f32):
    %0 = arith.mulf %a, %x : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
