/*===- npy.h - read and write NumPy .npy files ----------------------------===*/

#ifndef DS_RUNTIME_TOOLS_NPY_H
#define DS_RUNTIME_TOOLS_NPY_H

#include "ds_runtime.h"

typedef struct npy_array_t {
  ds_dtype_t dtype;
  int32_t rank;
  int64_t shape[16];
  void *data; /* row-major, 64-byte aligned; free() it */
  size_t bytes;
} npy_array_t;

/* Reads `path`; on failure returns non-zero and writes a message to `error`. */
int npy_read(const char *path, npy_array_t *out, char *error, size_t error_size);
/* Writes a version 1.0 .npy file; non-zero on failure. */
int npy_write(const char *path, ds_dtype_t dtype, int32_t rank,
              const int64_t *shape, const void *data, char *error,
              size_t error_size);

#endif
