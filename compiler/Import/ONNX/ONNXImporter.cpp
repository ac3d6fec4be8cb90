//===- ONNXImporter.cpp - ONNX models into the ds dialect -------*- C++ -*-===//
//
// Loading (binary or text), checking, external data, ONNX shape inference,
// then one func.func @main built node by node through the op importers.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/ONNXImporter.h"
#include "compiler/Import/ONNX/NodeContext.h"
#include "dialects/DS/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/checker.h>
#include <onnx/defs/function.h>
#include <onnx/defs/parser.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <fstream>

extern "C" {
#include "npy.h"
}

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::onnx_import;

/// Opsets of the default domain the importer accepts. Opsets before 7 differ
/// only in attributes the op importers handle (legacy `broadcast`).
static constexpr int64_t kMinOpset = 1, kMaxOpset = 21;
/// Tensors of at least this many bytes become resource blobs, stored raw in
/// .ds files instead of as (slow, large) attribute text.
static constexpr size_t kResourceThresholdBytes = 1024;
/// Results up to this many elements are folded during import when all their
/// operands are constants (shape arithmetic; never weights).
static constexpr int64_t kFoldLimitElements = 4096;

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

Type onnx_import::convertElementType(int32_t onnxType, Builder &b) {
  using T = onnx::TensorProto;
  MLIRContext *ctx = b.getContext();
  switch (onnxType) {
  case T::FLOAT: return b.getF32Type();
  case T::DOUBLE: return b.getF64Type();
  case T::FLOAT16: return b.getF16Type();
  case T::BFLOAT16: return b.getBF16Type();
  case T::BOOL: return b.getI1Type();
  case T::INT8: return b.getIntegerType(8);
  case T::INT16: return b.getIntegerType(16);
  case T::INT32: return b.getIntegerType(32);
  case T::INT64: return b.getIntegerType(64);
  case T::UINT8: return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case T::UINT16: return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case T::UINT32: return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case T::UINT64: return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  default: return nullptr;
  }
}

/// Element values of a tensor stored in the typed fields rather than
/// raw_data, as little-endian bytes of the element type.
static std::string typedFieldBytes(const onnx::TensorProto &t, Type type) {
  std::string bytes;
  auto append = [&](auto value) {
    char buf[sizeof(value)];
    llvm::support::endian::write(buf, value, llvm::endianness::little);
    bytes.append(buf, sizeof(value));
  };
  unsigned width = type.getIntOrFloatBitWidth();
  using T = onnx::TensorProto;
  switch (t.data_type()) {
  case T::FLOAT:
    for (float v : t.float_data()) append(v);
    break;
  case T::DOUBLE:
    for (double v : t.double_data()) append(v);
    break;
  case T::INT64:
    for (int64_t v : t.int64_data()) append(v);
    break;
  case T::UINT32:
  case T::UINT64:
    for (uint64_t v : t.uint64_data())
      width == 32 ? append(static_cast<uint32_t>(v)) : append(v);
    break;
  default: // int8/16/32, uint8/16, bool, float16/bfloat16 bits: int32_data.
    for (int32_t v : t.int32_data()) {
      if (width <= 8) append(static_cast<uint8_t>(v));
      else if (width == 16) append(static_cast<uint16_t>(v));
      else append(v);
    }
  }
  return bytes;
}

FailureOr<ElementsAttr> onnx_import::convertTensor(const onnx::TensorProto &t,
                                                   OpBuilder &builder,
                                                   Location loc) {
  Type elementType = convertElementType(t.data_type(), builder);
  if (!elementType)
    return emitError(loc) << "tensor '" << t.name() << "' has unsupported "
                          << "data type "
                          << onnx::TensorProto::DataType_Name(
                                 static_cast<onnx::TensorProto::DataType>(
                                     t.data_type()));
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return emitError(loc) << "tensor '" << t.name()
                          << "' has a negative dimension";
  auto type = RankedTensorType::get(shape, elementType);
  int64_t count = type.getNumElements();
  size_t elementBytes = elementType.isInteger(1)
                            ? 1
                            : elementType.getIntOrFloatBitWidth() / 8;
  std::string typed;
  const std::string *bytes = &t.raw_data();
  if (!t.has_raw_data()) {
    typed = typedFieldBytes(t, elementType);
    bytes = &typed;
  }
  if (bytes->size() != count * elementBytes)
    return emitError(loc) << "tensor '" << t.name() << "' of type " << type
                          << " holds " << bytes->size() << " bytes, expected "
                          << count * elementBytes;
  ArrayRef<char> data(bytes->data(), bytes->size());

  if (elementType.isInteger(1)) {
    SmallVector<bool> values(data.begin(), data.end());
    return cast<ElementsAttr>(DenseElementsAttr::get(type, values));
  }
  if (data.size() >= kResourceThresholdBytes) {
    // Blob names must be unique in a module; the manager renames on clash.
    std::string name = t.name().empty() ? "tensor" : t.name();
    return cast<ElementsAttr>(DenseResourceElementsAttr::get(
        type, name,
        HeapAsmResourceBlob::allocateAndCopyWithAlign(data, alignof(double))));
  }
  return cast<ElementsAttr>(DenseElementsAttr::getFromRawBuffer(type, data));
}

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

