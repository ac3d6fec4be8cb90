/*===- runtime.c - deepseek runtime ---------------------------------------===*/

#define _DEFAULT_SOURCE            /* madvise */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include "ds_runtime.h"
#include "cpu_features.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__aarch64__)
#include <sys/auxv.h>
#endif

struct ds_model_t {
  const ds_model_desc_t *desc;
  ds_allocator_t allocator;
  void *arena;
  int owns_arena;
  void *weights;
  int owns_weights;
  void **args; /* inputs, outputs, arena */
  double *profile; /* per-layer milliseconds, or NULL */
  char error[256];
};

/* The profiled run under way: where marks add time, and the last mark. */
static struct {
  double *layer_ms;
  int64_t layer;
  struct timespec since;
} profiling = {NULL, -1, {0, 0}};

void ds_profile_mark(int64_t layer) {
  if (!profiling.layer_ms)
    return;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (profiling.layer >= 0)
    profiling.layer_ms[profiling.layer] +=
        (now.tv_sec - profiling.since.tv_sec) * 1e3 +
        (now.tv_nsec - profiling.since.tv_nsec) * 1e-6;
  profiling.layer = layer;
  profiling.since = now;
}

/* The thread pool: workers 1..threads-1 wait for a job; the caller of
 * ds_parallel_for is worker 0. A model makes one parallel call per layer, a
 * few hundred microseconds apart (tens, in MobileNetV2), so the hand-off
 * takes no lock: the caller publishes a job by bumping the generation in
 * `ticket`, and every thread claims indices by compare-and-swap on the
 * count of unclaimed ones beside it, which fails once a newer job is
 * published, so a late worker never runs an index of a job it did not see.
 * (Under a mutex, a worker that saw the job and reached for the lock while
 * the caller held it slept in the kernel and took a wake-up per call: 2.8%
 * of ResNet-50's samples at two threads were those wake-ups.)
 *
 * Waiting, a thread spins on the counter it waits for with a pause for
 * DS_PAUSES polls (about 50 us), then with sched_yield for DS_YIELDS more
 * (about 0.6 ms where nothing else wants the core; on a crowded machine a
 * spinner that only paused would burn the time slice the thread it waits
 * for needs), and then sleeps on a condition variable. A sleeper announces
 * itself (`sleepers`, `caller_sleeps`) before it checks the counter for the
 * last time, and the other side reads that after it changes the counter
 * (both sequentially consistent), so one of them sees the other. */
enum { DS_MAX_THREADS = 64, DS_PAUSES = 2000, DS_YIELDS = 1000 };
static struct {
  pthread_mutex_t lock; /* only for sleeping */
  pthread_cond_t wake, done;
  int threads;
  pthread_t workers[DS_MAX_THREADS];
  /* The job, written before its generation is published. */
  void (*task)(void *, int64_t, int64_t);
  void *ctx;
  int64_t count;
  uint64_t ticket;  /* generation << 32 | how many indices are unclaimed */
  int64_t finished; /* indices of the job that have run */
  int sleepers, caller_sleeps;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
          PTHREAD_COND_INITIALIZER, 1, {0}, NULL, NULL, 0, 0, 0, 0, 0};

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static inline uint32_t generation(void) {
  return (uint32_t)(__atomic_load_n(&pool.ticket, __ATOMIC_SEQ_CST) >> 32);
}

/* One poll of a spin: a pause, or a yield once DS_PAUSES have passed. */
static void spin(int i) {
  if (i < DS_PAUSES)
    relax();
  else
    sched_yield();
}

/* Claims and runs indices of job `gen` until none is left, or a newer job
 * is published (then all of gen's were claimed). A claim counts the
 * ticket's remaining indices down, so that it fails on a spent job by the
 * ticket alone; the job's fields are read after it, when they cannot
 * change before this index is finished. */
