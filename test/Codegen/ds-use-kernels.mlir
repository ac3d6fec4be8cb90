// RUN: ds-opt %s --split-input-file --ds-use-kernels --canonicalize | FileCheck %s

// An f32 matmul calls the micro-kernel: batch, M, N, K; then for A, B and C
// the buffer's base pointer (a memref<1xf32> carrier: a bare pointer once
// lowered), the element offset, and batch, row and column strides; then the
// activation: clamp bounds (infinite: none), then 1 for a SiLU before them, else 0.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK-DAG: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : i64
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : i64
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : i64
// CHECK: %[[A:.+]] = memref.reinterpret_cast %arg0 to offset: [0], sizes: [1], strides: [1] : memref<8x32xf32> to memref<1xf32>
// CHECK: %[[B:.+]] = memref.reinterpret_cast %arg1
// CHECK: %[[C:.+]] = memref.reinterpret_cast %arg2
// CHECK: call @ds_kernel_sgemm(%[[C1]], %[[C8]], %[[C16]], %[[C32]], %[[A]], %[[C0]], %[[C0]], %[[C32]], %[[C1]], %[[B]], %[[C0]], %[[C0]], %[[C16]], %[[C1]], %[[C]], %[[C0]], %[[C0]], %[[C16]], %[[C1]], %[[NINF]], %[[INF]], %[[C0]])
// CHECK-NOT: linalg.matmul
// CHECK: func.func private @ds_kernel_sgemm(i64, i64, i64, i64, memref<1xf32>, i64, i64, i64, i64, memref<1xf32>, i64, i64, i64, i64, memref<1xf32>, i64, i64, i64, i64, f32, f32, i64)
func.func @matmul(%a: memref<8x32xf32>, %b: memref<32x16xf32>, %c: memref<8x16xf32>) {
  linalg.matmul ins(%a, %b : memref<8x32xf32>, memref<32x16xf32>) outs(%c : memref<8x16xf32>)
  return
}

// -----

// A batch matmul passes its batch count and strides; a view passes its
// offset in elements; a fused activation passes its bounds.
// CHECK-LABEL: func.func @batched
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : i64
// CHECK-DAG: %[[C7:.+]] = arith.constant 7 : i64
// CHECK-DAG: %[[C20:.+]] = arith.constant 20 : i64
// CHECK-DAG: %[[C30:.+]] = arith.constant 30 : i64
// CHECK-DAG: %[[C24:.+]] = arith.constant 24 : i64
// CHECK-DAG: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[HI:.+]] = arith.constant 6.000000e+00 : f32
// CHECK: %[[A:.+]] = memref.reinterpret_cast %arg0 to offset: [0]
// CHECK: call @ds_kernel_sgemm(%[[C3]], {{.+}}, %[[A]], %[[C7]], %[[C20]], {{.+}}, %[[C30]], {{.+}}, %[[C24]], {{.+}}, %[[LO]], %[[HI]], %{{[^,]+}})
func.func @batched(%a: memref<3x4x5xf32, strided<[20, 5, 1], offset: 7>>, %b: memref<3x5x6xf32>, %c: memref<3x4x6xf32>) {
  linalg.batch_matmul {ds.clamp = array<f32: 0.0, 6.0>} ins(%a, %b : memref<3x4x5xf32, strided<[20, 5, 1], offset: 7>>, memref<3x5x6xf32>) outs(%c : memref<3x4x6xf32>)
  return
}

// -----

// A transposed B (Gemm's transB) swaps its strides and a strided A keeps
// its own; no copy is made.
// CHECK-LABEL: func.func @strided
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : i64
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : i64
// CHECK-DAG: %[[C32:.+]] = arith.constant 32 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK: call @ds_kernel_sgemm({{.+}}, %[[C64]], %[[C2]], %{{.+}}, %{{.+}}, %{{.+}}, %[[C1]], %[[C32]],
func.func @strided(%a: memref<8x32xf32, strided<[64, 2]>>, %b: memref<16x32xf32>, %c: memref<8x16xf32>) {
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%a, %b : memref<8x32xf32, strided<[64, 2]>>, memref<16x32xf32>) outs(%c : memref<8x16xf32>)
  return
}