InFlightDiagnostic NodeContext::emitError() const {
  return mlir::emitError(loc) << node.op_type() << ": ";
}

InFlightDiagnostic NodeContext::emitNotConstant(unsigned i,
                                                StringRef what) const {
  InFlightDiagnostic diag = emitError() << what;
  if (i < static_cast<unsigned>(node.input_size()))
    diag << " ('" << node.input(i) << "')";
  diag << " must be a constant";
  if (!input(i))
    return diag;
  // Name the graph inputs it is computed from: fixing those fixes it.
  SmallVector<Value> work = {input(i)};
  llvm::SetVector<BlockArgument> graphInputs;
  llvm::DenseSet<Value> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v))
      graphInputs.insert(arg);
    else
      llvm::append_range(work, v.getDefiningOp()->getOperands());
  }
  auto func = input(i).getParentRegion()->getParentOfType<func::FuncOp>();
  if (graphInputs.empty() || !func)
    return diag;
  diag << (isa<BlockArgument>(input(i)) ? "; it is a graph input"
                                        : "; it is computed from graph input")
       << ": give its value at compile time with";
  for (BlockArgument arg : graphInputs)
    if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                       "ds.name"))
      diag << " --freeze-input " << name.getValue() << "=FILE.npy";
  return diag;
}

const SmallVector<Value> *NodeContext::sequence(unsigned i) const {
  if (!sequences || i >= static_cast<unsigned>(node.input_size()))
    return nullptr;
  auto it = sequences->find(node.input(i));
  return it == sequences->end() ? nullptr : &it->second;
}

void NodeContext::setSequence(unsigned i, SmallVector<Value> items) {
  (*sequences)[node.output(i)] = std::move(items);
  if (results.size() <= i)
    results.resize(i + 1);
}

RankedTensorType NodeContext::rankedInput(unsigned i) const {
  Value v = input(i);
  return v ? dyn_cast<RankedTensorType>(v.getType()) : RankedTensorType();
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::getInt(StringRef name, int64_t fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : fallback;
}

float NodeContext::getFloat(StringRef name, float fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : fallback;
}

std::string NodeContext::getString(StringRef name, StringRef fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : fallback.str();
}

SmallVector<int64_t> NodeContext::getInts(StringRef name,
                                          ArrayRef<int64_t> fallback) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return SmallVector<int64_t>(fallback);
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

Value NodeContext::constantI64(ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    builder.getI64Type());
  return ConstantOp::create(builder, loc, type,
                            DenseElementsAttr::get(type, values));
}

Value NodeContext::scalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute element =
      isa<FloatType>(elementType)
          ? Attribute(builder.getFloatAttr(elementType, value))
          : Attribute(builder.getIntegerAttr(elementType,
                                             static_cast<int64_t>(value)));
  return ConstantOp::create(builder, loc, type,
                            DenseElementsAttr::get(type, element));
}

//===----------------------------------------------------------------------===//
// Model loading and checks
//===----------------------------------------------------------------------===//

FailureOr<std::vector<int64_t>> mlir::ds::parseShape(StringRef text) {
  std::vector<int64_t> dims;
  if (text.empty())
    return dims;
  SmallVector<StringRef> parts;
  text.split(parts, 'x');
  for (StringRef part : parts) {
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0)
      return failure();
    dims.push_back(d);
  }
  return dims;
}

