/*===- npy.h - read and write NumPy .npy files ----------------------------===*/

#ifndef DS_RUNTIME_TOOLS_NPY_H
#define DS_RUNTIME_TOOLS_NPY_H

#include "ds_runtime.h"

typedef struct npy_array_t {
  ds_dtype_t dtype;
  int32_t rank;
  int64_t shape[16];
  void *data; /* row-major, from npy_alloc; free() it */
  size_t bytes;
} npy_array_t;

/* `bytes` (at least one) on a cache line, as a model's own buffers are, or
 * NULL; free() it. A layer that reads an input (or writes an output) in
 * place then loads whole lines: at malloc's 16-byte alignment it split
 * every vector load over two. */
void *npy_alloc(size_t bytes);
/* Reads `path` into an npy_alloc buffer; on failure returns non-zero and
 * writes a message to `error`. */
int npy_read(const char *path, npy_array_t *out, char *error, size_t error_size);
/* Writes a version 1.0 .npy file; non-zero on failure. */
int npy_write(const char *path, ds_dtype_t dtype, int32_t rank,
              const int64_t *shape, const void *data, char *error,
              size_t error_size);

#endif
