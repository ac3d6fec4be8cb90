"""Writes a one-layer model (64x64 Gemm + Relu) to argv[1]."""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

rng = np.random.default_rng(0)
weight = numpy_helper.from_array(rng.standard_normal((64, 64)).astype(np.float32), "weight")
bias = numpy_helper.from_array(rng.standard_normal(64).astype(np.float32), "bias")
graph = helper.make_graph(
    [helper.make_node("Gemm", ["x", "weight", "bias"], ["h"], transB=1),
     helper.make_node("Relu", ["h"], ["y"])],
    "linear",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])],
    [weight, bias])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
