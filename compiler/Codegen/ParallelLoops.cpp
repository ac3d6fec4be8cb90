//===- ParallelLoops.cpp - loops shared out on the runtime's pool -*- C++ -*-===//
//
// The kernels split their own work among the runtime's threads; the loops
// between them (a squeeze-excitation's pooling and scaling, softmax, layer
// norm) ran on one. Two passes share out the loops that ds-linalg-to-loops
// marked `ds.parallel`:
//
// - ds-outline-parallel-loops, on scf: the marked loop becomes a private
//   function of its bounds and of the values it uses (constants are cloned
//   in), and the loop a call of it over its whole range, still serial.
// - ds-parallel-calls, on the LLVM dialect (where every operand is a
//   pointer or a scalar): each call of such a function becomes
//   ds_parallel_for over ds_thread_count() tasks, each running its share
//   of the range through a task function that unpacks the operands from a
//   struct on the caller's stack.
//
//===----------------------------------------------------------------------===//

#include "compiler/Codegen/Passes.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

#define DEBUG_TYPE "ds-parallel-loops"

namespace mlir::ds {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPSPASS
#define GEN_PASS_DEF_PARALLELCALLSPASS
#include "compiler/Codegen/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

using ds::kParallelAttr;

/// Whether `value` can be an operand of the outlined function: a scalar, or
/// a memref that the bare-pointer calling convention passes as a pointer.
bool isPassable(Value value) {
  Type type = value.getType();
  auto memref = dyn_cast<BaseMemRefType>(type);
  return type.isIntOrIndexOrFloat() ||
         (memref && LLVMTypeConverter::canConvertToBarePtr(memref));
}

/// Outlines marked loop `loop` (see the file comment); leaves it serial
/// and unmarked where it cannot.
void outline(scf::ForOp loop, SymbolTable &symbols) {
  Attribute quantum = loop->getAttr(kParallelAttr);
  loop->removeAttr(kParallelAttr);
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (loop.getNumResults() != 0 || !step)
    return;
  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(loop.getRegion(), used);
  SmallVector<Value> operands{loop.getLowerBound(), loop.getUpperBound()};
  SmallVector<Operation *> constants;
  for (Value value : used) {
    Operation *def = value.getDefiningOp();
    if (def && def->getNumOperands() == 0 && def->hasTrait<OpTrait::ConstantLike>())
      constants.push_back(def);
    else if (isPassable(value))
      operands.push_back(value);
    else
      return;
  }

  auto parent = loop->getParentOfType<func::FuncOp>();
  Location loc = loop.getLoc();
  auto fn = func::FuncOp::create(
      loc, (parent.getName() + "_parallel").str(),
      FunctionType::get(loop.getContext(), ValueRange(operands).getTypes(), {}));
  fn.setPrivate();
  fn->setAttr(kParallelAttr, quantum);
  symbols.insert(fn, std::next(Block::iterator(parent)));
  Block *entry = fn.addEntryBlock();
  OpBuilder b = OpBuilder::atBlockEnd(entry);
  IRMapping mapping;
  for (Operation *constant : constants)
    b.clone(*constant, mapping);
  for (auto [value, arg] :
       llvm::zip(ArrayRef(operands).drop_front(2), entry->getArguments().drop_front(2)))
    mapping.map(value, arg);
  Value stepValue = arith::ConstantIndexOp::create(b, loc, *step);
  auto inner = scf::ForOp::create(b, loc, entry->getArgument(0),
                                  entry->getArgument(1), stepValue);
  mapping.map(loop.getInductionVar(), inner.getInductionVar());
  b.setInsertionPoint(inner.getBody()->getTerminator());
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  b.setInsertionPointAfter(inner);
  func::ReturnOp::create(b, loc);

  b.setInsertionPoint(loop);
  func::CallOp::create(b, loc, fn, operands);
  loop->erase();
}

struct OutlineParallelLoopsPass
    : public ds::impl::OutlineParallelLoopsPassBase<OutlineParallelLoopsPass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (!loop->hasAttr(kParallelAttr))
        return;
      // A loop inside another one that runs in parallel stays serial: the
      // pool takes one parallel call at a time.
      for (Operation *op = loop->getParentOp(); op; op = op->getParentOp())
        if (op->hasAttr(kParallelAttr) && isa<scf::ForOp>(op)) {
          loop->removeAttr(kParallelAttr);
          return;
        }
      loops.push_back(loop);
    });
    SymbolTable symbols(getOperation());
    for (scf::ForOp loop : loops)
      outline(loop, symbols);
  }
};

