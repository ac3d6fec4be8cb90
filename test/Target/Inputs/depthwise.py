"""Depthwise convolutions and max pooling whose rows end inside a vector,
for test/Target/X86/depthwise*.test and test/Target/ARM/depthwise.test.

  depthwise.py model DIR: writes DIR/depthwise.onnx and an input DIR/x.npy
  depthwise.py check DIR OUT...: compares each OUT/*.npy with numpy's result

The model: a 3x3 stride-2 depthwise convolution of a 19 x 19 image (an odd
width: its last 16 columns start at an odd one) with bias and ReLU, a
stride-1 one on its 10 x 10 output with ReLU6 (rows of 10: a whole vector and
a ragged end), a stride-2 one down to 5 x 5 (rows narrower than a vector),
one more with a residual (a start the kernel reads from the output), and a
stride-1 one and a 3x3 stride-2 max pooling of the input (rows of 19 and 10).
The images at most 16 wide take the kernel's narrow path (rows shuffled in
registers): the stride-1 one on 10 x 10 and the stride-2 one down to 5 x 5
above (not the one with a residual, whose start is read from the output), a
5x5-window convolution of the 10 x 10 image, and a 3x3 max pooling of the
5 x 5 one (-inf as the fill; last rows of the last channel copied locally).
With AVX-512 the stride-2 layers of the 19 x 19 input read its rows in place
(masked loads: the padding and the rows' ends are masked-off lanes): the 3x3
convolution and pooling above, and a 5x5-window convolution.
304 channels, so that every layer is split over the threads (the kernel splits
from 65536 taps): three threads take 102, 102 and 100, the first two ending
where another thread's channel starts. Three channels of the input hold a NaN
(inside, in a corner, in the last channel's last element): every output whose
window reaches one is NaN, as in numpy (the pooling kernel's fast maximum
would drop it; such channels take its exact path).
"""
import os
import sys

import numpy as np

C = 304


def weights(i, k=3):
    rng = np.random.default_rng(10 + i)
    return (rng.standard_normal((C, 1, k, k)) * 0.5).astype(np.float32), \
        (rng.standard_normal(C) * 0.1).astype(np.float32)


def model(out):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    inits, nodes = [], []

    def conv(i, x, y, stride, k=3):
        w, b = weights(i, k)
        inits.extend([numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")])
        nodes.append(helper.make_node("Conv", [x, f"w{i}", f"b{i}"], [y], group=C,
                                      kernel_shape=[k, k], pads=[k // 2] * 4,
                                      strides=[stride, stride]))

    conv(0, "x", "a0", 2)
    nodes.append(helper.make_node("Relu", ["a0"], ["a"]))
    conv(1, "a", "c0", 1)
    inits.extend([numpy_helper.from_array(np.float32(0), "lo"),
                  numpy_helper.from_array(np.float32(6), "hi")])
    nodes.append(helper.make_node("Clip", ["c0", "lo", "hi"], ["c"]))
    conv(2, "c", "d", 2)
    conv(3, "d", "e0", 1)
    nodes.append(helper.make_node("Add", ["e0", "d"], ["e"]))
    conv(4, "x", "f", 1)
    nodes.append(helper.make_node("MaxPool", ["x"], ["g"], kernel_shape=[3, 3],
                                  pads=[1, 1, 1, 1], strides=[2, 2]))
    conv(5, "c", "k", 1, 5)
    conv(6, "x", "s", 2, 5)
    nodes.append(helper.make_node("MaxPool", ["d"], ["m"], kernel_shape=[3, 3],
                                  pads=[1, 1, 1, 1], strides=[1, 1]))
    shape = lambda n, s: helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, C, s, s])
    graph = helper.make_graph(nodes, "depthwise", [shape("x", 19)],
                              [shape("e", 5), shape("f", 19), shape("g", 10), shape("k", 10),
                               shape("m", 5), shape("s", 10)], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, "depthwise.onnx"))
    x = np.random.default_rng(1).standard_normal((1, C, 19, 19)).astype(np.float32)
    x[0, 5, 7, 8] = x[0, 100, 0, 0] = x[0, C - 1, 18, 18] = np.nan
    np.save(os.path.join(out, "x.npy"), x)


def window(x, stride, fill, k=3):
    """The k x k windows of each output, padded by k // 2: [k * k, C, OH, OW]."""
    p = np.pad(x[0], ((0, 0), (k // 2, k // 2), (k // 2, k // 2)), constant_values=fill)
    n = (x.shape[2] - 1) // stride + 1
    return np.stack([p[:, i:i + stride * (n - 1) + 1:stride, j:j + stride * (n - 1) + 1:stride]
                     for i in range(k) for j in range(k)])


def dw(i, x, stride, k=3):
    w, b = weights(i, k)
    taps = window(x.astype(np.float64), stride, 0.0, k)
    return (np.einsum("tchw,ct->chw", taps, w.reshape(C, k * k)) + b[:, None, None])[None]


def check(out, results):
    x = np.load(os.path.join(out, "x.npy"))
    a = np.maximum(dw(0, x, 2), 0)
    c = np.clip(dw(1, a, 1), 0, 6)
    d = dw(2, c, 2)
    expected = {"e": dw(3, d, 1) + d, "f": dw(4, x, 1), "g": window(x, 2, -np.inf).max(0)[None],
                "k": dw(5, c, 1, 5), "m": window(d, 1, -np.inf).max(0)[None],
                "s": dw(6, x, 2, 5)}
    for result in results:
        for name, want in expected.items():
            got = np.load(os.path.join(result, name + ".npy"))
            if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5, atol=1e-5,
                                                          equal_nan=True):
                sys.exit(f"{result}/{name}.npy: max error {np.abs(got - want).max()}")
        print(f"{result}: ok")


if __name__ == "__main__":
    model(sys.argv[2]) if sys.argv[1] == "model" else check(sys.argv[2], sys.argv[3:])
