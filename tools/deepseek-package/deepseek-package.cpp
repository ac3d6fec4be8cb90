//===- deepseek-package.cpp - compile a model into a deploy package -*- C++ -*-===//

#include "compiler/Import/ONNX/ONNXImporter.h"
#include "compiler/InitAll.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Support/Diagnostics.h"
#include "targets/Common/Target.h"

#include "ds_runtime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

using namespace mlir;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

struct TensorInfo {
  std::string name, dtype; // dtype as the runtime's enum, e.g. DS_F32
  std::string npyDtype;    // for the manifest: float32, int64, ...
  std::vector<int64_t> shape;
};

/// The runtime's name for an element type, or "" if it has none.
std::pair<std::string, std::string> dtypeOf(Type t) {
  if (t.isF32()) return {"DS_F32", "float32"};
  if (t.isF64()) return {"DS_F64", "float64"};
  if (t.isF16()) return {"DS_F16", "float16"};
  if (t.isBF16()) return {"DS_BF16", "bfloat16"};
  if (t.isInteger(1)) return {"DS_BOOL", "bool"};
  if (auto i = dyn_cast<IntegerType>(t)) {
    std::string bits = std::to_string(i.getWidth());
    if (i.isUnsigned()) return {"DS_U" + bits, "uint" + bits};
    return {"DS_I" + bits, "int" + bits};
  }
  return {"", ""};
}

/// Names, dtypes and shapes of @main's inputs and outputs.
FailureOr<std::pair<std::vector<TensorInfo>, std::vector<TensorInfo>>>
signatureOf(func::FuncOp main) {
  std::vector<TensorInfo> ins, outs;
  auto collect = [&](ArrayRef<Type> types, bool input,
                     std::vector<TensorInfo> &into) -> LogicalResult {
    for (auto [i, type] : llvm::enumerate(types)) {
      auto name = input ? main.getArgAttrOfType<StringAttr>(i, "ds.name")
                        : main.getResultAttrOfType<StringAttr>(i, "ds.name");
      std::string n = name ? name.str()
                           : (input ? "input" : "output") + std::to_string(i);
      auto t = dyn_cast<RankedTensorType>(type);
      if (!t || !t.hasStaticShape())
        return main.emitError() << (input ? "input '" : "output '") << n
                                << "' has the dynamic type " << type
                                << ": convert with --input-shape to fix it";
      auto [dtype, npy] = dtypeOf(t.getElementType());
      if (dtype.empty())
        return main.emitError() << "'" << n << "' has element type "
                                << t.getElementType()
                                << ", which the runtime cannot bind";
      into.push_back({n, dtype, npy, {t.getShape().begin(), t.getShape().end()}});
    }
    return success();
  };
  if (failed(collect(main.getArgumentTypes(), true, ins)) ||
      failed(collect(main.getResultTypes(), false, outs)))
    return failure();
  return std::make_pair(ins, outs);
}

std::string cIdentifier(StringRef s) {
  std::string r;
  for (char c : s)
    r += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return r.empty() || std::isdigit(static_cast<unsigned char>(r[0])) ? "m_" + r : r;
}

std::string shapeText(const std::vector<int64_t> &shape, StringRef sep) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? sep.str() : "") + std::to_string(shape[i]);
  return s;
}

std::string jsonString(StringRef s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') r += '\\';
    r += c;
  }
  return r + "\"";
}

LogicalResult writeFile(StringRef file, StringRef text, std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream os(file, ec);
  if (!ec) {
    os << text;
    os.close();
    ec = os.error();
  }
  if (ec) {
    error = file.str() + ": " + ec.message();
    return failure();
  }
  return success();
}

/// model.c: the descriptor the runtime reads.
/// The runtime's checksum, so the packager and the runtime cannot disagree.
uint64_t checksum(ArrayRef<char> data) {
  return ds_checksum(data.data(), data.size());
}

