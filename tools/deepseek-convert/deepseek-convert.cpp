//===- deepseek-convert.cpp - ONNX model -> optimized .ds file --*- C++ -*-===//

#include "compiler/Import/ONNX/ONNXImporter.h"
#include "compiler/InitAll.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Support/Diagnostics.h"
#include "dialects/DS/IR/DSOps.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

using namespace mlir;

namespace {
struct StageTimer {
  bool enabled;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  void stage(const char *name) {
    auto now = std::chrono::steady_clock::now();
    if (enabled)
      spdlog::info("{:<10} {:8.1f} ms", name,
                   std::chrono::duration<double, std::milli>(now - start)
                       .count());
    start = now;
  }
};
} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-convert: imports an ONNX model into the ds dialect, "
               "optimizes it at graph level and writes a portable .ds file "
               "(MLIR bytecode, weights as raw resources)."};
  app.footer(R"(Examples:
  deepseek-convert --input resnet50.onnx --output resnet50.ds
  deepseek-convert -i model.onnx -o model.ds --input-shape input=1x3x224x224
  deepseek-convert -i model.onnx -o model.ds --freeze-input shape=shape.npy
  deepseek-convert -i model.onnx -o - --emit mlir      # readable IR on stdout
  deepseek-convert -i model.onnxtxt -o model.ds -v     # ONNX text syntax, stage timings)");
  std::string input, output, emit = "ds", framework = "onnx";
  std::vector<std::string> shapes, frozen;
  bool verbose = false;
  app.add_option("-i,--input", input,
                 "ONNX model: .onnx (protobuf) or .onnxtxt (ONNX text syntax)")
      ->required();
  app.add_option("-o,--output", output,
                 "output file ('-' for stdout with --emit mlir)")
      ->required();
  app.add_option("--framework", framework, "source framework")
      ->check(CLI::IsMember({"onnx"}));
  app.add_option("--input-shape", shapes,
                 "fix an input's shape: NAME=DIMS, e.g. input=1x3x224x224 "
                 "(repeatable)");
  app.add_option("--freeze-input", frozen,
                 "make an input a constant: NAME=FILE.npy (for inputs that "
                 "set shapes, e.g. a Reshape's shape; repeatable)");
  app.add_option("--emit", emit, "ds: MLIR bytecode; mlir: readable MLIR text")
      ->check(CLI::IsMember({"ds", "mlir"}));
  app.add_flag("-v,--verbose", verbose, "print per-stage timings");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_pattern("%v");

  ds::ONNXImportOptions options;
  std::string bad;
  if (failed(ds::parseInputShapes(shapes, options, bad))) {
    spdlog::error("error: --input-shape '{}' is not NAME=DIMS (e.g. "
                  "input=1x3x224x224)",
                  bad);
    return 2;
  }
  if (failed(ds::parseFrozenInputs(frozen, options, bad))) {
    spdlog::error("error: --freeze-input '{}' is not NAME=FILE.npy", bad);
    return 2;
  }
  if (output == "-" && emit != "mlir") {
    spdlog::error("error: bytecode (--emit ds) cannot go to stdout; use "
                  "--emit mlir or an output file");
    return 2;
  }

  DialectRegistry registry;
  ds::registerAllDialects(registry);
  MLIRContext context(registry);
  context.disableMultithreading();
  ds::ToolDiagnostics diagnostics(context);

  StageTimer timer{verbose};
  OwningOpRef<ModuleOp> module = ds::importONNXModel(context, input, options);
  if (!module)
    return 1;
  timer.stage("import");

  PassManager pm(&context);
  ds::buildGraphOptimizationPipeline(pm);
  if (failed(pm.run(*module)))
    return 1;
  timer.stage("optimize");

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(output, &error);
  if (!file) {
    spdlog::error("error: {}", error);
    return 1;
  }
  if (emit == "mlir") {
    module->print(file->os());
  } else if (failed(writeBytecodeToFile(*module, file->os(),
                                        BytecodeWriterConfig("deepseek")))) {
    spdlog::error("error: {}: cannot write bytecode", output);
    return 1;
  }
  file->os().flush();
  if (file->os().has_error()) {
    spdlog::error("error: {}: {}", output, file->os().error().message());
    file->os().clear_error();
    return 1;
  }
  file->keep(); // Only a complete file is left behind.
  timer.stage("write");

  int64_t ops = 0, parameters = 0, bytes = 0;
  module->walk([&](Operation *op) {
    if (auto constant = dyn_cast<ds::ConstantOp>(op)) {
      auto type = cast<ShapedType>(constant.getType());
      parameters += type.getNumElements();
      bytes += type.getNumElements() *
               std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
    } else if (isa<ds::DSDialect>(op->getDialect())) {
      ++ops;
    }
  });
  if (output != "-")
    spdlog::info("{}: {} ops, {} parameters ({:.2f} MB of weights) -> {}",
                 input, ops, parameters, bytes / 1e6, output);
  return 0;
}
