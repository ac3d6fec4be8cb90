"""SiLUs the compiler fused into the kernels, on values where its exp is
hardest, for test/Target/*/silu.test.

  silu.py model DIR: writes DIR/silu.onnx and an input DIR/x.npy
  silu.py check DIR OUT...: compares each OUT/*.npy with numpy's SiLU

x * sigmoid(x) after three convolutions, each fused into its kernel's
epilogue (ds.silu): a 1x1 convolution with identity weights (the product
kernel; its outputs are x itself) and a depthwise one whose only tap is its
centre (the depthwise kernel), both on x, which spans [-100, 100] in steps
that cross the exp's clamps at +-87 and its reduction's rounding points; and
a 1x1 convolution with zero weights whose bias puts one special value in
each channel: zeros, subnormals, +-87.5, +-88.7, +-1e30, +-inf and NaN.
Within 4 ulp of the SiLU in double precision for x in [-88, 88] where it
is a normal float, within 1e-30 where it is smaller, and within |x| 1e-38
below -88 (where the kernels clamp their exp: x e^-88); +inf and -inf give
+inf and -inf, NaN gives
NaN (the fused SiLU's stated behaviour, where x * sigmoid(x) gives NaN for
-inf).
"""
import os
import sys

import numpy as np

C, H, W = 24, 10, 21
SPECIAL = [0.0, -0.0, 1e-40, -1e-40, 1e-30, -1e-30, 87.5, -87.5, 88.7, -88.7, 1e30,
           -1e30, np.inf, -np.inf, np.nan, 3.0, -3.0, 0.5, -0.5, 20.0, -20.0, 86.9,
           -86.9, -100.0]


def silu(v):
    v = v.astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        y = v / (1.0 + np.exp(-v))
    y[v == -np.inf] = -np.inf  # the fused kernels' -inf
    return y


def model(out):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    eye = np.eye(C, dtype=np.float32).reshape(C, C, 1, 1)
    centre = np.zeros((C, 1, 3, 3), np.float32)
    centre[:, 0, 1, 1] = 1
    inits = [numpy_helper.from_array(eye, "eye"), numpy_helper.from_array(centre, "centre"),
             numpy_helper.from_array(np.zeros((C, C, 1, 1), np.float32), "zero"),
             numpy_helper.from_array(np.array(SPECIAL, np.float32), "special")]
    nodes = [helper.make_node("Conv", ["x", "eye"], ["p"]),
             helper.make_node("Conv", ["x", "centre"], ["d"], group=C, pads=[1] * 4),
             helper.make_node("Conv", ["x", "zero", "special"], ["s"])]
    for v in "pds":
        nodes += [helper.make_node("Sigmoid", [v], [v + "g"]),
                  helper.make_node("Mul", [v, v + "g"], [v + "y"])]
    io = lambda n: helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, C, H, W])
    graph = helper.make_graph(nodes, "silu", [io("x")], [io("py"), io("dy"), io("sy")], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              os.path.join(out, "silu.onnx"))
    x = np.linspace(-100, 100, C * H * W, dtype=np.float32).reshape(1, C, H, W)
    np.save(os.path.join(out, "x.npy"), x)


def check(d, outs):
    x = np.load(os.path.join(d, "x.npy"))
    special = np.broadcast_to(np.array(SPECIAL, np.float32).reshape(1, C, 1, 1), x.shape)
    want = {"py": (x, silu(x)), "dy": (x, silu(x)), "sy": (special, silu(special))}
    for out in outs:
        bad = []
        for name, (arg, ref) in want.items():
            got = np.load(os.path.join(out, name + ".npy")).astype(np.float64)
            with np.errstate(invalid="ignore"):
                err = np.abs(got - ref)
                ulp = np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)
                bound = np.where(arg < -88, np.abs(arg) * 1e-38,
                                 np.where(np.abs(ref) < np.finfo(np.float32).tiny, 1e-30,
                                          4 * ulp))
                ok = np.where(np.isnan(ref), np.isnan(got),
                              np.where(np.isinf(ref), got == ref, err <= bound))
            if not ok.all():
                i = np.argwhere(~ok)[0]
                bad.append(f"{name}{list(i)}: {got[tuple(i)]!r} for {ref[tuple(i)]!r} "
                           f"({int((~ok).sum())} of {ok.size})")
        print(f"{os.path.basename(out)}: " + ("ok" if not bad else "; ".join(bad)))


if __name__ == "__main__":
    if sys.argv[1] == "model":
        model(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3:])