LogicalResult mlir::ds::parseInputShapes(const std::vector<std::string> &specs,
                                         ONNXImportOptions &options,
                                         std::string &bad) {
  for (const std::string &spec : specs) {
    size_t eq = spec.rfind('=');
    FailureOr<std::vector<int64_t>> dims = failure();
    if (eq != std::string::npos && eq != 0)
      dims = parseShape(StringRef(spec).substr(eq + 1));
    if (failed(dims)) {
      bad = spec;
      return failure();
    }
    options.inputShapes[spec.substr(0, eq)] = *dims;
  }
  return success();
}

LogicalResult mlir::ds::parseFrozenInputs(const std::vector<std::string> &specs,
                                          ONNXImportOptions &options,
                                          std::string &bad) {
  for (const std::string &spec : specs) {
    // Names may hold '=' less often than paths do: split at the first.
    size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      bad = spec;
      return failure();
    }
    options.frozenInputs[spec.substr(0, eq)] = spec.substr(eq + 1);
  }
  return success();
}

bool mlir::ds::isSupportedONNXOp(StringRef opType) {
  return getOpImporters().contains(opType);
}

namespace {
class GraphImporter {
public:
  GraphImporter(MLIRContext &context, StringRef path)
      : context(context), builder(&context), path(path.str()),
        fileLoc(FileLineColLoc::get(&context, path, 0, 0)) {}

  OwningOpRef<ModuleOp> run(const ONNXImportOptions &options);

private:
  InFlightDiagnostic error() { return emitError(fileLoc); }
  Location nodeLoc(const onnx::NodeProto &node, size_t index);
  LogicalResult load(onnx::ModelProto &model);
  LogicalResult checkAndInferShapes(onnx::ModelProto &model);
  LogicalResult loadExternalData(onnx::TensorProto &tensor);
  LogicalResult applyInputShapes(onnx::GraphProto &graph,
                                 const ONNXImportOptions &options);
  LogicalResult applyFrozenInputs(onnx::GraphProto &graph,
                                  const ONNXImportOptions &options);
  void expandFunctions(onnx::ModelProto &model);
  LogicalResult checkSupported(const onnx::GraphProto &graph);
  Type convertType(const onnx::TypeProto &type);
  LogicalResult importGraph(const onnx::GraphProto &graph, ModuleOp module);

  MLIRContext &context;
  OpBuilder builder;
  std::string path;
  Location fileLoc;
  int64_t opset = 0;
  llvm::StringMap<Value> values;
};
} // namespace

Location GraphImporter::nodeLoc(const onnx::NodeProto &node, size_t index) {
  std::string name = node.name().empty()
                         ? (node.op_type() + "#" + std::to_string(index))
                         : node.name();
  return NameLoc::get(StringAttr::get(&context, name), fileLoc);
}

LogicalResult GraphImporter::load(onnx::ModelProto &model) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/true);
  if (!buffer)
    return error() << "cannot read the file: " << buffer.getError().message();
  StringRef data = (*buffer)->getBuffer();
  if (StringRef(path).ends_with(".onnxtxt")) {
    onnx::Common::Status status =
        onnx::OnnxParser::Parse(model, data.data());
    if (!status.IsOK())
      return error() << "not valid ONNX text: " << status.ErrorMessage();
  } else if (!model.ParseFromArray(data.data(), data.size()) ||
             !model.has_graph()) {
    return error() << "not an ONNX model (the protobuf does not parse as a "
                      "ModelProto with a graph: truncated or another format)";
  }

  opset = 0;
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  if (opset == 0)
    return error() << "the model imports no opset of the default ONNX domain";
  if (opset < kMinOpset || opset > kMaxOpset)
    return error() << "opset " << opset << " is out of the supported range "
                   << kMinOpset << " to " << kMaxOpset;

  for (onnx::TensorProto &t : *model.mutable_graph()->mutable_initializer())
    if (failed(loadExternalData(t)))
      return failure();
  return success();
}

LogicalResult GraphImporter::checkAndInferShapes(onnx::ModelProto &model) {
  // The checker and shape inference know the opsets of this libonnx; a newer
  // model is imported with our own shape inference alone.
  auto range = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  int64_t known = range.count("") ? range.at("").second : 0;
  if (opset <= known) {
    try {
      onnx::checker::check_model(model);
    } catch (const std::exception &e) {
      return error() << "invalid ONNX model: " << e.what();
    }
  }
  try {
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(),
        onnx::ShapeInferenceOptions(/*check_type=*/false, /*error_mode=*/0,
                                    /*data_prop=*/true));
  } catch (const std::exception &e) {
    // Not fatal: ds shape inference runs on every op anyway.
    (void)e;
  }
  return success();
}