static void run_job(uint32_t gen, int64_t thread) {
  for (;;) {
    uint64_t t = __atomic_load_n(&pool.ticket, __ATOMIC_ACQUIRE);
    if ((uint32_t)(t >> 32) != gen || (uint32_t)t == 0)
      return;
    if (!__atomic_compare_exchange_n(&pool.ticket, &t, t - 1, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
      continue;
    int64_t count = pool.count;
    pool.task(pool.ctx, count - (uint32_t)t, thread);
    if (__atomic_add_fetch(&pool.finished, 1, __ATOMIC_SEQ_CST) == count &&
        __atomic_load_n(&pool.caller_sleeps, __ATOMIC_SEQ_CST)) {
      pthread_mutex_lock(&pool.lock);
      pthread_cond_signal(&pool.done);
      pthread_mutex_unlock(&pool.lock);
    }
  }
}

static void *worker(void *arg) {
  int64_t thread = (int64_t)(intptr_t)arg;
  /* A job published before this thread first looks is the caller's alone. */
  uint32_t seen = generation();
  for (;;) {
    for (int i = 0; generation() == seen && i < DS_PAUSES + DS_YIELDS; ++i)
      spin(i);
    if (generation() == seen) {
      pthread_mutex_lock(&pool.lock);
      __atomic_add_fetch(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
      while (generation() == seen)
        pthread_cond_wait(&pool.wake, &pool.lock);
      __atomic_sub_fetch(&pool.sleepers, 1, __ATOMIC_SEQ_CST);
      pthread_mutex_unlock(&pool.lock);
    }
    seen = generation();
    if (thread < __atomic_load_n(&pool.threads, __ATOMIC_RELAXED))
      run_job(seen, thread); /* else idle since ds_set_threads lowered the count */
  }
  return NULL;
}

ds_status_t ds_set_threads(int threads) {
  if (threads < 1 || threads > DS_MAX_THREADS)
    return DS_INVALID_ARGUMENT;
  /* Workers only grow; a smaller count leaves the rest idle. */
  for (int t = pool.threads > 1 ? pool.threads : 1; t < threads; ++t)
    if (!pool.workers[t] &&
        pthread_create(&pool.workers[t], NULL, worker, (void *)(intptr_t)t))
      return DS_OUT_OF_MEMORY;
  __atomic_store_n(&pool.threads, threads, __ATOMIC_RELAXED);
  return DS_OK;
}

int ds_thread_count(void) { return pool.threads; }

void ds_parallel_for(int64_t count,
                     void (*task)(void *ctx, int64_t index, int64_t thread),
                     void *ctx) {
  /* One caller at a time (the model's thread); indices fit the ticket. */
  if (pool.threads <= 1 || count <= 1 || count > INT32_MAX) {
    for (int64_t i = 0; i < count; ++i)
      task(ctx, i, 0);
    return;
  }
  pool.task = task;
  pool.ctx = ctx;
  pool.count = count;
  pool.finished = 0;
  uint32_t gen = generation() + 1;
  __atomic_store_n(&pool.ticket, (uint64_t)gen << 32 | (uint64_t)count, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&pool.sleepers, __ATOMIC_SEQ_CST)) {
    pthread_mutex_lock(&pool.lock);
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
  }
  run_job(gen, 0);
  /* Every index is claimed; wait for the workers still running one. */
  for (int i = 0; __atomic_load_n(&pool.finished, __ATOMIC_SEQ_CST) < count &&
                  i < DS_PAUSES + DS_YIELDS;
       ++i)
    spin(i);
  if (__atomic_load_n(&pool.finished, __ATOMIC_SEQ_CST) < count) {
    pthread_mutex_lock(&pool.lock);
    __atomic_store_n(&pool.caller_sleeps, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&pool.finished, __ATOMIC_SEQ_CST) < count)
      pthread_cond_wait(&pool.done, &pool.lock);
    __atomic_store_n(&pool.caller_sleeps, 0, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&pool.lock);
  }
}

ds_status_t ds_model_profile(ds_model_t *model, double *layer_ms) {
  if (!model)
    return DS_INVALID_ARGUMENT;
  model->profile = layer_ms;
  return DS_OK;
}

enum { HUGE_PAGE = 2 << 20 };

static void *system_alloc(void *user, size_t size, size_t alignment) {
  (void)user;
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
#ifdef MADV_HUGEPAGE
  /* The arena and the weights: in 2 MB pages where the kernel allows them
   * (transparent huge pages in mode "always" or "madvise"), so a
   * layer's sweep over megabytes of activations or weights takes a TLB
   * entry per 2 MB, not per 4 KB (MobileNetV2 and EfficientNet-B0 1-5%
   * faster, ResNet-50 the same). Rounded up: at most 2 MB - 1 bytes more. */
  if (size >= HUGE_PAGE && alignment <= HUGE_PAGE) {
    size = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = aligned_alloc(HUGE_PAGE, size);
    if (p)
      madvise(p, size, MADV_HUGEPAGE); /* a hint: failing is harmless */
    return p;
  }
#endif
  size = (size + alignment - 1) / alignment * alignment;
  return aligned_alloc(alignment, size ? size : alignment);
}

static void system_free(void *user, void *ptr) {
  (void)user;
  free(ptr);
}

static ds_status_t fail(ds_model_t *model, ds_status_t status,
                        const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(model->error, sizeof model->error, format, args);
  va_end(args);
  return status;
}

const char *ds_status_string(ds_status_t status) {
  switch (status) {
  case DS_OK: return "ok";
  case DS_INVALID_ARGUMENT: return "invalid argument";
  case DS_NOT_FOUND: return "not found";
  case DS_SHAPE_MISMATCH: return "shape mismatch";
  case DS_DTYPE_MISMATCH: return "dtype mismatch";
  case DS_OUT_OF_MEMORY: return "out of memory";
  case DS_UNBOUND: return "unbound input or output";
  case DS_INCOMPATIBLE: return "incompatible model";
  case DS_CORRUPT: return "corrupt or mismatched weights";
  case DS_IO_ERROR: return "I/O error";
  case DS_UNSUPPORTED_CPU: return "the CPU lacks an instruction set the model needs";
  }
  return "unknown status";
}

const char *ds_dtype_name(ds_dtype_t dtype) {
  static const char *names[] = {"?",    "f32",  "f64", "f16", "bf16",
                                "i8",   "i16",  "i32", "i64", "u8",
                                "u16",  "u32",  "u64", "bool"};
  return (unsigned)dtype < sizeof names / sizeof *names ? names[dtype] : "?";
}

size_t ds_dtype_size(ds_dtype_t dtype) {
  switch (dtype) {
  case DS_F64: case DS_I64: case DS_U64: return 8;
  case DS_F32: case DS_I32: case DS_U32: return 4;
  case DS_F16: case DS_BF16: case DS_I16: case DS_U16: return 2;
  case DS_I8: case DS_U8: case DS_BOOL: return 1;
  }
  return 0;
}

int64_t ds_shape_count(int32_t rank, const int64_t *shape) {
  int64_t n = 1;
  for (int32_t i = 0; i < rank; ++i)
    n *= shape[i];
  return n;
}

size_t ds_model_arena_size(const ds_model_desc_t *desc) {
  return desc ? (size_t)desc->arena_size : 0;
}

/* Whether this CPU has the feature of cpu_features.h called name[0:length]
 * (no for any other name). */
static int has_cpu_feature(const char *name, size_t length) {
#if defined(__x86_64__)
#define CHECK(feature)                                                         \
  if (length == sizeof feature - 1 && !memcmp(name, feature, length))          \
    return __builtin_cpu_supports(feature) != 0;
  DS_X86_FEATURES(CHECK)
#undef CHECK
#elif defined(__aarch64__)
  unsigned long caps = getauxval(AT_HWCAP);
#define CHECK(feature, bit)                                                    \
  if (length == sizeof feature - 1 && !memcmp(name, feature, length))          \
    return (int)((caps >> (bit)) & 1);
  DS_AARCH64_FEATURES(CHECK)
#undef CHECK
#endif
  (void)name;
  (void)length;
  return 0;
}

int ds_missing_cpu_feature(const ds_model_desc_t *desc, char *name, size_t size) {
  const char *p = desc ? desc->cpu_features : NULL;
  while (p && *p) {
    size_t length = strcspn(p, " ");
    if (length && !has_cpu_feature(p, length)) {
      if (size) {
        size_t n = length < size - 1 ? length : size - 1;
        memcpy(name, p, n);
        name[n] = '\0';
      }
      return 1;
    }
    p += length + (p[length] == ' ');
  }
  return 0;
}

ds_status_t ds_model_create(const ds_model_desc_t *desc,
                            const ds_allocator_t *allocator, void *arena,
                            size_t arena_size, ds_model_t **out_model) {
  if (!desc || !out_model)
    return DS_INVALID_ARGUMENT;
  *out_model = NULL;
  if (desc->abi_version != DS_ABI_VERSION)
    return DS_INCOMPATIBLE;
  if (ds_missing_cpu_feature(desc, NULL, 0))
    return DS_UNSUPPORTED_CPU;
  ds_allocator_t a = allocator ? *allocator
                               : (ds_allocator_t){system_alloc, system_free, 0};
  ds_model_t *model = a.alloc(a.user, sizeof *model, _Alignof(ds_model_t));
  if (!model)
    return DS_OUT_OF_MEMORY;
  memset(model, 0, sizeof *model);
  model->desc = desc;
  model->allocator = a;
  size_t slots = desc->num_inputs + desc->num_outputs + 2;
  model->args = a.alloc(a.user, slots * sizeof(void *), _Alignof(void *));
  if (!model->args) {
    a.free(a.user, model);
    return DS_OUT_OF_MEMORY;
  }
  memset(model->args, 0, slots * sizeof(void *));
  if (arena) {
    if (arena_size < desc->arena_size ||
        ((uintptr_t)arena % desc->arena_alignment) != 0) {
      a.free(a.user, model->args);
      a.free(a.user, model);
      return DS_INVALID_ARGUMENT;
    }
    model->arena = arena;
  } else {
    model->arena = a.alloc(a.user, desc->arena_size ? desc->arena_size : 1,
                           desc->arena_alignment);
    model->owns_arena = 1;
    if (!model->arena) {
      a.free(a.user, model->args);
      a.free(a.user, model);
      return DS_OUT_OF_MEMORY;
    }
  }
  model->args[slots - 1] = model->arena;
  *out_model = model;
  return DS_OK;
}

void ds_model_destroy(ds_model_t *model) {
  if (!model)
    return;
  ds_allocator_t a = model->allocator;
  if (model->owns_weights)
    a.free(a.user, model->weights);
  if (model->owns_arena)
    a.free(a.user, model->arena);
  a.free(a.user, model->args);
  a.free(a.user, model);
}

static ds_status_t bind(ds_model_t *model, const ds_tensor_desc_t *tensors,
                        uint32_t count, uint32_t first_slot, const char *kind,
                        const char *name, ds_dtype_t dtype, int32_t rank,
                        const int64_t *shape, void *data) {
  if (!model)
    return DS_INVALID_ARGUMENT;
  if (!name || !data || (rank > 0 && !shape))
    return fail(model, DS_INVALID_ARGUMENT, "bind %s: null argument", kind);
  for (uint32_t i = 0; i < count; ++i) {
    const ds_tensor_desc_t *t = &tensors[i];
    if (strcmp(t->name, name) != 0)
      continue;
    if (t->dtype != dtype)
      return fail(model, DS_DTYPE_MISMATCH, "%s '%s' is %s, not %s", kind,
                  name, ds_dtype_name(t->dtype), ds_dtype_name(dtype));
    int same = t->rank == rank;
    for (int32_t d = 0; same && d < rank; ++d)
      same = t->shape[d] == shape[d];
    if (!same) {
      char want[128] = "", got[128] = "";
      for (int32_t d = 0; d < t->rank; ++d)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld",
                 d ? "x" : "", (long long)t->shape[d]);
      for (int32_t d = 0; d < rank; ++d)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld",
                 d ? "x" : "", (long long)shape[d]);
      return fail(model, DS_SHAPE_MISMATCH, "%s '%s' has shape [%s], not [%s]",
                  kind, name, want, got);
    }
    model->args[first_slot + i] = data;
    return DS_OK;
  }
  return fail(model, DS_NOT_FOUND, "the model has no %s named '%s'", kind,
              name);
}

