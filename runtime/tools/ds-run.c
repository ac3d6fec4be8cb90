/*===- ds-run.c - run a deepseek package ----------------------------------===*
 *
 * Linked into every package together with its model; reads inputs from
 * .npy files, runs the model, writes outputs as .npy and prints latency
 * statistics.
 *
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L
#include "ds_runtime.h"
#include "npy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The package's model (model.c). */
extern const ds_model_desc_t ds_model;

static const double *profile_ms; /* for the sort below */
static int slower_first(const void *a, const void *b) {
  double x = profile_ms[*(const uint32_t *)a], y = profile_ms[*(const uint32_t *)b];
  return (x < y) - (x > y);
}

/* The per-layer table of --profile: mean milliseconds per run. */
static void print_profile(const double *layer_ms, long runs) {
  uint32_t n = ds_model.num_layers;
  uint32_t *order = calloc(n + 1, sizeof *order);
  double total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    order[i] = i;
    total += layer_ms[i];
  }
  profile_ms = layer_ms;
  qsort(order, n, sizeof *order, slower_first);
  printf("%5s  %-32s %-18s %-18s %9s %6s %9s\n", "layer", "name", "op", "shape",
         "ms", "%", "GFLOP/s");
  for (uint32_t k = 0; k < n; ++k) {
    const ds_layer_desc_t *l = &ds_model.layers[order[k]];
    double ms = layer_ms[order[k]] / runs;
    printf("%5u  %-32.32s %-18.18s %-18.18s %9.3f %5.1f%%", order[k], l->name,
           l->op, l->shape, ms, total > 0 ? 100.0 * layer_ms[order[k]] / total : 0.0);
    if (l->flops && ms > 0)
      printf(" %9.2f\n", l->flops / (ms * 1e6));
    else
      printf(" %9s\n", "-");
  }
  printf("%5s  %-32s %-18s %-18s %9.3f %5.1f%%\n", "", "total", "", "",
         total / runs, 100.0);
  free(order);
}

