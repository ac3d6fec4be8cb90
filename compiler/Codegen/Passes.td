//===- Passes.td - deepseek code generation passes ---------*- tablegen -*-===//

#ifndef DS_CODEGEN_PASSES_TD
#define DS_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def CopyToLinalgPass : Pass<"ds-copy-to-linalg", "func::FuncOp"> {
  let summary = "Rewrites memref.copy as linalg.copy";
  let description = [{
    Copies then become loops like every other linalg op, instead of calls
    to MLIR's C runner library (`memrefCopy`), which the runtime does not
    ship.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def ExternalizeWeightsPass : Pass<"ds-externalize-weights", "ModuleOp"> {
  let summary = "Moves large constants out of the code into a weights buffer";
  let description = [{
    After bufferization, every constant `memref.global` of at least
    `min-bytes` bytes that `@main` reads is packed (64-byte aligned) into one
    byte blob, and its `memref.get_global` becomes a `memref.view` of a new
    last argument of `@main` (`memref<Nxi8>`). The globals are erased; the
    blob is left in the module attribute `ds.weights` (a `dense_resource`
    of `i8`) for the packager to write to `weights.bin`, and its size in
    `ds.weights_size` on `@main`. Small constants (shapes, scalars) stay in
    the code.

    Before:
    ```mlir
    memref.global "private" constant @w : memref<64x64xf32> = dense_resource<w>
    func.func @main(%x: memref<1x64xf32>, %y: memref<1x64xf32>) {
      %w = memref.get_global @w : memref<64x64xf32>
      ...
    ```
    After:
    ```mlir
    module attributes {ds.weights = dense_resource<ds_weights> : tensor<16384xi8>} {
      func.func @main(%x: memref<1x64xf32>, %y: memref<1x64xf32>, %weights: memref<16384xi8>)
          attributes {ds.weights_size = 16384 : i64} {
        %c0 = arith.constant 0 : index
        %w = memref.view %weights[%c0][] : memref<16384xi8> to memref<64x64xf32>
        ...
    ```
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"256",
           "Smallest constant (in bytes) moved to the weights">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def PlanMemoryPass : Pass<"ds-plan-memory", "func::FuncOp"> {
  let summary = "Places every static allocation in one arena argument";
  let description = [{
    After bufferization, gives each `memref.alloc` of the function a fixed
    offset in one byte buffer, appended as the last argument
    (`memref<Nxi8>`), and rewrites the allocation as a `memref.view` of it.
    Offsets are chosen greedily by size (largest first, first fit) over the
    allocations' live ranges, which run from the allocation to the last op
    that reads or writes it through any view (TensorFlow Lite Micro's
    planner); two buffers
    share bytes only if their ranges do not overlap. Deallocations are
    dropped. The arena size is recorded in the function attribute
    `ds.arena_size`. Every allocation must be static and in the function's
    entry block.

    Before:
    ```mlir
    func.func @f(%out: memref<4xf32>) {
      %a = memref.alloc() : memref<4xf32>
      ...
    }
    ```
    After:
    ```mlir
    func.func @f(%out: memref<4xf32>, %arena: memref<16xi8>) attributes {ds.arena_size = 16 : i64} {
      %c0 = arith.constant 0 : index
      %a = memref.view %arena[%c0][] : memref<16xi8> to memref<4xf32>
      ...
    }
    ```
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"64",
           "Byte alignment of every buffer in the arena">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def AddEntryWrapperPass : Pass<"ds-add-entry-wrapper", "ModuleOp"> {
  let summary = "Adds ds_model_entry(void **args) that calls the model's entry";
  let description = [{
    After lowering to the LLVM dialect with bare pointers, adds
    `llvm.func @ds_model_entry(%args: !llvm.ptr)`, which loads one pointer per
    parameter of `@main` (inputs, outputs, the weights, then the arena) from `args` and
    calls it, so the runtime calls every model the same way. `@main` gets
    internal linkage: a C program has a `main` of its own.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def UseKernelsPass : Pass<"ds-use-kernels", "ModuleOp"> {
  let summary = "Calls the runtime's kernels for products, depthwise convolutions, pooling, Winograd's transforms and copies";
  let description = [{
    After bufferization, before the memory plan (which follows the calls'
    views of their buffers). Every f32 `linalg.matmul` (also transposed) and
    `linalg.batch_matmul` with static shapes and strides becomes a call to
    `ds_kernel_sgemm` (runtime/kernels/gemm.c), which the packager links in
    as bitcode and optimizes for the target CPU. Each operand is passed as
    its buffer's base pointer (a `memref<1xf32>`, a bare pointer once
    lowered), its offset in elements and its batch, row and column strides;
    then the fused activation: the bounds of a ReLU/Clip (`ds.clamp`,
    infinite if none) and 1 for a SiLU applied before them (`ds.silu`),
    else 0.
    A product whose constant operand ds-pack-weights packed (a
    `linalg.generic` marked `ds.packed`) calls `ds_kernel_sgemm_packed`,
    which reads that operand's panels as they are; when the loop just before
    it wrote its whole output with a zero, a broadcast input or the sum of
    two (bias, bias + residual; a zero addend left out) and nothing touched
    those buffers since, the kernel starts from them itself and the loop is
    erased. A residual read at the output's own elements that dies with the
    product becomes its output (the two allocations one): every kernel reads
    a start element before it writes it. When the other
    operand is a convolution's im2col columns that only the product reads,
    and nothing overwrites the image before it, the product calls
    `ds_kernel_sgemm_conv`, which packs the columns from the image itself
    (implicit GEMM), and the im2col copy and its buffer go.

    A depthwise convolution (`ds.depthwise`) calls `ds_kernel_dwconv2d`
    (taking over its output's start like a packed product) and
    `linalg.pooling_nchw_max` of one image `ds_kernel_maxpool2d` (taking
    over a -inf fill of its output); a padded
    input that was only filled with the pad value and given a copy of an
    image that nothing overwrote since is read unpadded (the fill and copy
    go). ds-to-linalg's Winograd transforms (`ds.winograd`) call
    `ds_kernel_winograd_input` (padding absorbed likewise; only when V was
    just zero-filled, since the kernel writes V) and
    `ds_kernel_winograd_output` (which takes the output's start like a
    packed product). Last, every remaining op that copies its one f32 input between
    buffers that cannot overlap calls `ds_kernel_copy`. A `ds.clamp` or
    `ds.silu` left on an op no kernel took is an error. Everything else
    stays loops.

  ```mlir
    linalg.matmul ins(%a, %b : memref<64x32xf32>, memref<32x16xf32>)
                  outs(%c : memref<64x16xf32>)
    ```
    becomes
    ```mlir
    func.call @ds_kernel_sgemm(%c1, %c64, %c16, %c32,
        %pa, %c0, %c0, %c32, %c1,  %pb, %c0, %c0, %c16, %c1,
        %pc, %c0, %c0, %c16, %c1,  %ninf, %inf, %c0)
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

def FuseElementwisePass : Pass<"ds-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuses elementwise linalg ops, except through broadcasts";
  let description = [{
    linalg's elementwise fusion (producer into consumer, when the producer
    has no other use, with its reshape folding and canonicalizations), with
    one exception: a producer that the consumer reads through a broadcast
    (an indexing map that is not a permutation) stays a loop of its own,
    since the fused body would recompute it for every element it is
    broadcast to. A squeeze-excitation sigmoid over 1x144x1x1 fused into the
    1x144x56x56 multiply it scales ran 3136 times per channel.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def LinalgToLoopsPass : Pass<"ds-linalg-to-loops", "func::FuncOp"> {
  let summary = "Lowers linalg ops to loops that LLVM can vectorize";
  let description = [{
    On buffers, before upstream linalg-to-loops (which takes what this pass
    leaves). After ds-plan-memory every buffer is a view of one arena, so
    LLVM sees a single object: upstream's loops, which reload a broadcast
    operand and load and store a reduction's accumulator on every
    iteration, are neither hoisted nor vectorized ("unknown data
    dependence"). For a linalg op with static loop ranges, one output
    indexed by its parallel loops only and every reduction loop inside them,
    this pass builds scf.for nests whose innermost loops are plain:

    - trailing loops of one kind that every operand reads as its own
      trailing dimensions in order (or not at all), with no `linalg.index`
      of them in the body, are first merged into one loop over collapsed
      views (a 7x7 image's loop of 49 vectorizes; 7 loops of 7 did not);

    - inputs that do not vary in the inner loops are loaded before them (for
      an elementwise op, only from a buffer its output cannot overlap:
      `compiler/Codegen/Extents.h`);
    - a reduction (a softmax's row maximum and sum, a layer norm's moments,
      a global average pool, pooling windows) carries its accumulator in
      `iter_args`: one load before the reduction loops, one store after;
      its floating-point ops are marked `reassoc` so that LLVM vectorizes
      it (the summation order changes within float rounding).
    - an op of at least 32768 iterations, whose iterations write distinct
      elements and whose inputs overlap the output only where it is read in
      place, has its outermost parallel loop of more than one iteration
      marked `ds.parallel` (the multiple of iterations to share out: 16 for
      an innermost loop, else 1), for ds-outline-parallel-loops.
    - an innermost loop of at least 8 iterations is marked
      `loop_annotation = #llvm.loop_annotation<unroll = <disable = true>>`,
      which its back edge keeps down to `llvm.br`: LLVM unrolls a short
      constant loop in full before its vectorizer runs and then vectorizes
      the loop around it with gathers and scatters (an SE block's scale of
      a 7x7 image, a loop of 49, ran at one element per 4 cycles).

    ```mlir
    scf.for %i = %c0 to %c12 step %c1 {
      %init = memref.load %out[%i] : memref<12xf32>
      %sum = scf.for %j = %c0 to %c128 step %c1 iter_args(%acc = %init) -> (f32) {
        %x = memref.load %in[%i, %j] : memref<12x128xf32>
        %s = arith.addf %acc, %x fastmath<reassoc> : f32
        scf.yield %s : f32
      }
      memref.store %sum, %out[%i] : memref<12xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def OutlineParallelLoopsPass : Pass<"ds-outline-parallel-loops", "ModuleOp"> {
  let summary = "Outlines the loops marked ds.parallel into functions of their bounds";
  let description = [{
    ds-linalg-to-loops marks `ds.parallel` the loop of a large elementwise
    op or reduction that may run in parallel (its outermost parallel loop of
    more than one iteration; the value is the multiple of iterations to
    share out). This pass makes each such `scf.for` a private function of
    its bounds and of the values it uses (constants are cloned in), marked
    the same way, and the loop a call of it over the whole range; so far
    nothing runs in parallel (ds-parallel-calls does that, on the LLVM
    dialect). A marked loop inside another one, one with results, or one
    using a value that cannot be passed as a bare pointer or scalar stays as
    it is.

    ```mlir
    scf.for %i = %c0 to %c96 step %c1 { ... %x ... } {ds.parallel = 1 : i64}
    // becomes
    func.call @main_parallel(%c0, %c96, %x) : (index, index, memref<...>) -> ()
    func.func private @main_parallel(%lo: index, %hi: index, %x: memref<...>)
        attributes {ds.parallel = 1 : i64} {
      scf.for %i = %lo to %hi step %c1 { ... %x ... }
      return
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def ParallelCallsPass : Pass<"ds-parallel-calls", "ModuleOp"> {
  let summary = "Runs the outlined parallel loops on the runtime's thread pool";
  let description = [{
    On the LLVM dialect: every call of a function marked `ds.parallel`
    (ds-outline-parallel-loops) becomes `ds_parallel_for(ds_thread_count(),
    @<function>_task, frame)`, where `frame` is a struct in the caller's
    entry block holding the task count, the bounds and the other operands.
    Task `i` runs the function on its share of the bounds: a multiple of the
    mark's value of iterations (16 for an innermost loop, so shares
    vectorize whole), the last share shorter or empty.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def PackWeightsPass : Pass<"ds-pack-weights", "func::FuncOp"> {
  let summary = "Packs constant matmul operands into the sgemm kernel's panels";
  let description = [{
    On tensors, before bufferization. The sgemm kernel packs A into MR-row
    and B into NR-column panels (runtime/kernels/gemm_tiles.h) on every
    call; for a constant operand (convolution and linear-layer weights) that
    is done here once. An f32 `linalg.matmul` (also transposed) with static
    shapes and a constant operand, possibly reshaped, becomes a
    `linalg.generic` over a new constant `tensor<panels x K x R>` that holds
    element (x, p) at `[x floordiv R, p, x mod R]`, zero-padded, marked
    `ds.packed = <operand>` (and keeping `ds.clamp` and `ds.silu`). R is
    the tile side the operand takes in the kernel, which computes C^T = B^T
    A^T for narrow results. A `linalg.batch_matmul`'s constant (Winograd's transformed
    weights) is packed per batch item, `[batch, x floordiv R, p, x mod R]`.
    The generic is an ordinary linalg op, so code that does not call the
    kernel still computes the product; ds-use-kernels turns it into a
    `ds_kernel_sgemm_packed` call. Products the kernel does not pack (at
    most two rows) are left alone.

    ```mlir
    %w = arith.constant dense<...> : tensor<64x32xf32>
    %0 = linalg.matmul ins(%w, %x : tensor<64x32xf32>, tensor<32x256xf32>)
                       outs(%init : tensor<64x256xf32>) -> tensor<64x256xf32>
    ```
    becomes
    ```mlir
    %w = arith.constant dense_resource<packed> : tensor<11x32x6xf32>
    %0 = linalg.generic {indexing_maps = [
            affine_map<(d0, d1, d2) -> (d0 floordiv 6, d2, d0 mod 6)>,
            affine_map<(d0, d1, d2) -> (d2, d1)>,
            affine_map<(d0, d1, d2) -> (d0, d1)>], ...} {ds.packed = 0 : i64}
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def MarkLayersPass : Pass<"ds-mark-layers", "ModuleOp"> {
  let summary = "Calls the runtime's profiler before every layer of @main";
  let description = [{
    On ds ops, before lowering: every op of `@main` but constants is a
    layer. A call `ds_profile_mark(i)` goes before layer `i`, and
    `ds_profile_mark(count)` before the return; the runtime times the gap
    between marks when profiling is on (`ds-run --profile`) and returns at
    once otherwise. The module attribute `ds.layers` lists each layer's name
    (the ONNX node), op, result shape and floating-point operations, for the
    packager to put in the model's descriptor. Code that lowering fuses
    across layers counts toward the layer where it ends up.

    ```mlir
    func.call @ds_profile_mark(%c0) : (i64) -> ()
    %0 = ds.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    func.call @ds_profile_mark(%c1) : (i64) -> ()
    return %0 : tensor<4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect"];
}

def ApproximateMathPass : Pass<"ds-approximate-math", "func::FuncOp"> {
  let summary = "Replaces f32 exp, log, tanh and erf by polynomial approximations";
  let description = [{
    libm calls (`expf`, ...) are scalar and stop the loop vectorizer, so a
    sigmoid, SiLU, GELU or softmax ran one element at a time. MLIR's
    polynomial approximations (a few ulp; the ONNX backend tests and the
    comparisons with ONNX Runtime hold) are plain arithmetic that LLVM
    vectorizes. Only f32 `math.exp`, `expm1`, `log`, `log1p`, `tanh` and `erf`
    are rewritten; other ops and types keep libm.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // DS_CODEGEN_PASSES_TD