/// weights.bin: "DSWEIGHT", version, header size, payload size, checksum,
/// zero padding to 64 bytes, then the payload (little-endian fields).
std::string weightsFile(ArrayRef<char> payload, uint64_t sum) {
  std::string file(64, '\0');
  auto put = [&](size_t at, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
      file[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  file.replace(0, 8, "DSWEIGHT");
  put(8, 1, 4);
  put(12, 64, 4);
  put(16, payload.size(), 8);
  put(24, sum, 8);
  file.append(payload.begin(), payload.end());
  return file;
}

std::string descriptorSource(StringRef name, const std::vector<TensorInfo> &ins,
                             const std::vector<TensorInfo> &outs,
                             int64_t arenaSize, uint64_t weightsSize,
                             uint64_t weightsSum, ArrayAttr layers,
                             const mlir::ds::targets::Target &target) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* Generated by deepseek-package: the descriptor of model '" << name
     << "'. */\n#include \"ds_runtime.h\"\n\nextern void ds_model_entry(void **args);\n\n";
  auto table = [&](const std::vector<TensorInfo> &ts, StringRef kind) {
    for (auto [i, t] : llvm::enumerate(ts))
      os << "static const int64_t " << kind << i << "_shape[] = {"
         << (t.shape.empty() ? "0" : shapeText(t.shape, ", ")) << "};\n";
    os << "static const ds_tensor_desc_t " << kind << "s[] = {\n";
    for (auto [i, t] : llvm::enumerate(ts))
      os << "  {" << jsonString(t.name) << ", " << t.dtype << ", "
         << t.shape.size() << ", " << kind << i << "_shape},\n";
    os << "};\n";
  };
  table(ins, "input");
  table(outs, "output");
  // Layers, for ds-run --profile (ds-mark-layers numbered them).
  os << "static const ds_layer_desc_t layers[] = {\n";
  for (Attribute a : layers) {
    auto layer = cast<DictionaryAttr>(a);
    auto text = [&](StringRef key) {
      auto v = layer.getAs<StringAttr>(key);
      return jsonString(v ? v.getValue() : "");
    };
    auto flops = layer.getAs<IntegerAttr>("flops");
    os << "  {" << text("name") << ", " << text("op") << ", " << text("shape")
       << ", " << (flops ? flops.getInt() : 0) << "u},\n";
  }
  if (layers.empty())
    os << "  {\"\", \"\", \"\", 0u},\n";
  os << "};\n";
  os << "\nconst ds_model_desc_t ds_model = {\n  DS_ABI_VERSION, "
     << jsonString(name) << ",\n  " << ins.size() << ", inputs, "
     << outs.size() << ", outputs,\n  " << arenaSize << "u, 64u, "
     << weightsSize << "u, 0x" << llvm::utohexstr(weightsSum)
     << "ull, ds_model_entry,\n  " << layers.size() << ", layers,\n  "
     << jsonString(target.platform) << ", "
     << jsonString(llvm::join(target.cpuFeatures, " ")) << ",\n};\n";
  return s;
}

std::string headerSource(StringRef name, const std::vector<TensorInfo> &ins,
                         const std::vector<TensorInfo> &outs) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* Generated by deepseek-package: model '" << name << "'.\n *\n";
  for (const TensorInfo &t : ins)
    os << " * input  " << t.name << ": " << t.npyDtype << "["
       << shapeText(t.shape, "x") << "]\n";
  for (const TensorInfo &t : outs)
    os << " * output " << t.name << ": " << t.npyDtype << "["
       << shapeText(t.shape, "x") << "]\n";
  os << " *\n * Create an instance with ds_model_create(&ds_model, ...), bind "
        "buffers by name,\n * and call ds_model_run (see ds_runtime.h and "
        "README.md). */\n#ifndef DS_MODEL_H\n#define DS_MODEL_H\n\n#include "
        "\"ds_runtime.h\"\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
        "extern const ds_model_desc_t ds_model;\n\n#ifdef __cplusplus\n}\n"
        "#endif\n\n#endif\n";
  return s;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-package: compiles a model for a device and writes a "
               "self-contained folder: object code, runtime, runner (ds-run), C "
               "header, manifest, Makefile and README."};
  app.footer(R"(Examples:
  deepseek-package --model model.ds --output pkg --platform host
  deepseek-package --model model.onnx --output pkg --platform x86_64 --input-shape input=1x3x224x224
  deepseek-package --list-platforms
  pkg/ds-run pkg --input input=x.npy --output-dir out --iterations 50)");
  std::string model, output, platform = "host";
  std::vector<std::string> shapes, frozen;
  bool list = false, force = false, verbose = false;
  int threads = 1;
  app.add_option("-m,--model", model, "model.ds (deepseek-convert) or model.onnx");
  app.add_option("-o,--output", output, "package folder to create");
  app.add_option("-p,--platform", platform, "target platform (--list-platforms)");
  app.add_option("--input-shape", shapes, "for .onnx models: NAME=DIMS, as deepseek-convert");
  app.add_option("--freeze-input", frozen,
                 "for .onnx models: NAME=FILE.npy, as deepseek-convert");
  app.add_option("--threads", threads, "default worker threads of the package")
      ->check(CLI::PositiveNumber);
  app.add_flag("--list-platforms", list, "list the platforms and exit");
  app.add_flag("-f,--force", force, "replace an existing output folder");
  app.add_flag("-v,--verbose", verbose, "print per-stage timings");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_pattern("%v");

  if (list) {
    for (const mlir::ds::targets::Target &t : mlir::ds::targets::allTargets())
      spdlog::info("{:<14} {} [{}, cpu {}]", t.platform, t.description,
                   t.triple, t.cpu);
    return 0;
  }
  if (model.empty() || output.empty()) {
    spdlog::error("error: --model and --output are required (see --help)");
    return 2;
  }
  const mlir::ds::targets::Target *target = mlir::ds::targets::lookupTarget(platform);
  if (!target) {
    std::string names;
    for (const mlir::ds::targets::Target &t : mlir::ds::targets::allTargets())
      names += (names.empty() ? "" : ", ") + t.platform;
    spdlog::error("error: unknown platform '{}' (available: {})", platform, names);
    return 2;
  }
  if (fs::exists(output) && !force) {
    spdlog::error("error: {} already exists (use --force to replace it)", output);
    return 2;
  }

  DialectRegistry registry;
  mlir::ds::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  mlir::ds::ToolDiagnostics diagnostics(context);
  auto start = std::chrono::steady_clock::now();
  auto stage = [&](const char *name) {
    auto now = std::chrono::steady_clock::now();
    if (verbose)
      spdlog::info("{:<10} {:8.1f} ms", name,
                   std::chrono::duration<double, std::milli>(now - start).count());
    start = now;
  };

  // Load: a .ds (bytecode or text) as is, an .onnx through the importer and
  // the graph pipeline.
  OwningOpRef<ModuleOp> module;
  if (StringRef(model).ends_with(".onnx") || StringRef(model).ends_with(".onnxtxt")) {
    mlir::ds::ONNXImportOptions options;
    std::string bad;
    if (failed(mlir::ds::parseInputShapes(shapes, options, bad))) {
      spdlog::error("error: --input-shape '{}' is not NAME=DIMS", bad);
      return 2;
    }
    if (failed(mlir::ds::parseFrozenInputs(frozen, options, bad))) {
      spdlog::error("error: --freeze-input '{}' is not NAME=FILE.npy", bad);
      return 2;
    }
    module = mlir::ds::importONNXModel(context, model, options);
    if (!module)
      return 1;
    PassManager pm(&context);
    mlir::ds::buildGraphOptimizationPipeline(pm);
    if (failed(pm.run(*module)))
      return 1;
  } else {
    if (!shapes.empty() || !frozen.empty()) {
      spdlog::error("error: --input-shape and --freeze-input apply to .onnx "
                    "models; a .ds file has them fixed by deepseek-convert");
      return 2;
    }
    llvm::SourceMgr sourceMgr;
    ParserConfig config(&context);
    module = parseSourceFile<ModuleOp>(model, sourceMgr, config);
    if (!module) {
      spdlog::error("error: {}: not a readable .ds model", model);
      return 1;
    }
  }
  stage("load");

  auto main = module->lookupSymbol<func::FuncOp>("main");
  if (!main) {
    spdlog::error("error: {}: no function 'main' (is it a deepseek model?)", model);
    return 1;
  }
  auto signature = signatureOf(main);
  if (failed(signature))
    return 1;
  auto &[ins, outs] = *signature;
  // The names now live in the descriptor; LLVM has no use for them.
  for (unsigned i = 0; i < main.getNumArguments(); ++i)
    main.removeArgAttr(i, "ds.name");
  for (unsigned i = 0; i < main.getNumResults(); ++i)
    main.removeResultAttr(i, StringAttr::get(&context, "ds.name"));

  PassManager pm(&context);
  mlir::ds::buildLowerToLLVMPipeline(pm);
  if (failed(pm.run(*module))) {
    spdlog::error("error: {}: cannot compile the model for '{}'", model, platform);
    return 1;
  }
  auto entry = module->lookupSymbol<LLVM::LLVMFuncOp>("main");
  int64_t arenaSize = 0;
  if (auto attr = entry->getAttrOfType<IntegerAttr>("ds.arena_size"))
    arenaSize = attr.getInt();
  // The weights leave the module for weights.bin.
  ArrayRef<char> weights;
  if (auto attr = (*module)->getAttrOfType<DenseResourceElementsAttr>("ds.weights"))
    if (AsmResourceBlob *blob = attr.getRawHandle().getBlob())
      weights = blob->getData();
  std::string weightsBytes(weights.begin(), weights.end());
  (*module)->removeAttr("ds.weights");
  auto layers = (*module)->getAttrOfType<ArrayAttr>("ds.layers");
  if (!layers)
    layers = ArrayAttr::get(&context, {});
  uint64_t weightsSum = checksum(weights);
  stage("lower");

  // The runtime, runner and micro-kernels built for the target's
  // architecture.
  SmallString<256> libDir(DS_RUNTIME_LIB_DIR);
  if (!target->runtimeArch.empty())
    path::append(libDir, target->runtimeArch);
  auto object = mlir::ds::targets::emitObject(*module, *target,
                                              std::string(libDir) + "/ds_kernels.bc");
  if (!object) {
    spdlog::error("error: {}", llvm::toString(object.takeError()));
    return 1;
  }
  stage("codegen");

  // Stage the package next to its destination; move it there at the end.
  std::string staging = output + ".partial";
  fs::remove_directories(staging);
  std::string error;
  std::string modelName = cIdentifier(path::stem(model));
  auto file = [&](StringRef name) {
    SmallString<256> p(staging);
    path::append(p, name);
    return std::string(p);
  };
  auto fail = [&](const std::string &message) {
    spdlog::error("error: {}", message);
    fs::remove_directories(staging);
    return 1;
  };
  if (fs::create_directories(file("include")) || fs::create_directories(file("lib")))
    return fail("cannot create " + staging);
  StringRef objectBytes(object->data(), object->size());
  std::array<uint8_t, 32> hash = llvm::SHA256::hash(
      ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(object->data()), object->size()));
  if (failed(writeFile(file("model.o"), objectBytes, error)) ||
      failed(writeFile(file("weights.bin"), weightsFile(ArrayRef<char>(weightsBytes.data(), weightsBytes.size()), weightsSum), error)) ||
      failed(writeFile(file("model.c"), descriptorSource(modelName, ins, outs, arenaSize, weightsBytes.size(), weightsSum, layers, *target), error)) ||
      failed(writeFile(file("model.h"), headerSource(modelName, ins, outs), error)))
    return fail(error);
  for (auto [from, to] : {std::pair{std::string(DS_RUNTIME_INCLUDE_DIR "/ds_runtime.h"), file("include/ds_runtime.h")},
                          std::pair{std::string(libDir) + "/libds_runtime.a", file("lib/libds_runtime.a")},
                          std::pair{std::string(libDir) + "/libds_run_main.a", file("lib/libds_run_main.a")}})
    if (std::error_code ec = fs::copy_file(from, to))
      return fail("cannot copy " + from + ": " + ec.message() +
                  (target->runtimeArch.empty()
                       ? std::string()
                       : " (the " + target->runtimeArch + " runtime is built when " +
                             target->toolchainPackage + " is installed)"));

  // Link the runner: the one step that needs a C toolchain for the target.
  std::optional<std::string> cc;
  for (const std::string &name : target->linkers)
    if (auto found = llvm::sys::findProgramByName(name)) {
      cc = *found;
      break;
    }
  if (!cc)
    return fail("no C toolchain to link ds-run for " + target->platform + " (" +
                target->linkers.front() + "): apt install " +
                target->toolchainPackage);
  std::vector<std::string> args = {*cc, "-O2", "-I" + file("include"),
                                   file("model.c"), file("model.o"),
                                   file("lib/libds_run_main.a"),
                                   file("lib/libds_runtime.a"), "-lm", "-pthread",
                                   "-o", file("ds-run")};
  if (target->staticLink)
    args.push_back("-static");
  std::vector<StringRef> argRefs(args.begin(), args.end());
  std::string linkError;
  if (llvm::sys::ExecuteAndWait(*cc, argRefs, std::nullopt, {}, 0, 0, &linkError) != 0)
    return fail("linking ds-run failed: " + linkError + " (" + llvm::join(argRefs, " ") + ")");

  // ./run: ds-run natively, under an emulator elsewhere, or a clear error.
  std::string run =
      "#!/bin/sh\n# Runs this package's ds-run: natively on " + target->machine +
      (target->emulator.empty() ? "" : ", under " + target->emulator + " elsewhere") +
      ".\nhere=$(cd \"$(dirname \"$0\")\" && pwd)\n"
      "if [ \"$(uname -m)\" = \"" + target->machine + "\" ]; then exec \"$here/ds-run\" \"$here\" \"$@\"; fi\n";
  if (!target->emulator.empty())
    run += "if command -v " + target->emulator + " >/dev/null 2>&1; then exec " +
           target->emulator + " \"$here/ds-run\" \"$here\" \"$@\"; fi\n";
  run += "echo \"error: this package is for " + target->machine + " (" + target->platform +
         "), but this machine is $(uname -m): copy the folder to the device" +
         (target->emulator.empty() ? "" : ", or install qemu-user to emulate it") +
         ".\" >&2\nexit 1\n";
  if (failed(writeFile(file("run"), run, error)))
    return fail(error);
  fs::setPermissions(file("run"), fs::perms::all_read | fs::perms::all_exe | fs::perms::owner_write);
  stage("link");

  std::string manifest;
  llvm::raw_string_ostream m(manifest);
  m << "{\n  \"format\": \"deepseek-package\",\n  \"version\": 1,\n"
    << "  \"model\": " << jsonString(modelName) << ",\n"
    << "  \"platform\": " << jsonString(target->platform) << ",\n"
    << "  \"triple\": " << jsonString(target->triple) << ",\n"
    << "  \"cpu\": " << jsonString(target->cpu) << ",\n"
    << "  \"cpu_features\": " << jsonString(llvm::join(target->cpuFeatures, " ")) << ",\n"
    << "  \"threads\": " << threads << ",\n"
    << "  \"arena_bytes\": " << arenaSize << ",\n"
    << "  \"object\": {\"file\": \"model.o\", \"bytes\": " << object->size()
    << ", \"sha256\": \"" << llvm::toHex(hash, /*LowerCase=*/true) << "\"},\n"
    << "  \"weights\": {\"file\": \"weights.bin\", \"bytes\": " << weightsBytes.size()
    << ", \"fnv1a64\": \"" << llvm::utohexstr(weightsSum, /*LowerCase=*/true) << "\"},\n";
  auto tensors = [&](StringRef key, const std::vector<TensorInfo> &ts, bool last) {
    m << "  \"" << key << "\": [";
    for (auto [i, t] : llvm::enumerate(ts))
      m << (i ? ", " : "") << "{\"name\": " << jsonString(t.name)
        << ", \"dtype\": \"" << t.npyDtype << "\", \"shape\": ["
        << shapeText(t.shape, ", ") << "]}";
    m << "]" << (last ? "\n" : ",\n");
  };
  tensors("inputs", ins, false);
  tensors("outputs", outs, true);
  m << "}\n";
  std::string makefile =
      "# Builds an application against this package: make APP=main.c\n"
      "CC ?= cc\nAPP ?= main.c\n\napp: $(APP) model.c model.o lib/libds_runtime.a\n"
      "\t$(CC) -O2 -Iinclude -I. $(APP) model.c model.o lib/libds_runtime.a -lm -pthread -o app\n";
  std::string readme =
      "# " + modelName + " for " + target->platform + "\n\n"
      "Compiled by deepseek-package for " + target->triple + " (cpu " + target->cpu + ").\n\n"
      "Run it:\n\n    ./ds-run . --input NAME=input.npy --output-dir out --iterations 20\n\n"
      "`./ds-run --help` lists the inputs with their dtypes and shapes; `manifest.json` describes\n"
      "the package. To call the model from C, include `model.h` and link `model.c model.o\n"
      "lib/libds_runtime.a -lm -pthread` (see `Makefile`):\n\n"
      "    ds_model_t *m;\n    ds_model_create(&ds_model, NULL, NULL, 0, &m);\n"
      "    ds_model_load_weights(m, \"weights.bin\");\n"
      "    ds_model_bind_input(m, \"NAME\", DS_F32, rank, shape, data);\n"
      "    ds_model_bind_output(m, \"OUT\", DS_F32, rank, shape, result);\n"
      "    ds_model_run(m);\n    ds_model_destroy(m);\n";
  if (failed(writeFile(file("manifest.json"), manifest, error)) ||
      failed(writeFile(file("Makefile"), makefile, error)) ||
      failed(writeFile(file("README.md"), readme, error)))
    return fail(error);

  if (force)
    fs::remove_directories(output);
  if (std::error_code ec = fs::rename(staging, output))
    return fail("cannot move the package to " + output + ": " + ec.message());
  spdlog::info("{}: {} for {} ({} KB of code, {} KB of weights, {} KB arena) -> {}",
               model, modelName, target->platform, object->size() / 1024,
               weightsBytes.size() / 1024, arenaSize / 1024, output);
  return 0;
}
