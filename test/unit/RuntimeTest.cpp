//===- RuntimeTest.cpp - the C runtime's API --------------------*- C++ -*-===//
//
// A hand-written model (y = x + 1 through a 16-byte arena) exercises the
// runtime without the compiler.
//
//===----------------------------------------------------------------------===//

#include "ds_runtime.h"
extern "C" {
#include "npy.h"
}

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

void addOne(void **args) {
  const float *x = static_cast<const float *>(args[0]);
  float *y = static_cast<float *>(args[1]);
  float *scratch = static_cast<float *>(args[3]); // args[2]: weights
  ds_profile_mark(0);
  for (int i = 0; i < 4; ++i)
    scratch[i] = x[i] + 1;
  ds_profile_mark(1);
  for (int i = 0; i < 4; ++i)
    y[i] = scratch[i];
  ds_profile_mark(2);
}

const int64_t kShape[] = {2, 2};
const ds_tensor_desc_t kInputs[] = {{"x", DS_F32, 2, kShape}};
const ds_tensor_desc_t kOutputs[] = {{"y", DS_F32, 2, kShape}};
const ds_layer_desc_t kLayers[] = {{"plus", "add", "2x2", 4},
                                   {"copy", "identity", "2x2", 0}};
const ds_model_desc_t kModel = {DS_ABI_VERSION, "add_one", 1, kInputs, 1,
                                kOutputs, 16, 64, 0, 0, addOne, 2, kLayers,
                                "test", ""};

/// Counts what passes through it, to prove create/destroy balance.
struct CountingAllocator {
  int live = 0, calls = 0;
  static void *alloc(void *user, size_t size, size_t alignment) {
    auto *self = static_cast<CountingAllocator *>(user);
    ++self->live;
    ++self->calls;
    return std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  }
  static void release(void *user, void *ptr) {
    --static_cast<CountingAllocator *>(user)->live;
    std::free(ptr);
  }
  ds_allocator_t api() { return {alloc, release, this}; }
};

} // namespace

TEST_CASE("a model runs on bound buffers through the injected allocator") {
  CountingAllocator counter;
  ds_allocator_t allocator = counter.api();
  ds_model_t *model = nullptr;
  REQUIRE(ds_model_create(&kModel, &allocator, nullptr, 0, &model) == DS_OK);
  float x[4] = {1, 2, 3, 4}, y[4] = {};
  REQUIRE(ds_model_bind_input(model, "x", DS_F32, 2, kShape, x) == DS_OK);
  REQUIRE(ds_model_bind_output(model, "y", DS_F32, 2, kShape, y) == DS_OK);
  REQUIRE(ds_model_run(model) == DS_OK);
  CHECK(y[0] == 2);
  CHECK(y[3] == 5);
  CHECK(counter.live > 0);
  ds_model_destroy(model);
  CHECK(counter.live == 0);
}

TEST_CASE("a caller-provided arena is used, and checked") {
  alignas(64) static unsigned char arena[64];
  ds_model_t *model = nullptr;
  CHECK(ds_model_arena_size(&kModel) == 16);
  // Too small, then misaligned.
  CHECK(ds_model_create(&kModel, nullptr, arena, 8, &model) == DS_INVALID_ARGUMENT);
  CHECK(ds_model_create(&kModel, nullptr, arena + 4, 32, &model) == DS_INVALID_ARGUMENT);
  CHECK(model == nullptr);
  REQUIRE(ds_model_create(&kModel, nullptr, arena, sizeof arena, &model) == DS_OK);
  float x[4] = {0, 0, 0, 7}, y[4];
  ds_model_bind_input(model, "x", DS_F32, 2, kShape, x);
  ds_model_bind_output(model, "y", DS_F32, 2, kShape, y);
  REQUIRE(ds_model_run(model) == DS_OK);
  float scratch;
  std::memcpy(&scratch, arena + 12, sizeof scratch);
  CHECK(scratch == 8); // the model's scratch lives in our arena
  ds_model_destroy(model);
}