LogicalResult GraphImporter::loadExternalData(onnx::TensorProto &tensor) {
  if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
    return success();
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::stoll(entry.value());
    else if (entry.key() == "length")
      length = std::stoll(entry.value());
  }
  // External data must stay inside the model's folder.
  SmallString<256> relative(location);
  llvm::sys::path::remove_dots(relative, /*remove_dot_dot=*/true);
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      StringRef(relative).starts_with(".."))
    return error() << "tensor '" << tensor.name() << "': external data path '"
                   << location << "' is not inside the model's folder";
  SmallString<256> full(llvm::sys::path::parent_path(path));
  llvm::sys::path::append(full, relative);
  auto buffer = llvm::MemoryBuffer::getFile(full, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return error() << "tensor '" << tensor.name()
                   << "': cannot read external data '" << full
                   << "': " << buffer.getError().message();
  StringRef data = (*buffer)->getBuffer();
  if (offset < 0 || static_cast<size_t>(offset) > data.size() ||
      (length >= 0 && static_cast<size_t>(offset + length) > data.size()))
    return error() << "tensor '" << tensor.name() << "': external data '"
                   << full << "' is shorter than offset + length";
  data = data.drop_front(offset);
  if (length >= 0)
    data = data.take_front(length);
  tensor.set_raw_data(data.str());
  tensor.clear_external_data();
  tensor.set_data_location(onnx::TensorProto::DEFAULT);
  return success();
}

LogicalResult
GraphImporter::applyInputShapes(onnx::GraphProto &graph,
                                const ONNXImportOptions &options) {
  for (const auto &[inputName, dims] : options.inputShapes) {
    const std::string &name = inputName;
    auto it = llvm::find_if(*graph.mutable_input(),
                            [&](const onnx::ValueInfoProto &v) {
                              return v.name() == name;
                            });
    if (it == graph.mutable_input()->end()) {
      std::string names;
      for (const onnx::ValueInfoProto &v : graph.input())
        names += (names.empty() ? "" : ", ") + v.name();
      return error() << "--input-shape names '" << name
                     << "', which is not a graph input (inputs: " << names
                     << ")";
    }
    onnx::TensorShapeProto *shape =
        it->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() != 0 &&
        shape->dim_size() != static_cast<int>(dims.size()))
      return error() << "--input-shape gives '" << name << "' rank "
                     << dims.size() << " but the model says rank "
                     << shape->dim_size();
    for (auto [i, d] : llvm::enumerate(dims)) {
      if (static_cast<int>(i) < shape->dim_size()) {
        const onnx::TensorShapeProto::Dimension &old = shape->dim(i);
        if (old.has_dim_value() && old.dim_value() != d)
          return error() << "--input-shape gives '" << name << "' dimension "
                         << i << " = " << d << " but the model fixes it to "
                         << old.dim_value();
      } else {
        shape->add_dim();
      }
      shape->mutable_dim(i)->clear_dim_param();
      shape->mutable_dim(i)->set_dim_value(d);
    }
  }
  return success();
}

/// The ONNX data type of a .npy dtype.
static int32_t onnxDataType(ds_dtype_t dtype) {
  switch (dtype) {
  case DS_F32: return onnx::TensorProto::FLOAT;
  case DS_F64: return onnx::TensorProto::DOUBLE;
  case DS_F16: return onnx::TensorProto::FLOAT16;
  case DS_BF16: return onnx::TensorProto::BFLOAT16;
  case DS_I8: return onnx::TensorProto::INT8;
  case DS_I16: return onnx::TensorProto::INT16;
  case DS_I32: return onnx::TensorProto::INT32;
  case DS_I64: return onnx::TensorProto::INT64;
  case DS_U8: return onnx::TensorProto::UINT8;
  case DS_U16: return onnx::TensorProto::UINT16;
  case DS_U32: return onnx::TensorProto::UINT32;
  case DS_U64: return onnx::TensorProto::UINT64;
  case DS_BOOL: return onnx::TensorProto::BOOL;
  }
  return onnx::TensorProto::UNDEFINED;
}

