"""Large elementwise ops and reductions, whose loops run on the thread
pool (ds-outline-parallel-loops, ds-parallel-calls), for
test/Pipelines/parallel-loops.test.

  parallel_loops.py model DIR: writes DIR/loops.onnx and inputs DIR/x.npy, DIR/z.npy
  parallel_loops.py check DIR OUT...: compares each OUT/*.npy with numpy's
      result, and the outputs of every OUT with the first's, bit for bit

The model: a softmax over the rows of a 1x40x37x37 image (a reduction over
each row, the channels shared out), a global average pool of it scaling
the image per channel (a squeeze-excitation's pool and scale), and a flat
loop of 40005 elements (shared out in multiples of 16 elements, the last
share shorter).
"""
import os
import sys

import numpy as np


def model(out):
    import onnx
    from onnx import TensorProto, helper
    nodes = [
        helper.make_node("Softmax", ["x"], ["s"], axis=-1),
        helper.make_node("GlobalAveragePool", ["x"], ["g"]),
        helper.make_node("Mul", ["x", "g"], ["y"]),
        helper.make_node("Neg", ["z"], ["n"]),
        helper.make_node("Mul", ["n", "z"], ["w"]),
    ]
    info = lambda n, s: helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
    image, flat = [1, 40, 37, 37], [1, 40005]
    graph = helper.make_graph(nodes, "loops", [info("x", image), info("z", flat)],
                              [info("s", image), info("y", image), info("w", flat)])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, "loops.onnx"))
    rng = np.random.default_rng(3)
    np.save(os.path.join(out, "x.npy"), rng.standard_normal(image).astype(np.float32))
    np.save(os.path.join(out, "z.npy"), rng.standard_normal(flat).astype(np.float32))


def check(out, results):
    x = np.load(os.path.join(out, "x.npy")).astype(np.float64)
    z = np.load(os.path.join(out, "z.npy")).astype(np.float64)
    e = np.exp(x - x.max(-1, keepdims=True))
    expected = {"s": e / e.sum(-1, keepdims=True), "y": x * x.mean((2, 3), keepdims=True),
                "w": -z * z}
    first = {}
    for result in results:
        for name, want in expected.items():
            got = np.load(os.path.join(result, name + ".npy"))
            if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5, atol=1e-6):
                sys.exit(f"{result}/{name}.npy: max error {np.abs(got - want).max()}")
            if name in first and not np.array_equal(got, first[name]):
                sys.exit(f"{result}/{name}.npy differs from {results[0]}/{name}.npy")
            first.setdefault(name, got)
        print(f"{result}: ok")


if __name__ == "__main__":
    model(sys.argv[2]) if sys.argv[1] == "model" else check(sys.argv[2], sys.argv[3:])
