#!/usr/bin/python3
"""Runs the ONNX backend test suite end to end: each model is compiled for
the host with deepseek-package (import, graph passes, lowering, code
generation, link), run with the package's ds-run on every test_data_set_*,
and compared with the expected outputs at the backend tolerances (rtol 1e-3,
atol 1e-7; integers and bools exactly).

  onnx_backend_suite.py BUILD_BIN [--update] [-j N] [-v] [-k SUBSTRING]
                        [--platform P] [--subset FILE]

The models listed in onnx-backend-passing.txt must keep passing. With
--platform (e.g. raspberrypi) packages are built for that platform and run
through their ./run wrapper (qemu for another architecture); with --subset
only the tests named in FILE run, and each of them that passes on the host
must pass there too. Prints a
summary by category and outcome and ends with "N passed, N failed" (passed:
listed tests that pass; failed: listed tests that regressed, and crashes).
"""
import argparse
import collections
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data"
CATEGORIES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
HERE = os.path.dirname(os.path.abspath(__file__))
LIST = os.path.join(HERE, "onnx-backend-passing.txt")
OUTCOMES = ["passed", "failed-to-import", "failed-to-compile", "wrong-result", "crashed"]


def plain(name):
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", name)


def read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def compare(got, want):
    """None if equal within the backend tolerances, else what differs."""
    if got.shape != want.shape:
        return f"shape {got.shape} vs expected {want.shape}"
    if got.dtype != want.dtype:
        return f"dtype {got.dtype} vs expected {want.dtype}"
    if want.dtype.kind in "fc":
        g, w = got.astype(np.float64), want.astype(np.float64)
        bad = ~np.isclose(g, w, rtol=1e-3, atol=1e-7, equal_nan=True)
    else:
        bad = got != want
    if not bad.any():
        return None
    i = np.unravel_index(np.argmax(bad), bad.shape)
    err = np.abs(got.astype(np.float64) - want.astype(np.float64))
    return (f"{int(bad.sum())} of {bad.size} elements differ; first at {tuple(map(int, i))}: "
            f"{got[i]} vs {want[i]}; max abs error {np.nanmax(err):.3g}")