LogicalResult
GraphImporter::applyFrozenInputs(onnx::GraphProto &graph,
                                 const ONNXImportOptions &options) {
  for (const auto &[inputName, file] : options.frozenInputs) {
    const std::string &name = inputName;
    auto it = llvm::find_if(graph.input(), [&](const onnx::ValueInfoProto &v) {
      return v.name() == name;
    });
    if (it == graph.input().end())
      return error() << "--freeze-input names '" << name
                     << "', which is not a graph input";
    npy_array_t array;
    char message[256];
    if (npy_read(file.c_str(), &array, message, sizeof(message)) != 0)
      return error() << "--freeze-input " << name << ": " << message;
    std::unique_ptr<void, decltype(&free)> owner(array.data, free);
    onnx::TensorProto tensor;
    tensor.set_name(name);
    tensor.set_data_type(onnxDataType(array.dtype));
    for (int32_t d = 0; d < array.rank; ++d)
      tensor.add_dims(array.shape[d]);
    tensor.set_raw_data(array.data, array.bytes);

    // The value must fit what the model declares.
    const onnx::TypeProto::Tensor &declared = it->type().tensor_type();
    if (declared.elem_type() != tensor.data_type())
      return error() << "--freeze-input " << name << ": " << file
                     << " holds " << ds_dtype_name(array.dtype)
                     << " but the input's ONNX element type is "
                     << onnx::TensorProto_DataType_Name(
                            onnx::TensorProto_DataType(declared.elem_type()));
    if (declared.has_shape()) {
      bool fits = declared.shape().dim_size() == array.rank;
      for (int32_t d = 0; fits && d < array.rank; ++d)
        fits = !declared.shape().dim(d).has_dim_value() ||
               declared.shape().dim(d).dim_value() == array.shape[d];
      if (!fits)
        return error() << "--freeze-input " << name << ": the shape of "
                       << file << " does not match the input's";
    }
    graph.mutable_input()->erase(it);
    llvm::erase_if(*graph.mutable_initializer(),
                   [&](const onnx::TensorProto &t) { return t.name() == name; });
    *graph.add_initializer() = std::move(tensor);
  }
  return success();
}

/// Replaces nodes of ops the importer has no function for, but whose ONNX
/// schema defines them by a function body (Celu, Range, the losses, ...), by
/// that body, until every node is supported or has no body. Bodies are
/// expanded with the model's input types for context-dependent functions.
void GraphImporter::expandFunctions(onnx::ModelProto &model) {
  onnx::GraphProto *graph = model.mutable_graph();
  llvm::StringMap<const onnx::TypeProto *> types;
  auto recordTypes = [&] {
    types.clear();
    for (const auto *list : {&graph->input(), &graph->value_info(), &graph->output()})
      for (const onnx::ValueInfoProto &v : *list)
        types[v.name()] = &v.type();
  };
  recordTypes();
  // Bodies may use other ops with bodies; a few rounds reach the bottom.
  for (int round = 0; round < 4; ++round) {
    onnx::GraphProto next;
    bool changed = false;
    int counter = 0;
    for (const onnx::NodeProto &node : graph->node()) {
      bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
      const onnx::OpSchema *schema =
          defaultDomain && !isSupportedONNXOp(node.op_type())
              ? onnx::OpSchemaRegistry::Schema(node.op_type(), opset, "")
              : nullptr;
      onnx::FunctionProto body;
      bool hasBody = false;
      if (schema && schema->HasFunction()) {
        body = *schema->GetFunction();
        hasBody = true;
      } else if (schema && schema->HasContextDependentFunction()) {
        std::vector<onnx::TypeProto> inputTypes;
        for (const std::string &name : node.input()) {
          const onnx::TypeProto *type = types.lookup(name);
          inputTypes.push_back(type ? *type : onnx::TypeProto());
        }
        onnx::FunctionBodyBuildContextImpl context(node, inputTypes);
        hasBody = schema->BuildContextDependentFunction(context, body);
      }
      if (!hasBody) {
        *next.add_node() = node;
        continue;
      }
      // An attribute of the body that refers to one the node does not set
      // takes the schema's default, or is absent if there is none (libonnx's
      // expansion would make NegativeLogLikelihoodLoss's ignore_index 0).
      for (onnx::NodeProto &inner : *body.mutable_node()) {
        auto *attrs = inner.mutable_attribute();
        for (int i = attrs->size() - 1; i >= 0; --i) {
          onnx::AttributeProto *a = attrs->Mutable(i);
          const std::string ref = a->ref_attr_name();
          if (ref.empty() ||
              llvm::any_of(node.attribute(), [&](const onnx::AttributeProto &n) {
                return n.name() == ref;
              }))
            continue;
          auto it = schema->attributes().find(ref);
          if (it != schema->attributes().end() &&
              it->second.default_value.type() != onnx::AttributeProto::UNDEFINED) {
            std::string name = a->name();
            *a = it->second.default_value;
            a->set_name(name);
          } else {
            attrs->DeleteSubrange(i, 1);
          }
        }
      }
      std::string prefix = (node.name().empty() ? node.op_type() : node.name()) +
                           "/" + std::to_string(counter++) + "/";
      onnx::FunctionExpandHelper(node, body, next, prefix);
      changed = true;
    }
    if (!changed)
      break;
    graph->mutable_node()->Swap(next.mutable_node());
    // Types of the values the bodies introduced, for the next round's
    // context-dependent bodies and for the import.
    try {
      onnx::shape_inference::InferShapes(
          model, onnx::OpSchemaRegistry::Instance(),
          onnx::ShapeInferenceOptions(false, 0, true));
    } catch (const std::exception &) {
    }
    recordTypes();
  }
}