ds_status_t ds_model_bind_input(ds_model_t *model, const char *name,
                                ds_dtype_t dtype, int32_t rank,
                                const int64_t *shape, const void *data) {
  /* The model only reads inputs; args holds them as plain pointers. */
  void *ptr;
  memcpy(&ptr, &data, sizeof ptr);
  return bind(model, model ? model->desc->inputs : NULL,
              model ? model->desc->num_inputs : 0, 0, "input", name, dtype,
              rank, shape, ptr);
}

ds_status_t ds_model_bind_output(ds_model_t *model, const char *name,
                                 ds_dtype_t dtype, int32_t rank,
                                 const int64_t *shape, void *data) {
  return bind(model, model ? model->desc->outputs : NULL,
              model ? model->desc->num_outputs : 0,
              model ? model->desc->num_inputs : 0, "output", name, dtype,
              rank, shape, data);
}

uint64_t ds_checksum(const void *data, size_t size) {
  const unsigned char *p = data;
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

static uint64_t read_u64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

static uint32_t read_u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static ds_status_t check_weights(ds_model_t *model, const void *data,
                                 uint64_t size, const char *what) {
  const ds_model_desc_t *d = model->desc;
  if (size != d->weights_size)
    return fail(model, DS_CORRUPT, "%s: %llu bytes of weights, the model needs %llu",
                what, (unsigned long long)size,
                (unsigned long long)d->weights_size);
  if (ds_checksum(data, size) != d->weights_checksum)
    return fail(model, DS_CORRUPT,
                "%s: the weights' checksum does not match the model's "
                "(damaged file, or weights of another model)", what);
  return DS_OK;
}

ds_status_t ds_model_set_weights(ds_model_t *model, const void *data,
                                 size_t size) {
  if (!model || (!data && size))
    return DS_INVALID_ARGUMENT;
  ds_status_t status = check_weights(model, data, size, "weights");
  if (status != DS_OK)
    return status;
  if (model->owns_weights)
    model->allocator.free(model->allocator.user, model->weights);
  memcpy(&model->weights, &data, sizeof data); /* read-only to the model */
  model->owns_weights = 0;
  model->args[model->desc->num_inputs + model->desc->num_outputs] = model->weights;
  return DS_OK;
}

ds_status_t ds_model_load_weights(ds_model_t *model, const char *path) {
  if (!model || !path)
    return DS_INVALID_ARGUMENT;
  FILE *f = fopen(path, "rb");
  if (!f)
    return fail(model, DS_IO_ERROR, "%s: cannot open", path);
  unsigned char header[DS_WEIGHTS_HEADER_SIZE];
  ds_status_t status = DS_OK;
  void *data = NULL;
  if (fread(header, 1, sizeof header, f) != sizeof header) {
    status = fail(model, DS_CORRUPT, "%s: truncated (no complete header)", path);
    goto done;
  }
  if (memcmp(header, DS_WEIGHTS_MAGIC, 8) != 0) {
    status = fail(model, DS_CORRUPT, "%s: not a deepseek weights file (bad magic)", path);
    goto done;
  }
  if (read_u32(header + 8) != DS_WEIGHTS_VERSION ||
      read_u32(header + 12) != DS_WEIGHTS_HEADER_SIZE) {
    status = fail(model, DS_INCOMPATIBLE, "%s: weights format version %u is not %u",
                  path, read_u32(header + 8), DS_WEIGHTS_VERSION);
    goto done;
  }
  uint64_t size = read_u64(header + 16);
  if (size != model->desc->weights_size) {
    status = fail(model, DS_CORRUPT, "%s: holds %llu bytes of weights, the model needs %llu",
                  path, (unsigned long long)size,
                  (unsigned long long)model->desc->weights_size);
    goto done;
  }
  if (read_u64(header + 24) != model->desc->weights_checksum) {
    status = fail(model, DS_CORRUPT, "%s: made for another model (checksum differs)", path);
    goto done;
  }
  data = model->allocator.alloc(model->allocator.user, size ? size : 1, 64);
  if (!data) {
    status = fail(model, DS_OUT_OF_MEMORY, "%s: cannot allocate %llu bytes", path,
                  (unsigned long long)size);
    goto done;
  }
  if (fread(data, 1, size, f) != size) {
    status = fail(model, DS_CORRUPT, "%s: truncated (%llu bytes of weights expected)",
                  path, (unsigned long long)size);
    goto done;
  }
  status = check_weights(model, data, size, path);
  if (status == DS_OK) {
    if (model->owns_weights)
      model->allocator.free(model->allocator.user, model->weights);
    model->weights = data;
    model->owns_weights = 1;
    model->args[model->desc->num_inputs + model->desc->num_outputs] = data;
    data = NULL;
  }
done:
  if (data)
    model->allocator.free(model->allocator.user, data);
  fclose(f);
  return status;
}

ds_status_t ds_model_run(ds_model_t *model) {
  if (!model)
    return DS_INVALID_ARGUMENT;
  const ds_model_desc_t *d = model->desc;
  if (d->weights_size && !model->weights)
    return fail(model, DS_UNBOUND, "the weights are not loaded "
                                   "(ds_model_load_weights)");
  for (uint32_t i = 0; i < d->num_inputs + d->num_outputs; ++i)
    if (!model->args[i]) {
      int input = i < d->num_inputs;
      return fail(model, DS_UNBOUND, "%s '%s' is not bound",
                  input ? "input" : "output",
                  input ? d->inputs[i].name
                        : d->outputs[i - d->num_inputs].name);
    }
  if (model->profile) {
    profiling.layer_ms = model->profile;
    profiling.layer = -1;
  }
  d->run(model->args);
  profiling.layer_ms = NULL;
  model->error[0] = '\0';
  return DS_OK;
}

const char *ds_model_error(const ds_model_t *model) {
  return model ? model->error : "no model";
}