static void usage(FILE *to) {
  fprintf(to,
          "usage: ds-run [PKG] --input NAME=FILE.npy ... [--output-dir DIR]\n"
          "PKG is the package folder (default: the folder of this program).\n"
          "              [--iterations N] [--warmup N] [--threads N] [--print]\n"
          "              [--profile]\n"
          "Runs the package's model '%s' on .npy inputs.\n"
          "  --input NAME=FILE   bind input NAME (repeat per input)\n"
          "  --output-dir DIR    write each output as DIR/NAME.npy\n"
          "  --iterations N      timed runs (default 1); prints median/p90\n"
          "  --warmup N          untimed runs first (default 0)\n"
          "  --threads N         worker threads (default 1)\n"
          "  --print             print every output's first values\n"
          "  --profile           time every layer of the timed runs; print a\n"
          "                      table, slowest first\n"
          "Inputs:\n",
          ds_model.name);
  for (uint32_t i = 0; i < ds_model.num_inputs; ++i) {
    const ds_tensor_desc_t *t = &ds_model.inputs[i];
    fprintf(to, "  %s: %s[", t->name, ds_dtype_name(t->dtype));
    for (int32_t d = 0; d < t->rank; ++d)
      fprintf(to, "%s%lld", d ? "x" : "", (long long)t->shape[d]);
    fprintf(to, "]\n");
  }
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static long parse_count(const char *flag, const char *text) {
  char *end;
  long v = strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v < 0) {
    fprintf(stderr, "error: %s needs a non-negative integer, got '%s'\n", flag,
            text);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  const char *output_dir = NULL;
  /* The package folder: the first argument if it is not a flag, else the
   * folder this binary is in. */
  char package[4096];
  snprintf(package, sizeof package, "%s", argv[0]);
  char *slash = strrchr(package, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(package, sizeof package, ".");
  long iterations = 1, warmup = 0;
  int profile = 0;
  int print = 0;
  npy_array_t *inputs = calloc(ds_model.num_inputs + 1, sizeof *inputs);
  int *bound = calloc(ds_model.num_inputs + 1, sizeof *bound);
  char error[512];
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    int has_value = i + 1 < argc;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--input") && has_value) {
      const char *spec = argv[++i], *eq = strchr(spec, '=');
      if (!eq) {
        fprintf(stderr, "error: --input needs NAME=FILE.npy, got '%s'\n", spec);
        return 2;
      }
      uint32_t k = 0;
      while (k < ds_model.num_inputs &&
             (strlen(ds_model.inputs[k].name) != (size_t)(eq - spec) ||
              strncmp(ds_model.inputs[k].name, spec, eq - spec)))
        ++k;
      if (k == ds_model.num_inputs) {
        fprintf(stderr, "error: the model has no input named '%.*s'\n",
                (int)(eq - spec), spec);
        usage(stderr);
        return 2;
      }
      if (npy_read(eq + 1, &inputs[k], error, sizeof error)) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
      }
      bound[k] = 1;
    } else if (!strcmp(a, "--output-dir") && has_value) {
      output_dir = argv[++i];
    } else if (!strcmp(a, "--iterations") && has_value) {
      iterations = parse_count(a, argv[++i]);
      if (iterations == 0)
        iterations = 1;
    } else if (!strcmp(a, "--warmup") && has_value) {
      warmup = parse_count(a, argv[++i]);
    } else if (!strcmp(a, "--profile")) {
      profile = 1;
    } else if (!strcmp(a, "--threads") && has_value) {
      long threads = parse_count(a, argv[++i]);
      if (ds_set_threads(threads < 1 ? 1 : (int)threads) != DS_OK) {
        fprintf(stderr, "error: cannot use %ld threads\n", threads);
        return 1;
      }
    } else if (!strcmp(a, "--print")) {
      print = 1;
    } else if (a[0] != '-' && i == 1) {
      snprintf(package, sizeof package, "%s", a);
    } else {
      fprintf(stderr, "error: unknown or incomplete argument '%s'\n", a);
      usage(stderr);
      return 2;
    }
  }

  ds_model_t *model;
  ds_status_t status = ds_model_create(&ds_model, NULL, NULL, 0, &model);
  char feature[64];
  if (status == DS_UNSUPPORTED_CPU &&
      ds_missing_cpu_feature(&ds_model, feature, sizeof feature)) {
    fprintf(stderr,
            "error: %s: compiled for platform '%s', whose code needs CPU feature "
            "'%s', which this CPU lacks (package the model for a platform this "
            "machine has: deepseek-package --list-platforms)\n",
            package, ds_model.platform ? ds_model.platform : "?", feature);
    return 1;
  }
  if (status != DS_OK) {
    fprintf(stderr, "error: cannot create the model: %s\n",
            ds_status_string(status));
    return 1;
  }
  if (ds_model.weights_size) {
    char weights[4200];
    snprintf(weights, sizeof weights, "%s/weights.bin", package);
    if (ds_model_load_weights(model, weights) != DS_OK) {
      fprintf(stderr, "error: %s\n", ds_model_error(model));
      return 1;
    }
  }
  for (uint32_t k = 0; k < ds_model.num_inputs; ++k) {
    const ds_tensor_desc_t *t = &ds_model.inputs[k];
    if (!bound[k]) {
      fprintf(stderr, "error: input '%s' is not given (--input %s=FILE.npy)\n",
              t->name, t->name);
      return 2;
    }
    status = ds_model_bind_input(model, t->name, inputs[k].dtype,
                                 inputs[k].rank, inputs[k].shape, inputs[k].data);
    if (status != DS_OK) {
      fprintf(stderr, "error: %s\n", ds_model_error(model));
      return 1;
    }
  }
  void **outputs = calloc(ds_model.num_outputs + 1, sizeof *outputs);
  for (uint32_t k = 0; k < ds_model.num_outputs; ++k) {
    const ds_tensor_desc_t *t = &ds_model.outputs[k];
    size_t bytes = (size_t)ds_shape_count(t->rank, t->shape) * ds_dtype_size(t->dtype);
    outputs[k] = npy_alloc(bytes);
    if (!outputs[k]) {
      fprintf(stderr, "error: out of memory for output '%s'\n", t->name);
      return 1;
    }
    memset(outputs[k], 0, bytes);
    ds_model_bind_output(model, t->name, t->dtype, t->rank, t->shape, outputs[k]);
  }

  for (long i = 0; i < warmup; ++i)
    ds_model_run(model);
  double *layer_ms = NULL;
  if (profile) {
    layer_ms = calloc(ds_model.num_layers + 1, sizeof *layer_ms);
    ds_model_profile(model, layer_ms);
  }
  double *times = calloc(iterations, sizeof *times);
  for (long i = 0; i < iterations; ++i) {
    double start = now_ms();
    status = ds_model_run(model);
    times[i] = now_ms() - start;
    if (status != DS_OK) {
      fprintf(stderr, "error: %s\n", ds_model_error(model));
      return 1;
    }
  }
  qsort(times, iterations, sizeof *times, cmp_double);
  double total = 0;
  for (long i = 0; i < iterations; ++i)
    total += times[i];
  printf("%s: %ld iteration%s, median %.3f ms, p90 %.3f ms, min %.3f ms, mean %.3f ms\n",
         ds_model.name, iterations, iterations == 1 ? "" : "s",
         times[iterations / 2], times[(iterations * 9) / 10 < iterations ? (iterations * 9) / 10 : iterations - 1],
         times[0], total / iterations);
  if (profile)
    print_profile(layer_ms, iterations);

  for (uint32_t k = 0; k < ds_model.num_outputs; ++k) {
    const ds_tensor_desc_t *t = &ds_model.outputs[k];
    if (print && t->dtype == DS_F32) {
      int64_t n = ds_shape_count(t->rank, t->shape);
      printf("%s:", t->name);
      for (int64_t j = 0; j < n && j < 16; ++j)
        printf(" %.6g", ((const float *)outputs[k])[j]);
      printf(n > 16 ? " ...\n" : "\n");
    }
    if (output_dir) {
      if (mkdir(output_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "error: cannot create %s\n", output_dir);
        return 1;
      }
      /* Output names may hold '/', ':' and the like: keep file names plain. */
      char file[256], path[4096];
      size_t n = 0;
      for (const char *c = t->name; *c && n + 1 < sizeof file; ++c)
        file[n++] = (isalnum((unsigned char)*c) || *c == '_' || *c == '-' ||
                     *c == '.') ? *c : '_';
      file[n] = '\0';
      snprintf(path, sizeof path, "%s/%s.npy", output_dir, file);
      if (npy_write(path, t->dtype, t->rank, t->shape, outputs[k], error,
                    sizeof error)) {
        fprintf(stderr, "error: %s\n", error);
        return 1;
      }
    }
  }
  ds_model_destroy(model);
  return 0;
}