TEST_CASE("bindings are checked by name, dtype and shape") {
  ds_model_t *model = nullptr;
  REQUIRE(ds_model_create(&kModel, nullptr, nullptr, 0, &model) == DS_OK);
  float data[6] = {};
  const int64_t wrong[] = {3, 2};
  CHECK(ds_model_bind_input(model, "z", DS_F32, 2, kShape, data) == DS_NOT_FOUND);
  CHECK(std::string(ds_model_error(model)) == "the model has no input named 'z'");
  CHECK(ds_model_bind_input(model, "x", DS_I32, 2, kShape, data) == DS_DTYPE_MISMATCH);
  CHECK(ds_model_bind_input(model, "x", DS_F32, 2, wrong, data) == DS_SHAPE_MISMATCH);
  CHECK(std::string(ds_model_error(model)) == "input 'x' has shape [2x2], not [3x2]");
  CHECK(ds_model_bind_output(model, "x", DS_F32, 2, kShape, data) == DS_NOT_FOUND);
  CHECK(ds_model_bind_input(model, "x", DS_F32, 2, kShape, nullptr) == DS_INVALID_ARGUMENT);
  // Nothing bound: run refuses and names what is missing.
  CHECK(ds_model_run(model) == DS_UNBOUND);
  CHECK(std::string(ds_model_error(model)) == "input 'x' is not bound");
  ds_model_destroy(model);
}

TEST_CASE("a descriptor from another ABI version is refused") {
  ds_model_desc_t other = kModel;
  other.abi_version = DS_ABI_VERSION + 1;
  ds_model_t *model = nullptr;
  CHECK(ds_model_create(&other, nullptr, nullptr, 0, &model) == DS_INCOMPATIBLE);
  CHECK(model == nullptr);
  CHECK(ds_model_create(nullptr, nullptr, nullptr, 0, &model) == DS_INVALID_ARGUMENT);
}

TEST_CASE("a model for CPU features this CPU lacks is refused, naming the first") {
  ds_model_desc_t desc = kModel;
  char name[8];
  CHECK(ds_missing_cpu_feature(&desc, name, sizeof name) == 0);
  desc.cpu_features = nullptr;
  CHECK(ds_missing_cpu_feature(&desc, name, sizeof name) == 0);
  // A name no runtime checks counts as lacking; truncated to fit.
#if defined(__x86_64__)
  desc.cpu_features = "avx2  no-such-feature fma";
  bool has = __builtin_cpu_supports("avx2");
#elif defined(__aarch64__)
  desc.cpu_features = "asimd  no-such-feature asimd";
  bool has = true;
#else
  desc.cpu_features = "no-such-feature";
  bool has = true;
#endif
  CHECK(ds_missing_cpu_feature(&desc, name, sizeof name) == 1);
  CHECK(std::string(name) == (has ? "no-such" : "avx2"));
  ds_model_t *model = nullptr;
  CHECK(ds_model_create(&desc, nullptr, nullptr, 0, &model) == DS_UNSUPPORTED_CPU);
  CHECK(model == nullptr);
  CHECK(std::string(ds_status_string(DS_UNSUPPORTED_CPU)).find("CPU") != std::string::npos);
}

TEST_CASE("weights are refused unless size and checksum match") {
  alignas(64) static const unsigned char payload[64] = {1, 2, 3};
  ds_model_desc_t desc = kModel;
  desc.weights_size = sizeof payload;
  desc.weights_checksum = ds_checksum(payload, sizeof payload);
  ds_model_t *model = nullptr;
  REQUIRE(ds_model_create(&desc, nullptr, nullptr, 0, &model) == DS_OK);
  float x[4] = {}, y[4];
  ds_model_bind_input(model, "x", DS_F32, 2, kShape, x);
  ds_model_bind_output(model, "y", DS_F32, 2, kShape, y);
  CHECK(ds_model_run(model) == DS_UNBOUND);
  CHECK(std::string(ds_model_error(model)).find("weights are not loaded") != std::string::npos);
  CHECK(ds_model_set_weights(model, payload, 32) == DS_CORRUPT);
  alignas(64) unsigned char flipped[64];
  std::memcpy(flipped, payload, sizeof flipped);
  flipped[40] ^= 1;
  CHECK(ds_model_set_weights(model, flipped, sizeof flipped) == DS_CORRUPT);
  CHECK(std::string(ds_model_error(model)).find("checksum") != std::string::npos);
  CHECK(ds_model_set_weights(model, payload, sizeof payload) == DS_OK);
  CHECK(ds_model_run(model) == DS_OK);
  CHECK(ds_model_load_weights(model, "/nonexistent/weights.bin") == DS_IO_ERROR);
  ds_model_destroy(model);
}

