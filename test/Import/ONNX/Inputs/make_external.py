"""Writes DIR/model.onnx whose 16x16 weight lives in DIR/<location>
(external data), e.g. `make_external.py DIR weights.bin`."""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

out_dir, location = sys.argv[1], sys.argv[2]
w = numpy_helper.from_array(np.arange(256, dtype=np.float32).reshape(16, 16), "w")
w.ClearField("raw_data")
w.data_location = TensorProto.EXTERNAL
entry = w.external_data.add()
entry.key, entry.value = "location", location
data = np.arange(256, dtype=np.float32).tobytes()
target = os.path.normpath(os.path.join(out_dir, location))
os.makedirs(os.path.dirname(target), exist_ok=True)
with open(target, "wb") as f:
    f.write(data)
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w"], ["y"])], "external",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])], [w])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
with open(os.path.join(out_dir, "model.onnx"), "wb") as f:
    f.write(model.SerializeToString())