LogicalResult GraphImporter::checkSupported(const onnx::GraphProto &graph) {
  // Every unsupported op at once, each with how often and where it occurs.
  struct Use {
    std::string op;
    int count = 0;
    std::string firstNode;
  };
  std::vector<Use> unsupported;
  llvm::StringMap<size_t> index;
  for (const onnx::NodeProto &node : graph.node()) {
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (defaultDomain && isSupportedONNXOp(node.op_type()))
      continue;
    std::string key = defaultDomain ? node.op_type()
                                    : node.domain() + "." + node.op_type();
    auto [it, inserted] = index.try_emplace(key, unsupported.size());
    if (inserted)
      unsupported.push_back({key, 0, node.name()});
    ++unsupported[it->second].count;
  }
  if (unsupported.empty())
    return success();
  InFlightDiagnostic diag = error() << "unsupported ONNX ops: ";
  bool first = true;
  for (const Use &use : unsupported) {
    diag << (first ? "" : ", ") << use.op << " (" << use.count
         << (use.count == 1 ? " node" : " nodes");
    if (!use.firstNode.empty())
      diag << ", first '" << use.firstNode << "'";
    diag << ")";
    first = false;
  }
  return failure();
}

Type GraphImporter::convertType(const onnx::TypeProto &type) {
  if (!type.has_tensor_type())
    return nullptr;
  const onnx::TypeProto::Tensor &tensor = type.tensor_type();
  Type elementType = convertElementType(tensor.elem_type(), builder);
  if (!elementType)
    return nullptr;
  if (!tensor.has_shape())
    return UnrankedTensorType::get(elementType);
  SmallVector<int64_t> dims;
  for (const onnx::TensorShapeProto::Dimension &d : tensor.shape().dim())
    dims.push_back(d.has_dim_value() ? d.dim_value() : ShapedType::kDynamic);
  return RankedTensorType::get(dims, elementType);
}