TEST_CASE("a profiled run adds time to every layer, and only then") {
  ds_model_t *model = nullptr;
  REQUIRE(ds_model_create(&kModel, nullptr, nullptr, 0, &model) == DS_OK);
  float x[4] = {1, 2, 3, 4}, y[4] = {};
  REQUIRE(ds_model_bind_input(model, "x", DS_F32, 2, kShape, x) == DS_OK);
  REQUIRE(ds_model_bind_output(model, "y", DS_F32, 2, kShape, y) == DS_OK);
  double ms[3] = {-1, -1, -1};
  REQUIRE(ds_model_run(model) == DS_OK); // Not profiled: untouched.
  CHECK(ms[0] == -1);
  ms[0] = ms[1] = ms[2] = 0;
  REQUIRE(ds_model_profile(model, ms) == DS_OK);
  REQUIRE(ds_model_run(model) == DS_OK);
  CHECK(ms[0] >= 0);
  CHECK(ms[1] >= 0);
  CHECK(ms[2] == 0); // The end mark opens no layer.
  REQUIRE(ds_model_profile(model, nullptr) == DS_OK);
  double before = ms[0];
  REQUIRE(ds_model_run(model) == DS_OK);
  CHECK(ms[0] == before);
  ds_model_destroy(model);
}

