/*===- npy.c - read and write NumPy .npy files ----------------------------===*/

#include "npy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *descr;
  ds_dtype_t dtype;
} kTypes[] = {
    {"<f4", DS_F32}, {"<f8", DS_F64}, {"<f2", DS_F16}, {"|i1", DS_I8},
    {"<i2", DS_I16}, {"<i4", DS_I32}, {"<i8", DS_I64}, {"|u1", DS_U8},
    {"<u2", DS_U16}, {"<u4", DS_U32}, {"<u8", DS_U64}, {"|b1", DS_BOOL},
};

static const char *descr_of(ds_dtype_t dtype) {
  for (size_t i = 0; i < sizeof kTypes / sizeof *kTypes; ++i)
    if (kTypes[i].dtype == dtype)
      return kTypes[i].descr;
  return NULL;
}

void *npy_alloc(size_t bytes) {
  return aligned_alloc(64, bytes ? (bytes + 63) / 64 * 64 : 64);
}

int npy_read(const char *path, npy_array_t *out, char *error, size_t size) {
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(error, size, "%s: cannot open", path);
    return 1;
  }
  unsigned char magic[10];
  char *header = NULL;
  int status = 1;
  if (fread(magic, 1, 10, f) != 10 || memcmp(magic, "\x93NUMPY", 6) != 0) {
    snprintf(error, size, "%s: not a .npy file", path);
    goto done;
  }
  size_t header_len = magic[8] | (magic[9] << 8);
  if (magic[6] >= 2) { /* version 2 and 3: 4-byte length */
    unsigned char more[2];
    if (fread(more, 1, 2, f) != 2)
      goto truncated;
    header_len |= ((size_t)more[0] << 16) | ((size_t)more[1] << 24);
  }
  if (header_len > (1u << 20))
    goto truncated;
  header = malloc(header_len + 1);
  if (!header || fread(header, 1, header_len, f) != header_len)
    goto truncated;
  header[header_len] = '\0';

  const char *d = strstr(header, "'descr':");
  const char *fo = strstr(header, "'fortran_order':");
  const char *sh = strstr(header, "'shape':");
  if (!d || !fo || !sh) {
    snprintf(error, size, "%s: malformed .npy header", path);
    goto done;
  }
  if (strncmp(strchr(fo, ':') + 1 + strspn(strchr(fo, ':') + 1, " "), "False", 5) != 0) {
    snprintf(error, size, "%s: Fortran-ordered arrays are not supported", path);
    goto done;
  }
  d = strchr(d + 8, '\'');
  int found = 0;
  for (size_t i = 0; d && i < sizeof kTypes / sizeof *kTypes; ++i)
    if (strncmp(d + 1, kTypes[i].descr, 3) == 0 && d[4] == '\'') {
      out->dtype = kTypes[i].dtype;
      found = 1;
    }
  if (!found) {
    snprintf(error, size, "%s: unsupported dtype in header: %.40s", path, header);
    goto done;
  }
  const char *p = strchr(sh, '(');
  if (!p) {
    snprintf(error, size, "%s: malformed shape", path);
    goto done;
  }
  ++p;
  while (*p && *p != ')') {
    while (*p == ' ' || *p == ',')
      ++p;
    if (*p == ')')
      break;
    char *end;
    long long v = strtoll(p, &end, 10);
    if (end == p || v < 0 || out->rank == 16) {
      snprintf(error, size, "%s: malformed shape", path);
      goto done;
    }
    out->shape[out->rank++] = v;
    p = end;
  }
  out->bytes = (size_t)ds_shape_count(out->rank, out->shape) *
               ds_dtype_size(out->dtype);
  out->data = npy_alloc(out->bytes);
  if (!out->data) {
    snprintf(error, size, "%s: out of memory", path);
    goto done;
  }
  if (fread(out->data, 1, out->bytes, f) != out->bytes)
    goto truncated;
  status = 0;
  goto done;
truncated:
  snprintf(error, size, "%s: truncated .npy file", path);
done:
  if (status) {
    free(out->data);
    out->data = NULL;
  }
  free(header);
  fclose(f);
  return status;
}

int npy_write(const char *path, ds_dtype_t dtype, int32_t rank,
              const int64_t *shape, const void *data, char *error,
              size_t size) {
  const char *descr = descr_of(dtype);
  if (!descr) {
    snprintf(error, size, "%s: dtype %s has no .npy form", path,
             ds_dtype_name(dtype));
    return 1;
  }
  char dims[256] = "";
  for (int32_t i = 0; i < rank; ++i)
    snprintf(dims + strlen(dims), sizeof dims - strlen(dims), "%lld,%s",
             (long long)shape[i], i + 1 < rank ? " " : "");
  if (rank > 1) /* (2, 3,) -> (2, 3) */
    dims[strlen(dims) - 1] = '\0';
  char header[512];
  int n = snprintf(header, sizeof header,
                   "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                   descr, dims);
  int total = 10 + n + 1;
  int pad = (64 - total % 64) % 64;
  FILE *f = fopen(path, "wb");
  if (!f) {
    snprintf(error, size, "%s: cannot create", path);
    return 1;
  }
  unsigned len = (unsigned)(n + pad + 1);
  unsigned char magic[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                             (unsigned char)(len & 0xff),
                             (unsigned char)(len >> 8)};
  size_t bytes = (size_t)ds_shape_count(rank, shape) * ds_dtype_size(dtype);
  int ok = fwrite(magic, 1, 10, f) == 10 &&
           fwrite(header, 1, n, f) == (size_t)n;
  for (int i = 0; ok && i < pad; ++i)
    ok = fputc(' ', f) != EOF;
  ok = ok && fputc('\n', f) != EOF && fwrite(data, 1, bytes, f) == bytes;
  if (fclose(f) != 0 || !ok) {
    snprintf(error, size, "%s: write failed", path);
    remove(path);
    return 1;
  }
  return 0;
}