/// The runtime function `name` of type `type`, declared if need be.
LLVM::LLVMFuncOp runtimeFunction(ModuleOp module, StringRef name,
                                 LLVM::LLVMFunctionType type) {
  if (auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  return LLVM::LLVMFuncOp::create(b, module.getLoc(), name, type);
}

/// The task function of outlined `body`, whose operands come in a `frame`
/// struct {tasks, lo, hi, rest of body's operands}: task `index` of `tasks`
/// runs `body` on its share of [lo, hi), a multiple of `quantum`
/// iterations (the last share may be shorter, or empty).
LLVM::LLVMFuncOp buildTask(LLVM::LLVMFuncOp body, LLVM::LLVMStructType frame,
                           int64_t quantum) {
  MLIRContext *ctx = body.getContext();
  Location loc = body.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  OpBuilder b(body);
  b.setInsertionPointAfter(body);
  auto task = LLVM::LLVMFuncOp::create(
      b, loc, (body.getName() + "_task").str(),
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, i64, i64}),
      LLVM::Linkage::Internal);
  Block *entry = task.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  SmallVector<Value> fields;
  for (auto [i, type] : llvm::enumerate(frame.getBody())) {
    Value slot = LLVM::GEPOp::create(b, loc, ptr, frame, entry->getArgument(0),
                                     ArrayRef<LLVM::GEPArg>{0, int32_t(i)});
    fields.push_back(LLVM::LoadOp::create(b, loc, type, slot));
  }
  Value tasks = fields[0], lo = fields[1], hi = fields[2];
  auto constant = [&](int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, i64, v);
  };
  // share = ceil(ceil((hi - lo) / tasks) / quantum) * quantum
  Value q = constant(quantum), one = constant(1);
  Value n = LLVM::SubOp::create(b, loc, hi, lo);
  Value perTask = LLVM::SDivOp::create(
      b, loc, LLVM::SubOp::create(b, loc, LLVM::AddOp::create(b, loc, n, tasks), one), tasks);
  Value share = LLVM::MulOp::create(
      b, loc,
      LLVM::SDivOp::create(
          b, loc, LLVM::SubOp::create(b, loc, LLVM::AddOp::create(b, loc, perTask, q), one), q),
      q);
  Value begin = LLVM::AddOp::create(
      b, loc, lo, LLVM::MulOp::create(b, loc, entry->getArgument(1), share));
  Value end = LLVM::AddOp::create(b, loc, begin, share);
  Value past = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::sgt, end, hi);
  end = LLVM::SelectOp::create(b, loc, past, hi, end);
  SmallVector<Value> args{begin, end};
  args.append(fields.begin() + 3, fields.end());
  LLVM::CallOp::create(b, loc, body, args);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return task;
}

struct ParallelCallsPass
    : public ds::impl::ParallelCallsPassBase<ParallelCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto i32 = IntegerType::get(ctx, 32);
    DenseMap<StringRef, std::pair<LLVM::LLVMFuncOp, int64_t>> bodies;
    module.walk([&](LLVM::LLVMFuncOp fn) {
      if (auto quantum = fn->getAttrOfType<IntegerAttr>(kParallelAttr))
        bodies[fn.getName()] = {fn, quantum.getInt()};
    });
    SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      if (call.getCallee() && bodies.count(*call.getCallee()))
        calls.push_back(call);
    });
    if (calls.empty())
      return;
    LLVM::LLVMFuncOp threadCount = runtimeFunction(
        module, "ds_thread_count", LLVM::LLVMFunctionType::get(i32, {}));
    LLVM::LLVMFuncOp parallelFor = runtimeFunction(
        module, "ds_parallel_for",
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {i64, ptr, ptr}));
    DenseMap<Operation *, LLVM::LLVMFuncOp> tasks;
    for (LLVM::CallOp call : calls) {
      auto [body, quantum] = bodies.lookup(*call.getCallee());
      SmallVector<Type> types{i64};
      llvm::append_range(types, call.getArgOperands().getTypes());
      if (call.getArgOperands().size() < 2 || types[1] != i64 || types[2] != i64) {
        call.emitError("parallel loop body must take its i64 bounds first");
        return signalPassFailure();
      }
      auto frame = LLVM::LLVMStructType::getLiteral(ctx, types);
      LLVM::LLVMFuncOp &task = tasks[body];
      if (!task)
        task = buildTask(body, frame, quantum);
      // The frame lives in the caller's entry block, so a call inside a
      // loop does not grow the stack.
      auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
      Location loc = call.getLoc();
      OpBuilder b = OpBuilder::atBlockBegin(&caller.getBody().front());
      Value slots = LLVM::AllocaOp::create(
          b, loc, ptr, frame, LLVM::ConstantOp::create(b, loc, i64, 1));
      b.setInsertionPoint(call);
      Value count = LLVM::SExtOp::create(
          b, loc, i64, LLVM::CallOp::create(b, loc, threadCount, ValueRange{}).getResult());
      SmallVector<Value> fields{count};
      llvm::append_range(fields, call.getArgOperands());
      for (auto [i, field] : llvm::enumerate(fields)) {
        Value slot = LLVM::GEPOp::create(b, loc, ptr, frame, slots,
                                         ArrayRef<LLVM::GEPArg>{0, int32_t(i)});
        LLVM::StoreOp::create(b, loc, field, slot);
      }
      Value taskPtr = LLVM::AddressOfOp::create(b, loc, task);
      LLVM::CallOp::create(b, loc, parallelFor, ValueRange{count, taskPtr, slots});
      call->erase();
    }
    // The bodies are the model's own, like the task functions.
    for (auto &[name, body] : bodies) {
      body.first->removeAttr(kParallelAttr);
      body.first.setLinkage(LLVM::Linkage::Internal);
    }
  }
};
} // namespace