TEST_CASE("the thread pool runs every index once, on any thread count") {
  for (int threads : {1, 3, 2, 1}) {
    REQUIRE(ds_set_threads(threads) == DS_OK);
    CHECK(ds_thread_count() == threads);
    int hits[100] = {};
    int64_t maxThread = 0;
    struct Ctx {
      int *hits;
      int64_t *maxThread;
    } ctx{hits, &maxThread};
    for (int round = 0; round < 20; ++round)
      ds_parallel_for(
          100,
          [](void *c, int64_t i, int64_t thread) {
            auto *ctx = static_cast<Ctx *>(c);
            __atomic_fetch_add(&ctx->hits[i], 1, __ATOMIC_RELAXED);
            int64_t seen = __atomic_load_n(ctx->maxThread, __ATOMIC_RELAXED);
            while (thread > seen &&
                   !__atomic_compare_exchange_n(ctx->maxThread, &seen, thread, false,
                                                __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            }
          },
          &ctx);
    for (int i = 0; i < 100; ++i)
      CHECK(hits[i] == 20);
    CHECK(maxThread < threads);
  }
  CHECK(ds_set_threads(0) == DS_INVALID_ARGUMENT);
  CHECK(ds_set_threads(1000) == DS_INVALID_ARGUMENT);
}

TEST_CASE("jobs spaced past each phase of the wait run every index once") {
  // Workers wait for a job by pausing (about 50 us), then yielding the core
  // (about 0.6 ms more), then sleeping; the caller waits for them likewise.
  // Jobs 0, 0.2 and 20 ms apart reach each phase, with more threads than this
  // machine likely has cores, so that yields hand the core to another
  // thread of the pool. Each index takes 0.2 ms, so that a sleeping worker
  // woken by a job takes some of its indices before the caller has run
  // them all.
  REQUIRE(ds_set_threads(5) == DS_OK);
  struct Ctx {
    int64_t total = 0, helpers = 0;
  } ctx;
  int64_t expected = 0;
  for (int round = 0; round < 60; ++round) {
    int phase = round % 3;
    std::this_thread::sleep_for(std::chrono::microseconds(phase == 0   ? 0
                                                          : phase == 1 ? 200
                                                                       : 20000));
    int64_t helpersBefore = ctx.helpers;
    ds_parallel_for(
        7,
        [](void *c, int64_t i, int64_t thread) {
          auto *ctx = static_cast<Ctx *>(c);
          auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
          while (std::chrono::steady_clock::now() < until) {
          }
          __atomic_fetch_add(&ctx->total, i + 1, __ATOMIC_RELAXED);
          if (thread != 0)
            __atomic_fetch_add(&ctx->helpers, 1, __ATOMIC_RELAXED);
        },
        &ctx);
    expected += 28;
    REQUIRE(__atomic_load_n(&ctx.total, __ATOMIC_RELAXED) == expected);
    if (phase != 2)
      ctx.helpers = helpersBefore; // Counted only after sleeps.
  }
  // Workers asleep when a job came were woken for it.
  CHECK(ctx.helpers > 0);
  REQUIRE(ds_set_threads(1) == DS_OK);
}

TEST_CASE("a late worker never runs an index of a job with the next job's context") {
  // Indices are claimed without a lock, against the job's generation: a
  // worker that read one job's fields while the caller published the next
  // must not run either job's index with the other's context or count.
  REQUIRE(ds_set_threads(3) == DS_OK);
  // hits[8] counts indices a job does not have, run with its context.
  struct Job {
    int64_t count;
    int hits[9];
  };
  Job jobs[2] = {{3, {}}, {8, {}}};
  for (int round = 0; round < 4000; ++round) {
    Job &job = jobs[round % 2];
    ds_parallel_for(
        job.count,
        [](void *c, int64_t i, int64_t) {
          auto *job = static_cast<Job *>(c);
          if (i < job->count)
            __atomic_fetch_add(&job->hits[i], 1, __ATOMIC_RELAXED);
          else
            __atomic_fetch_add(&job->hits[8], 1, __ATOMIC_RELAXED);
        },
        &job);
  }
  for (const Job &job : jobs) {
    for (int64_t i = 0; i < job.count; ++i)
      CHECK(job.hits[i] == 2000);
    CHECK(job.hits[8] == 0);
  }
  REQUIRE(ds_set_threads(1) == DS_OK);
}

TEST_CASE("back-to-back tiny jobs neither lose nor repeat an index") {
  // Workers spin between jobs and the caller spins on their completion: a
  // job must not end before every index ran, nor a late worker run an
  // index of a finished job.
  REQUIRE(ds_set_threads(2) == DS_OK);
  int64_t total = 0, expected = 0;
  for (int round = 0; round < 5000; ++round) {
    int64_t count = 2 + round % 3;
    ds_parallel_for(
        count,
        [](void *c, int64_t i, int64_t) {
          __atomic_fetch_add(static_cast<int64_t *>(c), i + 1, __ATOMIC_RELAXED);
        },
        &total);
    expected += count * (count + 1) / 2;
    REQUIRE(__atomic_load_n(&total, __ATOMIC_RELAXED) == expected);
  }
  REQUIRE(ds_set_threads(1) == DS_OK);
}

TEST_CASE("npy_read round-trips npy_write's file into a cache-line-aligned buffer") {
  // The buffer is what ds-run binds as the model's input: at malloc's
  // 16-byte alignment, a first layer reading it in place split every
  // vector load over two cache lines.
  std::string path = (std::filesystem::temp_directory_path() /
                      ("ds-npy-roundtrip-" + std::to_string(getpid()) + ".npy"))
                         .string();
  const int64_t shape[] = {3, 5, 7};
  float values[3 * 5 * 7];
  for (int i = 0; i < 3 * 5 * 7; ++i)
    values[i] = 0.5f * i - 3;
  char error[256] = "";
  REQUIRE(npy_write(path.c_str(), DS_F32, 3, shape, values, error, sizeof error) == 0);
  npy_array_t a;
  int status = npy_read(path.c_str(), &a, error, sizeof error);
  std::remove(path.c_str());
  REQUIRE(status == 0);
  CHECK(a.dtype == DS_F32);
  REQUIRE(a.rank == 3);
  CHECK((a.shape[0] == 3 && a.shape[1] == 5 && a.shape[2] == 7));
  REQUIRE(a.bytes == sizeof values);
  CHECK(reinterpret_cast<uintptr_t>(a.data) % 64 == 0);
  CHECK(std::memcmp(a.data, values, sizeof values) == 0);
  std::free(a.data);
  // ds-run's outputs come from the same allocator, empty ones included.
  for (size_t bytes : {0, 1, 64, 65}) {
    void *p = npy_alloc(bytes);
    CHECK(p != nullptr);
    CHECK(reinterpret_cast<uintptr_t>(p) % 64 == 0);
    std::free(p);
  }
}