// -----

// Negative: dynamic strides, or f64, stay a linalg.matmul.
// CHECK-LABEL: func.func @kept
// CHECK-NOT: call @ds_kernel_sgemm
// CHECK: linalg.matmul
// CHECK: linalg.matmul
func.func @kept(%a: memref<8x32xf32, strided<[?, 1]>>, %b: memref<32x16xf32>, %c: memref<8x16xf32>,
                %d: memref<8x32xf64>, %e: memref<32x16xf64>, %f: memref<8x16xf64>) {
  linalg.matmul ins(%a, %b : memref<8x32xf32, strided<[?, 1]>>, memref<32x16xf32>) outs(%c : memref<8x16xf32>)
  linalg.matmul ins(%d, %e : memref<8x32xf64>, memref<32x16xf64>) outs(%f : memref<8x16xf64>)
  return
}

// -----

// A product ds-pack-weights packed calls ds_kernel_sgemm_packed: which
// operand is packed, the batch (1), M, N, K, then for A, B and C the
// buffer, the offset and batch, row and column strides (0 for the packed
// operand, whose panels the kernel reads as they are), the clamp bounds,
// then where the product starts: 0, from C (two unused parts follow).
// CHECK-LABEL: func.func @packed
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : i64
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : i64
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : i64
// CHECK-DAG: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[W:.+]] = memref.reinterpret_cast %arg0
// CHECK: %[[X:.+]] = memref.reinterpret_cast %arg1
// CHECK: %[[Y:.+]] = memref.reinterpret_cast %arg2
// CHECK: call @ds_kernel_sgemm_packed(%[[C0]], %[[C1]], %[[C8]], %[[C64]], %[[C3]], %[[W]], %[[C0]], %[[C0]], %[[C0]], %[[C0]], %[[X]], %[[C0]], %[[C0]], %[[C64]], %[[C1]], %[[Y]], %[[C0]], %[[C0]], %[[C64]], %[[C1]], %[[LO]], %{{[^,]+}}, %[[C0]], %[[C0]],
// CHECK-NOT: linalg.generic
// CHECK: func.func private @ds_kernel_sgemm_packed(i64, i64, i64, i64, i64, memref<1xf32>, i64, i64, i64, i64, memref<1xf32>, i64, i64, i64, i64, memref<1xf32>, i64, i64, i64, i64, f32, f32, i64, i64, memref<1xf32>, i64, i64, i64, memref<1xf32>, i64, i64, i64)
func.func @packed(%w: memref<2x3x6xf32>, %x: memref<3x64xf32>, %y: memref<8x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%y : memref<8x64xf32>) attrs = {ds.packed = 0 : i64, ds.clamp = array<f32: 0.0, 6.0>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A packed B whose A is read transposed passes A's swapped strides.
// CHECK-LABEL: func.func @packed_b
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : i64
// CHECK: call @ds_kernel_sgemm_packed(%[[C1]], %[[C1]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[C1]], %[[C8]],
func.func @packed_b(%x: memref<3x8xf32>, %w: memref<4x3x16xf32>, %y: memref<8x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1 floordiv 16, d2, d1 mod 16)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<3x8xf32>, memref<4x3x16xf32>) outs(%y : memref<8x64xf32>) attrs = {ds.packed = 1 : i64} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A fused SiLU (ds.silu) is the last activation argument, 1.
// CHECK-LABEL: func.func @silu
// CHECK: call @ds_kernel_sgemm(%{{.+}}, %c1_i64)
func.func @silu(%a: memref<8x32xf32>, %b: memref<32x16xf32>, %c: memref<8x16xf32>) {
  linalg.matmul {ds.silu} ins(%a, %b : memref<8x32xf32>, memref<32x16xf32>) outs(%c : memref<8x16xf32>)
  return
}

// -----

