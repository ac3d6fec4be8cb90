/*===- ds_runtime.h - deepseek runtime C API ------------------------------===*
 *
 * The runtime that runs a compiled model: C11, libc only, no global state.
 * A compiled model is described by a ds_model_desc_t (generated into the
 * package's model.c); a ds_model_t is one instance of it with its own arena
 * of intermediate buffers and its own bindings, so instances may run on
 * different threads at once.
 *
 * Ownership: the caller owns everything it passes in; bound input and output
 * buffers are borrowed until the next bind or ds_model_destroy. Every call
 * returns a status; ds_model_error() explains the last failure of a model.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DS_RUNTIME_H
#define DS_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DS_ABI_VERSION 4u

/* weights.bin: a 64-byte header, then the payload. */
#define DS_WEIGHTS_MAGIC "DSWEIGHT"
#define DS_WEIGHTS_VERSION 1u
#define DS_WEIGHTS_HEADER_SIZE 64u

typedef enum ds_status_t {
  DS_OK = 0,
  DS_INVALID_ARGUMENT = 1,
  DS_NOT_FOUND = 2,
  DS_SHAPE_MISMATCH = 3,
  DS_DTYPE_MISMATCH = 4,
  DS_OUT_OF_MEMORY = 5,
  DS_UNBOUND = 6,
  DS_INCOMPATIBLE = 7,
  DS_CORRUPT = 8,
  DS_IO_ERROR = 9,
  DS_UNSUPPORTED_CPU = 10, /* the CPU lacks an instruction set the code needs */
} ds_status_t;

typedef enum ds_dtype_t {
  DS_F32 = 1, DS_F64, DS_F16, DS_BF16,
  DS_I8, DS_I16, DS_I32, DS_I64,
  DS_U8, DS_U16, DS_U32, DS_U64,
  DS_BOOL,
} ds_dtype_t;

/* An allocator: `alloc` returns `size` bytes aligned to `alignment` (a power
 * of two) or NULL; `free` releases them. `user` is passed back. */
typedef struct ds_allocator_t {
  void *(*alloc)(void *user, size_t size, size_t alignment);
  void (*free)(void *user, void *ptr);
  void *user;
} ds_allocator_t;

typedef struct ds_tensor_desc_t {
  const char *name;
  ds_dtype_t dtype;
  int32_t rank;
  const int64_t *shape;
} ds_tensor_desc_t;

/* One layer of the model (a ds op), for profiles. */
typedef struct ds_layer_desc_t {
  const char *name;  /* the ONNX node */
  const char *op;    /* conv, matmul, relu, ... */
  const char *shape; /* of its result, "1x64x56x56" */
  uint64_t flops;    /* floating-point operations per run (estimate) */
} ds_layer_desc_t;

typedef struct ds_model_desc_t {
  uint32_t abi_version;       /* DS_ABI_VERSION of the compiler */
  const char *name;
  uint32_t num_inputs;
  const ds_tensor_desc_t *inputs;
  uint32_t num_outputs;
  const ds_tensor_desc_t *outputs;
  uint64_t arena_size;        /* bytes of intermediate buffers */
  uint64_t arena_alignment;
  uint64_t weights_size;      /* bytes of weights.bin's payload (0: none) */
  uint64_t weights_checksum;  /* FNV-1a 64 of the payload */
  /* args: inputs, outputs, the weights, then the arena. */
  void (*run)(void **args);
  uint32_t num_layers;
  const ds_layer_desc_t *layers;
  const char *platform;     /* deepseek-package --platform */
  /* CPU features the code needs, space-separated ("avx2 fma"; NULL or
   * "": none), checked by ds_model_create. */
  const char *cpu_features;
} ds_model_desc_t;

typedef struct ds_model_t ds_model_t;

/* Whether this CPU lacks one of desc->cpu_features: 1, with the first one
 * copied into `name` (truncated to size - 1 characters), or 0. A name the
 * runtime cannot check counts as lacking. */
int ds_missing_cpu_feature(const ds_model_desc_t *desc, char *name, size_t size);

/* Creates an instance of `desc`. `allocator` may be NULL (malloc). `arena`
 * may be caller memory of at least ds_model_arena_size(desc) bytes aligned
 * to desc->arena_alignment, or NULL to allocate it. DS_UNSUPPORTED_CPU: the
 * CPU lacks one of desc->cpu_features (ds_missing_cpu_feature says which). */
ds_status_t ds_model_create(const ds_model_desc_t *desc,
                            const ds_allocator_t *allocator, void *arena,
                            size_t arena_size, ds_model_t **out_model);
void ds_model_destroy(ds_model_t *model);

/* Bytes of arena a model needs. */
size_t ds_model_arena_size(const ds_model_desc_t *desc);

/* Binds a buffer to the input or output called `name`; dtype and shape must
 * match the model's. Any alignment works; at 64 bytes (a cache line), a
 * layer that reads an input or writes an output in place loads and stores
 * whole lines (ds-run aligns its buffers so). */
ds_status_t ds_model_bind_input(ds_model_t *model, const char *name,
                                ds_dtype_t dtype, int32_t rank,
                                const int64_t *shape, const void *data);
ds_status_t ds_model_bind_output(ds_model_t *model, const char *name,
                                 ds_dtype_t dtype, int32_t rank,
                                 const int64_t *shape, void *data);

/* Reads and verifies the package's weights.bin (magic, version, size and
 * checksum against the descriptor); the instance keeps them until destroyed.
 * Needed before ds_model_run when desc->weights_size is not 0. */
ds_status_t ds_model_load_weights(ds_model_t *model, const char *path);

/* Uses caller memory (the payload of weights.bin, 64-byte aligned, borrowed)
 * as the weights, after checking its size and checksum. */
ds_status_t ds_model_set_weights(ds_model_t *model, const void *data,
                                 size_t size);

/* FNV-1a 64 of `size` bytes: the weights checksum. */
uint64_t ds_checksum(const void *data, size_t size);

/* Runs the model on the bound buffers. */
ds_status_t ds_model_run(ds_model_t *model);

/* Profiles the following runs: each adds every layer's milliseconds into
 * layer_ms (desc->num_layers entries, caller-owned). NULL stops. One model
 * is profiled at a time per process. */
ds_status_t ds_model_profile(ds_model_t *model, double *layer_ms);

/* Worker threads of the process-wide pool the compiled model's kernels
 * share (matrix products split their columns among them). 1 (the default)
 * runs everything on the calling thread. */
ds_status_t ds_set_threads(int threads);
int ds_thread_count(void);

/* Runs task(ctx, i, thread) for every i in [0, count) on the pool, `thread`
 * being the worker's number in [0, ds_thread_count()); returns when all
 * are done. Called by the compiled model's kernels; not reentrant. */
void ds_parallel_for(int64_t count,
                     void (*task)(void *ctx, int64_t index, int64_t thread),
                     void *ctx);

/* Called by the compiled model before layer `layer` (and with num_layers at
 * its end); returns at once unless a profiled run is under way. */
void ds_profile_mark(int64_t layer);

/* The message of the model's last failure ("" if none). */
const char *ds_model_error(const ds_model_t *model);

const char *ds_status_string(ds_status_t status);
const char *ds_dtype_name(ds_dtype_t dtype);
size_t ds_dtype_size(ds_dtype_t dtype);
/* Elements of a shape. */
int64_t ds_shape_count(int32_t rank, const int64_t *shape);

#ifdef __cplusplus
}
#endif

#endif /* DS_RUNTIME_H */
