//===- Target.cpp - target registry and object emission ---------*- C++ -*-===//

#include "targets/Common/Target.h"
#include "targets/ARM/ARM.h"
#include "targets/X86/X86.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>

using namespace mlir::ds::targets;

llvm::ArrayRef<Target> mlir::ds::targets::allTargets() {
  static const std::vector<Target> targets = [] {
    std::vector<Target> all;
    for (const Target &t : x86::targets())
      all.push_back(t);
    for (const Target &t : arm::targets())
      all.push_back(t);
    return all;
  }();
  return targets;
}

const Target *mlir::ds::targets::lookupTarget(llvm::StringRef name) {
  for (const Target &t : allTargets())
    if (t.platform == name)
      return &t;
  return nullptr;
}

llvm::Expected<llvm::SmallVector<char, 0>>
mlir::ds::targets::emitObject(mlir::ModuleOp module, const Target &target,
                              llvm::StringRef kernels) {
  target.initializeLLVM();
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);

  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, "model");
  if (!llvmModule)
    return llvm::createStringError("cannot translate the module to LLVM IR");

  llvm::Triple triple(target.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return llvm::createStringError("no LLVM back end for '" + target.triple +
                                   "': " + error);
  // Fused multiply-add where the code multiplies then adds (one rounding
  // instead of two), as ONNX Runtime's kernels do.
  llvm::TargetOptions options;
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, options,
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for " +
                                   target.triple);
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());

  if (!kernels.empty()) {
    llvm::SMDiagnostic diag;
    std::unique_ptr<llvm::Module> kernelModule =
        llvm::parseIRFile(kernels, diag, context);
    if (!kernelModule)
      return llvm::createStringError("cannot read the micro-kernels " +
                                     kernels.str() + ": " +
                                     diag.getMessage().str());
    // Compiled without a CPU: they take the target's, like the model.
    for (llvm::Function &f : *kernelModule) {
      f.removeFnAttr("target-cpu");
      f.removeFnAttr("target-features");
      f.removeFnAttr("tune-cpu");
    }
    kernelModule->setTargetTriple(triple);
    kernelModule->setDataLayout(llvmModule->getDataLayout());
    // Only what the model calls, then private to it so that O3 can inline
    // and drop the rest.
    if (llvm::Linker::linkModules(
            *llvmModule, std::move(kernelModule),
            llvm::Linker::Flags::LinkOnlyNeeded,
            [](llvm::Module &m, const llvm::StringSet<> &names) {
              for (llvm::GlobalValue &g : m.global_values())
                if (!g.isDeclaration() && names.contains(g.getName()))
                  g.setLinkage(llvm::GlobalValue::InternalLinkage);
            }))
      return llvm::createStringError("cannot link the micro-kernels");
    // What the kernels ask of the CPU, answered before O3 folds it, from
    // the features the platform records for the runtime to check:
    // whether a masked vector store costs what a whole one does (AVX-512's
    // mask registers; AVX2's masked stores are slow on AMD, NEON has none),
    // whether a vector register holds 16 floats (AVX-512), and whether to
    // run two-panel tiles (the platform's `wideTiles`).
    bool avx512 = llvm::is_contained(target.cpuFeatures, "avx512f");
    std::pair<const char *, bool> answers[] = {
        {"ds_kernel_masked_stores_cheap", avx512},
        {"ds_kernel_wide_vectors", avx512},
        {"ds_kernel_wide_tiles", target.wideTiles}};
    for (auto [name, yes] : answers)
      if (llvm::GlobalVariable *answer = llvmModule->getGlobalVariable(name)) {
        answer->setInitializer(
            llvm::ConstantInt::get(answer->getValueType(), yes ? 1 : 0));
        answer->setConstant(true);
        answer->setLinkage(llvm::GlobalValue::InternalLinkage);
      }
  }

  // The widest registers, always: LLVM tunes Intel's AVX-512 CPUs (and
  // x86-64-v4) to prefer 256-bit vectors, and then splits the model's loops
  // and the kernels' functions whose vectors are not in their signatures
  // (Winograd's transforms, the copies, the depthwise rows) into 256-bit
  // halves (ResNet-50 on Emerald Rapids, one thread: 5% faster whole).
  if (target.vectorBits > 128)
    for (llvm::Function &f : *llvmModule)
      if (!f.isDeclaration())
        f.addFnAttr("prefer-vector-width", std::to_string(target.vectorBits));

  // The standard O3 pipeline: loop vectorization for the target's vectors.
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(machine.get());
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3)
      .run(*llvmModule, mam);

  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  codegen.run(*llvmModule);
  return object;
}