// A depthwise convolution (ds-to-linalg's marked generic) calls
// ds_kernel_dwconv2d: channels, input height and width, output height and
// width, kernel height and width, strides, dilations, top and left padding;
// input (buffer, offset, channel and row strides), weights (buffer,
// offset), output (buffer, offset, channel and row strides); clamp bounds;
// the start as the packed product's (flags, then bias and residual as
// buffer, offset, channel and pixel strides).
// The zero fill and copy that padded the input go: the kernel pads by
// itself, reading the image they copied; so does the loop that broadcast
// the bias into the output (start 3: from a bias, read at 1 per channel
// and 0 per pixel).
// CHECK-LABEL: func.func @depthwise
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : i64
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : i64
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : i64
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : i64
// CHECK-NOT: linalg.map
// CHECK-NOT: linalg.copy
// CHECK-NOT: linalg.generic
// CHECK: %[[X:.+]] = memref.reinterpret_cast %arg0
// CHECK: %[[W:.+]] = memref.reinterpret_cast %arg1
// CHECK: %[[Y:.+]] = memref.reinterpret_cast %arg2
// CHECK: %[[B:.+]] = memref.reinterpret_cast %arg3
// CHECK: call @ds_kernel_dwconv2d(%[[C4]], %[[C8]], %[[C8]], %[[C8]], %[[C8]], %[[C3]], %[[C3]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[C1]], %[[X]], %[[C0]], %[[C64]], %[[C8]], %[[W]], %[[C0]], %[[Y]], %[[C0]], %[[C64]], %[[C8]], %{{[^,]+}}, %{{[^,]+}}, %[[C0]], %[[C3]], %[[B]], %[[C0]], %[[C1]], %[[C0]], %[[Y]], %[[C0]], %[[C0]], %[[C0]])
// CHECK-NOT: linalg.generic
func.func @depthwise(%x: memref<1x4x8x8xf32>, %w: memref<4x3x3xf32>, %y: memref<1x4x8x8xf32>, %bias: memref<4xf32>) {
  %cst = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x4x10x10xf32>
  linalg.map outs(%p : memref<1x4x10x10xf32>) (%init: f32) { linalg.yield %cst : f32 }
  %s = memref.subview %p[0, 0, 1, 1] [1, 4, 8, 8] [1, 1, 1, 1] : memref<1x4x10x10xf32> to memref<1x4x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>
  linalg.copy ins(%x : memref<1x4x8x8xf32>) outs(%s : memref<1x4x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>)
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias : memref<4xf32>) outs(%y : memref<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh + kh, ow + kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (c, kh, kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%p, %w : memref<1x4x10x10xf32>, memref<4x3x3xf32>) outs(%y : memref<1x4x8x8xf32>) attrs = {ds.depthwise = array<i64: 1, 1, 1, 1>} {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %0 = arith.mulf %a, %c : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Negative: when the image may have changed after the copy (here it is
// written), the kernel reads the padded copy (no padding of its own); a
// batch of two images stays a loop nest.
// CHECK-LABEL: func.func @depthwise_kept
// CHECK: linalg.map
// CHECK: call @ds_kernel_copy
// CHECK: call @ds_kernel_dwconv2d(%{{[^,]+}}, %[[H:[^,]+]], %[[H]], %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %[[C0:[^,]+]], %[[C0]],
// CHECK: linalg.generic
func.func @depthwise_kept(%x: memref<1x4x8x8xf32>, %w: memref<4x3x3xf32>, %y: memref<1x4x8x8xf32>,
                          %x2: memref<2x4x10x10xf32>, %y2: memref<2x4x8x8xf32>) {
  %cst = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x4x10x10xf32>
  linalg.map outs(%p : memref<1x4x10x10xf32>) (%init: f32) { linalg.yield %cst : f32 }
  %s = memref.subview %p[0, 0, 1, 1] [1, 4, 8, 8] [1, 1, 1, 1] : memref<1x4x10x10xf32> to memref<1x4x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>
  linalg.copy ins(%x : memref<1x4x8x8xf32>) outs(%s : memref<1x4x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>)
  linalg.fill ins(%cst : f32) outs(%x : memref<1x4x8x8xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh + kh, ow + kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (c, kh, kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%p, %w : memref<1x4x10x10xf32>, memref<4x3x3xf32>) outs(%y : memref<1x4x8x8xf32>) attrs = {ds.depthwise = array<i64: 1, 1, 1, 1>} {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %0 = arith.mulf %a, %c : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh + kh, ow + kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (c, kh, kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%x2, %w : memref<2x4x10x10xf32>, memref<4x3x3xf32>) outs(%y2 : memref<2x4x8x8xf32>) attrs = {ds.depthwise = array<i64: 1, 1, 1, 1>} {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %0 = arith.mulf %a, %c : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Negative: the padding adds a channel of zeros (the image has 3, the
// convolution 4), which the kernel would not pad by itself: it reads the
// padded copy, which stays.
// CHECK-LABEL: func.func @depthwise_channel_padded
// CHECK: linalg.map
// CHECK: call @ds_kernel_copy
// CHECK: call @ds_kernel_dwconv2d(%[[C:[^,]+]], %[[H:[^,]+]], %[[H]], %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %[[C0:[^,]+]], %[[C0]],
func.func @depthwise_channel_padded(%x: memref<1x3x8x8xf32>, %w: memref<4x3x3xf32>, %y: memref<1x4x8x8xf32>) {
  %cst = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x4x10x10xf32>
  linalg.map outs(%p : memref<1x4x10x10xf32>) (%init: f32) { linalg.yield %cst : f32 }
  %s = memref.subview %p[0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1] : memref<1x4x10x10xf32> to memref<1x3x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>
  linalg.copy ins(%x : memref<1x3x8x8xf32>) outs(%s : memref<1x3x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>)
  linalg.generic {indexing_maps = [affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh + kh, ow + kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (c, kh, kw)>, affine_map<(n, c, oh, kh, kw, ow) -> (n, c, oh, ow)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%p, %w : memref<1x4x10x10xf32>, memref<4x3x3xf32>) outs(%y : memref<1x4x8x8xf32>) attrs = {ds.depthwise = array<i64: 1, 1, 1, 1>} {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %0 = arith.mulf %a, %c : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// The loop that wrote a convolution's starting value (bias + residual,
// here on the 1x8x4x16 output seen as 8 x 64) goes into the kernel: start
// = 7 (not from C, a bias part, a residual part); the bias is read at
// [i * 1 + j * 0], the residual at [i * 64 + j * 1]. The loop is erased.
// CHECK-LABEL: func.func @starts
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : i64
// CHECK-DAG: %[[C7:.+]] = arith.constant 7 : i64
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : i64
// CHECK-NOT: linalg.generic
// CHECK: %[[B:.+]] = memref.reinterpret_cast %arg3
// CHECK: %[[R:.+]] = memref.reinterpret_cast %arg4
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %[[C7]], %[[B]], %[[C0]], %[[C1]], %[[C0]], %[[R]], %[[C0]], %[[C64]], %[[C1]])
func.func @starts(%w: memref<2x3x6xf32>, %x: memref<3x64xf32>, %y: memref<1x8x4x16xf32>, %bias: memref<1x8x1x1xf32>, %res: memref<1x8x4x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, 0, 0)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias, %res : memref<1x8x1x1xf32>, memref<1x8x4x16xf32>) outs(%y : memref<1x8x4x16xf32>) {
  ^bb0(%b: f32, %r: f32, %o: f32):
    %0 = arith.addf %b, %r : f32
    linalg.yield %0 : f32
  }
  %c = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%c : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A residual whose last use is the product's start holds the product's
// output instead (ONNX Runtime's Sum fusion): the kernel reads each start
// element before it writes it, so C and the residual are one allocation.
// CHECK-LABEL: func.func @into_residual
// CHECK: %[[R:.+]] = memref.alloc() : memref<1x8x4x16xf32>
// CHECK-NOT: memref.alloc
// CHECK: linalg.fill {{.+}} outs(%[[R]]
// CHECK: %[[C:.+]] = memref.collapse_shape %[[R]]
// CHECK: %[[CP:.+]] = memref.reinterpret_cast %[[C]]
// CHECK: %[[RP:.+]] = memref.reinterpret_cast %[[R]]
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %[[CP]], {{.+}}, %[[RP]], {{.+}})
// CHECK: memref.reinterpret_cast %[[R]]
// CHECK: call @ds_kernel_copy
func.func @into_residual(%w: memref<2x3x6xf32>, %bias: memref<1x8x1x1xf32>, %out: memref<1x8x4x16xf32>, %x: memref<3x64xf32>) {
  %one = arith.constant 1.0 : f32
  %res = memref.alloc() : memref<1x8x4x16xf32>
  linalg.fill ins(%one : f32) outs(%res : memref<1x8x4x16xf32>)
  %y = memref.alloc() : memref<1x8x4x16xf32>
  linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, 0, 0)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias, %res : memref<1x8x1x1xf32>, memref<1x8x4x16xf32>) outs(%y : memref<1x8x4x16xf32>) {
  ^bb0(%b: f32, %r: f32, %o: f32):
    %0 = arith.addf %b, %r : f32
    linalg.yield %0 : f32
  }
  %c = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%c : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.copy ins(%y : memref<1x8x4x16xf32>) outs(%out : memref<1x8x4x16xf32>)
  return
}

// -----

// Not when the residual is read after the product, when the kernel also
// reads the residual as B, or when the output's allocation held another
// value before the start was written into it: the start is still the
// kernel's (7: bias and residual), but two allocations stay.
// CHECK-LABEL: func.func @residual_read_after
// CHECK-COUNT-2: memref.alloc()
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c7_i64,
// CHECK-LABEL: func.func @residual_is_b
// CHECK-COUNT-2: memref.alloc()
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c7_i64,
// CHECK-LABEL: func.func @output_used_before
// CHECK-COUNT-2: memref.alloc()
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c7_i64,
func.func @residual_read_after(%w: memref<2x3x6xf32>, %bias: memref<1x8x1x1xf32>, %out: memref<1x8x4x16xf32>, %x: memref<3x64xf32>, %more: memref<1x8x4x16xf32>) {
  %one = arith.constant 1.0 : f32
  %res = memref.alloc() : memref<1x8x4x16xf32>
  linalg.fill ins(%one : f32) outs(%res : memref<1x8x4x16xf32>)
  %y = memref.alloc() : memref<1x8x4x16xf32>
  linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, 0, 0)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias, %res : memref<1x8x1x1xf32>, memref<1x8x4x16xf32>) outs(%y : memref<1x8x4x16xf32>) {
  ^bb0(%b: f32, %r: f32, %o: f32):
    %0 = arith.addf %b, %r : f32
    linalg.yield %0 : f32
  }
  %c = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%c : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.copy ins(%res : memref<1x8x4x16xf32>) outs(%more : memref<1x8x4x16xf32>)
  linalg.copy ins(%y : memref<1x8x4x16xf32>) outs(%out : memref<1x8x4x16xf32>)
  return
}
func.func @residual_is_b(%w: memref<2x3x6xf32>, %bias: memref<1x8x1x1xf32>, %out: memref<1x8x4x16xf32>) {
  %one = arith.constant 1.0 : f32
  %res = memref.alloc() : memref<1x8x4x16xf32>
  linalg.fill ins(%one : f32) outs(%res : memref<1x8x4x16xf32>)
  %y = memref.alloc() : memref<1x8x4x16xf32>
  %flat = memref.collapse_shape %res [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  %x = memref.subview %flat[0, 0] [3, 64] [1, 1] : memref<8x64xf32> to memref<3x64xf32, strided<[64, 1]>>
  linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, 0, 0)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias, %res : memref<1x8x1x1xf32>, memref<1x8x4x16xf32>) outs(%y : memref<1x8x4x16xf32>) {
  ^bb0(%b: f32, %r: f32, %o: f32):
    %0 = arith.addf %b, %r : f32
    linalg.yield %0 : f32
  }
  %c = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32, strided<[64, 1]>>) outs(%c : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.copy ins(%y : memref<1x8x4x16xf32>) outs(%out : memref<1x8x4x16xf32>)
  return
}
func.func @output_used_before(%w: memref<2x3x6xf32>, %bias: memref<1x8x1x1xf32>, %out: memref<1x8x4x16xf32>, %x: memref<3x64xf32>, %more: memref<1x8x4x16xf32>) {
  %one = arith.constant 1.0 : f32
  %res = memref.alloc() : memref<1x8x4x16xf32>
  linalg.fill ins(%one : f32) outs(%res : memref<1x8x4x16xf32>)
  %y = memref.alloc() : memref<1x8x4x16xf32>
  linalg.fill ins(%one : f32) outs(%y : memref<1x8x4x16xf32>)
  linalg.copy ins(%y : memref<1x8x4x16xf32>) outs(%more : memref<1x8x4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, 0, 0)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%bias, %res : memref<1x8x1x1xf32>, memref<1x8x4x16xf32>) outs(%y : memref<1x8x4x16xf32>) {
  ^bb0(%b: f32, %r: f32, %o: f32):
    %0 = arith.addf %b, %r : f32
    linalg.yield %0 : f32
  }
  %c = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%c : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.copy ins(%y : memref<1x8x4x16xf32>) outs(%out : memref<1x8x4x16xf32>)
  return
}

// -----

// A zero added to the residual (a bias of zeros, folded to a scalar) is
// left out of the start: one part (start = 3), the loop erased. Another
// constant is not a part the kernel can take: the loop stays, and the
// product accumulates onto it (start = 0).
// CHECK-LABEL: func.func @zero_bias
// CHECK-NOT: linalg.generic
// CHECK: %[[R:.+]] = memref.reinterpret_cast %arg2
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c3_i64, %[[R]], %c0_i64, %c64_i64, %c1_i64,
// CHECK-LABEL: func.func @other_constant
// CHECK: linalg.generic
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c0_i64,
func.func @zero_bias(%w: memref<2x3x6xf32>, %x: memref<3x64xf32>, %res: memref<1x8x4x16xf32>, %y: memref<1x8x4x16xf32>) {
  %c = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%res : memref<1x8x4x16xf32>) outs(%y : memref<1x8x4x16xf32>) {
  ^bb0(%r: f32, %o: f32):
    %0 = arith.addf %r, %c : f32
    linalg.yield %0 : f32
  }
  %flat = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%flat : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
func.func @other_constant(%w: memref<2x3x6xf32>, %x: memref<3x64xf32>, %res: memref<1x8x4x16xf32>, %y: memref<1x8x4x16xf32>) {
  %c = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%res : memref<1x8x4x16xf32>) outs(%y : memref<1x8x4x16xf32>) {
  ^bb0(%r: f32, %o: f32):
    %0 = arith.addf %r, %c : f32
    linalg.yield %0 : f32
  }
  %flat = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x8x4x16xf32> into memref<8x64xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%flat : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A zero fill is a start with no parts (start = 1); a fill that something
// reads before the product stays, and the product accumulates (start = 0).
// CHECK-LABEL: func.func @zero_start
// CHECK-NOT: linalg.fill
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c1_i64,
// CHECK-LABEL: func.func @read_start
// CHECK: linalg.fill
// CHECK: call @ds_kernel_copy
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c0_i64,
func.func @zero_start(%w: memref<2x3x6xf32>, %x: memref<3x64xf32>, %y: memref<8x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<8x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%y : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
func.func @read_start(%w: memref<2x3x6xf32>, %x: memref<3x64xf32>, %y: memref<8x64xf32>, %z: memref<8x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<8x64xf32>)
  linalg.copy ins(%y : memref<8x64xf32>) outs(%z : memref<8x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%y : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}


// -----

// A copy (one input yielded as it is) between buffers that cannot overlap
// calls ds_kernel_copy over its non-unit loops, right-aligned in five:
// sizes, then source and destination strides per loop. Here im2col of a
// stride-2 3x3 window: the loops (c, i, j, y, x) = (2, 3, 3, 4, 4) read the
// 1x2x9x9 input at c * 81 + i * 9 + j + y * 18 + x * 2.
// CHECK-LABEL: func.func @im2col
// CHECK: call @ds_kernel_copy(%{{.+}}, %c0_i64, %{{.+}}, %c0_i64, %c2_i64, %c3_i64, %c3_i64, %c4_i64, %c4_i64, %c81_i64, %c9_i64, %c1_i64, %c18_i64, %c2_i64, %c144_i64, %c48_i64, %c16_i64, %c4_i64, %c1_i64)
// CHECK-NOT: linalg.generic
func.func @im2col(%x: memref<1x2x9x9xf32>, %col: memref<2x3x3x4x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(c, i, j, y, x) -> (0, c, y * 2 + i, x * 2 + j)>, affine_map<(c, i, j, y, x) -> (c, i, j, y, x)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<1x2x9x9xf32>) outs(%col : memref<2x3x3x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}

// -----

// Negative: a copy within one buffer (source and destination may overlap)
// and a copy that computes something stay loops.
// CHECK-LABEL: func.func @not_copies
// CHECK-NOT: ds_kernel_copy
// CHECK: linalg.copy
// CHECK: linalg.generic
func.func @not_copies(%x: memref<8x8xf32>, %y: memref<8x8xf32>) {
  %a = memref.subview %x[0, 0] [4, 8] [1, 1] : memref<8x8xf32> to memref<4x8xf32, strided<[8, 1]>>
  %b = memref.subview %x[4, 0] [4, 8] [1, 1] : memref<8x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 32>>
  linalg.copy ins(%a : memref<4x8xf32, strided<[8, 1]>>) outs(%b : memref<4x8xf32, strided<[8, 1], offset: 32>>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<8x8xf32>) outs(%y : memref<8x8xf32>) {
  ^bb0(%a0: f32, %o: f32):
    %0 = arith.negf %a0 : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// Negative: a start read from the output itself (it would be overwritten
// while read) stays a loop, and the product accumulates (start = 0).
// CHECK-LABEL: func.func @start_from_output
// CHECK: linalg.generic
// CHECK: call @ds_kernel_sgemm_packed({{.+}}, %c0_i64,
func.func @start_from_output(%w: memref<2x3x6xf32>, %x: memref<3x64xf32>, %y: memref<8x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%y : memref<8x64xf32>) outs(%y : memref<8x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<2x3x6xf32>, memref<3x64xf32>) outs(%y : memref<8x64xf32>) attrs = {ds.packed = 0 : i64} {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %o, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Max pooling of one image calls ds_kernel_maxpool2d (the depthwise
// kernel's geometry, without weights; last, 1: start from -inf), absorbing
// its -inf padding and the -inf fill of its output.
// CHECK-LABEL: func.func @max_pool
// CHECK-NOT: linalg.map
// CHECK-NOT: linalg.copy
// CHECK-NOT: linalg.fill
// CHECK: call @ds_kernel_maxpool2d(%c4_i64, %c8_i64, %c8_i64, %c4_i64, %c4_i64, %c3_i64, %c3_i64, %c2_i64, %c2_i64, %c1_i64, %c1_i64, %c1_i64, %c1_i64, %{{[^,]+}}, %c0_i64, %c64_i64, %c8_i64, %{{[^,]+}}, %c0_i64, %c16_i64, %c4_i64, %c1_i64)
// CHECK-NOT: linalg.pooling_nchw_max
func.func @max_pool(%x: memref<1x4x8x8xf32>, %y: memref<1x4x4x4xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %p = memref.alloc() : memref<1x4x10x10xf32>
  linalg.map outs(%p : memref<1x4x10x10xf32>) (%init: f32) { linalg.yield %ninf : f32 }
  %s = memref.subview %p[0, 0, 1, 1] [1, 4, 8, 8] [1, 1, 1, 1] : memref<1x4x10x10xf32> to memref<1x4x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>
  linalg.copy ins(%x : memref<1x4x8x8xf32>) outs(%s : memref<1x4x8x8xf32, strided<[400, 100, 10, 1], offset: 11>>)
  %w = memref.alloc() : memref<3x3xf32>
  linalg.fill ins(%ninf : f32) outs(%y : memref<1x4x4x4xf32>)
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : memref<1x4x10x10xf32>, memref<3x3xf32>) outs(%y : memref<1x4x4x4xf32>)
  return
}

// -----

// Negative: an output filled with anything but -inf is the pooling's start
// (0, from the output), and its fill stays.
// CHECK-LABEL: func.func @max_pool_from_output
// CHECK: linalg.fill
// CHECK: call @ds_kernel_maxpool2d(%{{.+}}, %c0_i64)
func.func @max_pool_from_output(%x: memref<1x4x9x9xf32>, %y: memref<1x4x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.alloc() : memref<3x3xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x4x4x4xf32>)
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x9x9xf32>, memref<3x3xf32>) outs(%y : memref<1x4x4x4xf32>)
  return
}
