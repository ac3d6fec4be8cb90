#!/usr/bin/python3
"""Compiles the real architectures of export_models.py for the host and
checks that ds-run's outputs match ONNX Runtime's on the same random input:
max |ds - ort| / max |ort| <= 1e-4 per output, on 1 thread and (on the
host) on 3.

  real_models_ort.py BUILD_BIN MODEL_DIR [--platform P] [NAME ...]

With --platform (raspberrypi, ...) the package is built for that platform and
run through its ./run wrapper (qemu-aarch64 here); ONNX Runtime runs on the
host.

Skips loudly when torch or onnxruntime-node (test/e2e/ort) is missing.
Ends with "N passed, N failed".
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_models import MODELS  # noqa: E402

ORT_DIR = os.path.join(HERE, "ort")
TOLERANCE = 1e-4


def ort_available():
    return (shutil.which("node") and
            os.path.isdir(os.path.join(ORT_DIR, "node_modules", "onnxruntime-node")))


def run_ort(model, inputs, work, threads=1, iterations=1, warmup=0):
    """ORT's outputs (name -> array) and its timing for `inputs` (name -> array)."""
    spec = {"model": model, "threads": threads, "iterations": iterations,
            "warmup": warmup, "output_dir": os.path.join(work, "ort_out"), "inputs": []}
    for i, (name, value) in enumerate(inputs.items()):
        f = os.path.join(work, f"ort_in{i}.bin")
        value.tofile(f)
        spec["inputs"].append({"name": name, "dtype": str(value.dtype),
                               "shape": list(value.shape), "file": f})
    with open(os.path.join(work, "spec.json"), "w") as f:
        json.dump(spec, f)
    r = subprocess.run(["node", os.path.join(ORT_DIR, "ort_run.js"),
                        os.path.join(work, "spec.json")], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"onnxruntime: {r.stderr.strip()}")
    described = json.load(open(os.path.join(spec["output_dir"], "outputs.json")))
    outputs = {o["name"]: np.fromfile(os.path.join(spec["output_dir"], f"{i}.bin"),
                                      dtype=o["dtype"]).reshape(o["shape"])
               for i, o in enumerate(described)}
    return outputs, json.loads(r.stdout)


def main():
    bin_dir, model_dir = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    platform = "host"
    if rest[:1] == ["--platform"]:
        platform, rest = rest[1], rest[2:]
    names = rest or list(MODELS)
    r = subprocess.run([sys.executable, os.path.join(HERE, "export_models.py"), model_dir, *names],
                       capture_output=True, text=True)
    if r.returncode == 77 or not ort_available():
        print("real models vs ONNX Runtime: SKIPPED, needs python3-torch and onnxruntime-node "
              "(scripts/setup.sh installs both)")
        print("0 passed, 0 failed")
        return 0
    if r.returncode != 0:
        print(f"real models: export failed: {r.stderr.strip()[-300:]}")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    rng = np.random.default_rng(0)
    for name in names:
        model = os.path.join(model_dir, name + ".onnx")
        shape_spec = MODELS[name]
        input_name, dims = shape_spec.split("=")
        shape = [int(d) for d in dims.split("x")]
        work = tempfile.mkdtemp(prefix=f"ds-{name}-")
        try:
            pkg = os.path.join(work, "pkg")
            r = subprocess.run([os.path.join(bin_dir, "deepseek-package"), "--model", model,
                                "--output", pkg, "--input-shape", shape_spec,
                                "--platform", platform],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"FAIL {name}: deepseek-package: {r.stderr.strip()[-400:]}")
                failed += 1
                continue
            x = rng.standard_normal(shape).astype(np.float32)
            np.save(os.path.join(work, "x.npy"), x)
            # On the host also on 3 threads, which split every kernel's
            # work unevenly.
            runs = {"out": []} if platform != "host" else {"out": [], "out3": ["--threads", "3"]}
            error = None
            for out_dir, flags in runs.items():
                r = subprocess.run([os.path.join(pkg, "run"), "--input",
                                    f"{input_name}={work}/x.npy", "--output-dir",
                                    f"{work}/{out_dir}", *flags],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    error = f"ds-run {' '.join(flags)}: {r.stderr.strip()[-300:]}"
            if error:
                print(f"FAIL {name}: {error}")
                failed += 1
                continue
            reference, _ = run_ort(model, {input_name: x}, work)
            worst = 0.0
            for out_name, want in reference.items():
                for out_dir in runs:
                    got = np.load(os.path.join(work, out_dir, out_name + ".npy"))
                    scale = max(float(np.abs(want).max()), 1e-30)
                    error = float(np.abs(got.astype(np.float64) - want).max()) / scale
                    # NaN compares false: a NaN output (ds or ORT) fails.
                    worst = max(worst, error) if np.isfinite(error) else float("inf")
            # Results do not depend on the thread count (docs/Runtime.md).
            identical = all(np.array_equal(np.load(os.path.join(work, "out", f)),
                                           np.load(os.path.join(work, d, f)))
                            for d in runs for f in os.listdir(os.path.join(work, "out")))
            ok = worst <= TOLERANCE and identical
            print(f"{'ok  ' if ok else 'FAIL'} {name} ({platform}{', 1 and 3 threads' if len(runs) > 1 else ''}): "
                  f"max relative error {worst:.2e} (tolerance {TOLERANCE:.0e})"
                  f"{'' if identical else '; 3 threads differ from 1'}")
            passed += ok
            failed += not ok
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