LogicalResult GraphImporter::importGraph(const onnx::GraphProto &graph,
                                         ModuleOp module) {
  // Types ONNX inferred for every named value.
  llvm::StringMap<Type> knownTypes;
  auto record = [&](const onnx::ValueInfoProto &v) {
    if (Type t = convertType(v.type()))
      knownTypes[v.name()] = t;
  };
  for (const auto &v : graph.value_info()) record(v);
  for (const auto &v : graph.output()) record(v);

  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &t : graph.initializer())
    initializerNames.insert(t.name());

  // Signature: graph inputs that are not initializers (IR < 4 lists both).
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &v : graph.input()) {
    if (initializerNames.contains(v.name()))
      continue;
    Type type = convertType(v.type());
    if (v.type().has_sequence_type())
      return error() << "graph input '" << v.name()
                     << "' is a sequence; a compiled model takes tensors";
    if (!type)
      return error() << "graph input '" << v.name()
                     << "' is not a tensor of a supported element type";
    argTypes.push_back(type);
    argNames.push_back(v.name());
  }

  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    func.setArgAttr(i, "ds.name", builder.getStringAttr(name));
    values[name] = body->getArgument(i);
  }
  builder.setInsertionPointToStart(body);

  for (const onnx::TensorProto &t : graph.initializer()) {
    // Errors name the tensor themselves; the constant keeps its name.
    Location loc = NameLoc::get(builder.getStringAttr(t.name()), fileLoc);
    FailureOr<ElementsAttr> value = convertTensor(t, builder, fileLoc);
    if (failed(value))
      return failure();
    values[t.name()] = ConstantOp::create(builder, loc, value->getType(),
                                          *value);
  }

  const llvm::StringMap<OpImporter> &importers = getOpImporters();
  llvm::StringMap<SmallVector<Value>> sequences;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    NodeContext ctx{node, opset, builder, nodeLoc(node, index), {}, {}, {}};
    ctx.sequences = &sequences;
    for (const std::string &name : node.input()) {
      if (name.empty() || sequences.contains(name)) {
        ctx.inputs.push_back(Value()); // A sequence: ctx.sequence(i).
        continue;
      }
      Value v = values.lookup(name);
      if (!v)
        return ctx.emitError() << "input '" << name
                               << "' is neither a graph input, an "
                                  "initializer nor an earlier node's output";
      ctx.inputs.push_back(v);
    }
    // Drop trailing omitted inputs so that input(i) is null past the end.
    while (!ctx.inputs.empty() && !ctx.inputs.back())
      ctx.inputs.pop_back();
    for (const std::string &name : node.output()) {
      Type type = knownTypes.lookup(name);
      if (!type) {
        Type element = builder.getF32Type();
        if (!ctx.inputs.empty() && ctx.inputs[0])
          element = cast<ShapedType>(ctx.inputs[0].getType()).getElementType();
        type = UnrankedTensorType::get(element);
      }
      ctx.resultTypes.push_back(type);
    }

    Block::iterator before = std::prev(builder.getInsertionPoint());
    if (failed(importers.lookup(node.op_type())(ctx)))
      return failure();
    // Infer what ONNX did not, op by op, so that errors name this node; then
    // fold shape arithmetic right away, so that later nodes that need
    // constant operands (Slice, Reshape, Unsqueeze, ...) see constants.
    for (Operation &op : llvm::make_early_inc_range(llvm::make_range(
             std::next(before), builder.getInsertionPoint()))) {
      if (failed(refineResultTypes(&op)))
        return failure();
      Value old = op.getNumResults() == 1 ? op.getResult(0) : Value();
      if (Value folded = foldConstantOp(&op, kFoldLimitElements))
        llvm::replace(ctx.results, old, folded);
    }

    for (auto [i, name] : llvm::enumerate(node.output())) {
      if (name.empty() || sequences.contains(name))
        continue;
      if (i >= ctx.results.size())
        return ctx.emitError() << "output " << i << " ('" << name
                               << "') is not supported";
      values[name] = ctx.results[i];
    }
  }

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &v : graph.output()) {
    Value value = values.lookup(v.name());
    if (sequences.contains(v.name()))
      return error() << "graph output '" << v.name()
                     << "' is a sequence; a compiled model returns tensors";
    if (!value)
      return error() << "graph output '" << v.name() << "' is never computed";
    results.push_back(value);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(
      argTypes, ValueRange(results).getTypes()));
  for (auto [i, v] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "ds.name", builder.getStringAttr(v.name()));
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run(const ONNXImportOptions &options) {
  onnx::ModelProto model;
  if (failed(load(model)) ||
      failed(applyInputShapes(*model.mutable_graph(), options)) ||
      failed(applyFrozenInputs(*model.mutable_graph(), options)) ||
      failed(checkAndInferShapes(model)))
    return nullptr;
  expandFunctions(model);
  if (failed(checkSupported(model.graph())))
    return nullptr;

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  if (failed(importGraph(model.graph(), *module)) || failed(verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> mlir::ds::importONNXModel(MLIRContext &context,
                                                StringRef path,
                                                const ONNXImportOptions &options) {
  context.loadDialect<DSDialect, func::FuncDialect>();
  return GraphImporter(context, path).run(options);
}