def package(bin_dir, model, pkg, platform, frozen, shapes):
    """Compiles `model` into `pkg`; (outcome, message) on failure, else None.
    `frozen` maps inputs to .npy files given as --freeze-input, `shapes`
    inputs to the DIMS of --input-shape."""
    shutil.rmtree(pkg, ignore_errors=True)
    cmd = [os.path.join(bin_dir, "deepseek-package"), "--model", model,
           "--output", pkg, "--platform", platform]
    for name, npy in frozen.items():
        cmd += ["--freeze-input", f"{name}={npy}"]
    for name, dims in shapes.items():
        cmd += ["--input-shape", f"{name}={dims}"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    out = (r.stdout + r.stderr).strip()
    if r.returncode < 0 or (r.returncode != 0 and "error:" not in out):
        return "crashed", out[-300:] or f"deepseek-package exit {r.returncode}"
    if r.returncode != 0:
        compile_stage = "cannot compile" in out or "linking" in out or "lower" in out
        return ("failed-to-compile" if compile_stage else "failed-to-import"), out
    return None


def run_test(bin_dir, test, model_dir, work, platform="host"):
    """(outcome, message); a passing test's message lists the inputs it
    froze: an input that sets a shape (Reshape's shape, Slice's starts, ...)
    is made a constant with --freeze-input when deepseek-package asks for
    it, as onnx-mlir's backend tests do (CONSTANT_INPUT). Inputs declared
    with symbolic dimensions get the data set's shape with --input-shape, as
    for any ahead-of-time compile. Either way the package is then built
    once per test data set."""
    model = os.path.join(model_dir, "model.onnx")
    m = onnx.load(model, load_external_data=False)
    inits = {i.name for i in m.graph.initializer}
    inputs = [i.name for i in m.graph.input if i.name not in inits]
    outputs = [o.name for o in m.graph.output]
    sets = sorted(d for d in os.listdir(model_dir) if d.startswith("test_data_set_"))
    symbolic = [i.name for i in m.graph.input if i.name not in inits and
                i.type.HasField("tensor_type") and i.type.tensor_type.HasField("shape") and
                any(not d.HasField("dim_value") for d in i.type.tensor_type.shape.dim)]

    def input_npy(s, k):
        pb = os.path.join(model_dir, s, f"input_{k}.pb")
        if not os.path.exists(pb):
            return None
        npy = os.path.join(work, f"{s}_in{k}.npy")
        np.save(npy, read_pb(pb))
        return npy

    def build(s, names):
        frozen = {n: input_npy(s, inputs.index(n)) for n in names}
        shapes = {}
        for n in symbolic:
            pb = os.path.join(model_dir, s, f"input_{inputs.index(n)}.pb") if s else ""
            if n not in names and os.path.exists(pb):
                shapes[n] = "x".join(str(d) for d in read_pb(pb).shape)
        return package(bin_dir, model, os.path.join(work, "pkg"), platform, frozen, shapes)

    frozen = []
    failure = build(sets[0] if sets else None, frozen)
    while failure and failure[0] == "failed-to-import" and sets:
        asked = [n for n in re.findall(r"--freeze-input (\S+)=FILE\.npy", failure[1])
                 if n in inputs and n not in frozen]
        if not asked:
            break
        frozen += asked
        failure = build(sets[0], frozen)
    if failure:
        return failure[0], failure[1].splitlines()[0]

    pkg = os.path.join(work, "pkg")
    for s in sets:
        if (frozen or symbolic) and s != sets[0]:
            failure = build(s, frozen)
            if failure:
                return failure[0], f"{s}: {failure[1].splitlines()[0]}"
        args = []
        for k, name in enumerate(inputs):
            npy = None if name in frozen else input_npy(s, k)
            if npy:
                args += ["--input", f"{name}={npy}"]
        out_dir = os.path.join(work, "out_" + s)
        r = subprocess.run([os.path.join(pkg, "run"), *args, "--output-dir", out_dir],
                           capture_output=True, text=True, timeout=300)
        if r.returncode < 0:
            return "crashed", f"ds-run killed by signal {-r.returncode} on {s}"
        if r.returncode != 0:
            return "wrong-result", f"ds-run: {r.stderr.strip()[:300]}"
        for k, name in enumerate(outputs):
            want = read_pb(os.path.join(model_dir, s, f"output_{k}.pb"))
            got = np.load(os.path.join(out_dir, plain(name) + ".npy"))
            diff = compare(got, want)
            if diff:
                return "wrong-result", f"{s} output '{name}': {diff}"
    return "passed", f"froze {', '.join(frozen)}" if frozen else ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 2)
    parser.add_argument("-v", action="store_true")
    parser.add_argument("-k", default="", help="only tests whose name contains this")
    parser.add_argument("--platform", default="host")
    parser.add_argument("--subset", help="file listing the tests to run")
    args = parser.parse_args()
    if not os.path.isdir(DATA):
        print(f"onnx backend suite: SKIPPED, {DATA} is missing (apt install libonnx-testdata)")
        print("0 passed, 0 failed")
        return 0

    subset = None
    if args.subset:
        with open(args.subset) as f:
            subset = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    tests = []
    for cat in CATEGORIES:
        for name in sorted(os.listdir(os.path.join(DATA, cat))):
            d = os.path.join(DATA, cat, name)
            if (os.path.exists(os.path.join(d, "model.onnx")) and args.k in name and
                    (subset is None or f"{cat}/{name}" in subset)):
                tests.append((f"{cat}/{name}", d))

    root = tempfile.mkdtemp(prefix="ds-backend-")

    def one(item):
        test, d = item
        work = os.path.join(root, test.replace("/", "__"))
        os.makedirs(work)
        try:
            return run_test(args.bin, test, d, work, args.platform)
        except subprocess.TimeoutExpired:
            return "crashed", "timeout"
        except Exception as e:  # a broken test file, not a compiler bug
            return "wrong-result", f"runner: {e}"
        finally:
            shutil.rmtree(work, ignore_errors=True)

    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = dict(zip((t for t, _ in tests), pool.map(one, tests)))
    shutil.rmtree(root, ignore_errors=True)

    counts = collections.defaultdict(collections.Counter)
    for test, (outcome, _) in results.items():
        counts[test.split("/")[0]][outcome] += 1
    print(f"platform {args.platform}: {len(tests)} tests")
    print(f"{'category':<20}" + "".join(f"{o:>19}" for o in OUTCOMES) + f"{'total':>8}")
    for cat in CATEGORIES:
        c = counts[cat]
        print(f"{cat:<20}" + "".join(f"{c[o]:>19}" for o in OUTCOMES) + f"{sum(c.values()):>8}")
    frozen = sorted(t for t, (o, msg) in results.items() if o == "passed" and msg)
    print(f"passed with --freeze-input (inputs the compiler needs as constants): {len(frozen)}")

    passed = sorted(t for t, (o, _) in results.items() if o == "passed")
    if args.update and args.platform == "host" and subset is None:
        with open(LIST, "w") as f:
            f.write("# ONNX backend tests that pass end to end on the host.\n"
                    "# Regenerate: test/e2e/onnx_backend_suite.py build/bin --update\n")
            f.write("".join(t + "\n" for t in passed))
        print(f"wrote {len(passed)} tests to {LIST}")
    listed = []
    if os.path.exists(LIST):
        with open(LIST) as f:
            listed = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    if args.k or subset is not None:
        listed = [t for t in listed if t in results]
    regressed = [t for t in listed if results.get(t, ("missing",))[0] != "passed"]
    crashed = [t for t, (o, _) in results.items() if o == "crashed"]
    for t in regressed:
        print(f"REGRESSION {t}: {results.get(t, ('missing', ''))[1]}")
    for t in crashed:
        print(f"CRASH {t}: {results[t][1]}")
    if args.v:
        for t, (o, msg) in sorted(results.items()):
            if o not in ("passed", "crashed"):
                print(f"{o.upper()} {t}: {msg}")
    failed = len(regressed) + len(crashed)
    print(f"{len(listed) - len(regressed)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
