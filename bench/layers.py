#!/usr/bin/python3
"""Where a deepseek package and ONNX Runtime spend their time, layer by layer.

  bench/layers.py PKG MODEL.onnx [--threads 1] [--rounds 5] [--iterations 20]
                  [--warmup 3] [--all]

Alternating rounds of `ds-run PKG --profile` and ORT with its profiler on
(same random input, same threads). The layers that do the arithmetic (conv,
gemm, matmul) are matched by their order in each runtime, which both keep
from the model; each row is one of them and the layers after it up to the
next (so a SiLU that ds fused into a convolution and ORT ran as its own
QuickGelu is on the convolution's row on both sides). For each layer,
the fastest of the rounds on each side (the least disturbed by neighbours
on a shared host), and their difference, largest first (all layers, in
order, with --all). Where the two runtimes fused differently and the counts
of such layers differ, only the totals are printed.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e"))
from real_models_ort import ORT_DIR  # noqa: E402
from ab import add_run_options, check_run_options, profile_rows  # noqa: E402 (bench/)

DS_COMPUTE = {"conv", "gemm", "matmul"}
ORT_COMPUTE = {"Conv", "FusedConv", "Gemm", "MatMul", "FusedMatMul"}


def ds_layers(pkg, name, x, args):
    """One ds-run with --profile: [(name, op, shape, ms)] in model order."""
    r = subprocess.run([os.path.join(pkg, "ds-run"), pkg, "--input", f"{name}={x}", "--profile",
                        "--threads", str(args.threads), "--iterations", str(args.iterations),
                        "--warmup", str(args.warmup)], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"layers: {pkg}: ds-run failed: {(r.stderr or r.stdout).strip()[-500:]}")
    return profile_rows(r.stdout)


def ort_layers(model, spec, work):
    """One ORT process with its profiler: [(name, op, ms)] in run order, each
    node's median over the runs of that process (warmup included, which the
    median outvotes)."""
    for old in glob.glob(os.path.join(work, "prof*.json")):
        os.remove(old)
    spec = {**spec, "profile": os.path.join(work, "prof")}
    with open(os.path.join(work, "spec.json"), "w") as f:
        json.dump(spec, f)
    r = subprocess.run(["node", os.path.join(ORT_DIR, "ort_run.js"),
                        os.path.join(work, "spec.json")], capture_output=True, text=True)
    traces = glob.glob(os.path.join(work, "prof*.json"))
    if r.returncode != 0 or len(traces) != 1:
        sys.exit(f"layers: {model}: ORT failed: {(r.stderr or r.stdout).strip()[-500:]}")
    with open(traces[0]) as f:
        events = [e for e in json.load(f) if e.get("cat") == "Node"
                  and e["name"].endswith("_kernel_time")]
    times, ops = collections.defaultdict(list), {}
    for e in events:
        times[e["name"]].append(e["dur"] / 1000)
        ops[e["name"]] = e["args"].get("op_name", "?")
    return [(n[:-len("_kernel_time")], ops[n], float(np.median(t))) for n, t in times.items()]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n"
               "  deepseek-package --model m.onnx --output /tmp/m --threads 2\n"
               "  bench/layers.py /tmp/m m.onnx --threads 2")
    parser.add_argument("pkg", metavar="PKG", help="a deepseek package of MODEL")
    parser.add_argument("model", metavar="MODEL.onnx", help="the model ORT runs")
    add_run_options(parser, rounds=5, iterations=20)
    parser.add_argument("--all", action="store_true", help="every layer, in model order")
    args = parser.parse_args()
    check_run_options(parser, args)
    try:
        with open(os.path.join(args.pkg, "manifest.json")) as f:
            inputs = json.load(f)["inputs"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"layers: {args.pkg}: not a deepseek package ({e})")
    if len(inputs) != 1:
        sys.exit(f"layers: {args.pkg}: takes {len(inputs)} inputs; only one is supported")
    if not os.path.isdir(os.path.join(ORT_DIR, "node_modules")):
        sys.exit("layers: onnxruntime-node is missing (scripts/setup.sh installs it)")
    inp = inputs[0]
    with tempfile.TemporaryDirectory(prefix="ds-layers-") as work:
        x = np.random.default_rng(0).standard_normal(inp["shape"]).astype(inp["dtype"])
        np.save(os.path.join(work, "x.npy"), x)
        x.tofile(os.path.join(work, "x.bin"))
        spec = {"model": args.model, "threads": args.threads, "iterations": args.iterations,
                "warmup": args.warmup, "output_dir": os.path.join(work, "out"),
                "inputs": [{"name": inp["name"], "dtype": inp["dtype"], "shape": inp["shape"],
                            "file": os.path.join(work, "x.bin")}]}
        ds_rounds, ort_rounds = [], []
        for r in range(args.rounds):
            ds_rounds.append(ds_layers(args.pkg, inp["name"], os.path.join(work, "x.npy"), args))
            ort_rounds.append(ort_layers(args.model, spec, work))
            print(f"round {r + 1}: ds {sum(l[3] for l in ds_rounds[-1]):.3f} ms, "
                  f"ORT {sum(l[2] for l in ort_rounds[-1]):.3f} ms (sums of layers)", flush=True)

    def fastest(rounds, ms):
        return [min(r[i][ms] for r in rounds) for i in range(len(rounds[0]))]

    ds_ms, ort_ms = fastest(ds_rounds, 3), fastest(ort_rounds, 2)
    ds_hot = [i for i, l in enumerate(ds_rounds[0]) if l[1] in DS_COMPUTE]
    ort_hot = [i for i, l in enumerate(ort_rounds[0]) if l[1] in ORT_COMPUTE]
    total = (sum(ds_ms), sum(ort_ms))
    print(f"sum of each layer's fastest round: ds {total[0]:.3f} ms, ORT {total[1]:.3f} ms "
          f"(ratio {total[0] / total[1]:.3f})")
    if len(ds_hot) != len(ort_hot) or not ds_hot:
        print(f"ds has {len(ds_hot)} conv/gemm/matmul layers and ORT {len(ort_hot)}: "
              "not matched one to one")
        return
    # A row is a compute layer and every layer after it up to the next one:
    # what one runtime fused into a convolution (an activation, a residual
    # add) and the other ran apart is on the same row either way.
    ds_ends, ort_ends = ds_hot[1:] + [len(ds_ms)], ort_hot[1:] + [len(ort_ms)]
    rows = [(ds_rounds[0][i][0], ds_rounds[0][i][2], sum(ds_ms[i:di]), sum(ort_ms[j:oj]),
             ort_rounds[0][j][0]) for i, j, di, oj in zip(ds_hot, ort_hot, ds_ends, ort_ends)]
    rows.append(("(before the first)", "", sum(ds_ms[:ds_hot[0]]), sum(ort_ms[:ort_hot[0]]), ""))
    if not args.all:
        rows.sort(key=lambda row: row[3] - row[2])
    print(f"{'ds layer':<33}{'shape':<18}{'ds ms':>8}{'ORT ms':>8}{'diff':>8}  ORT node")
    for name, shape, d, o, node in rows:
        print(f"{name:<33}{shape:<18}{d:8.3f}{o:8.3f}{d - o:+8.3f}  {node[-50:]}")


if __name__ == "__main__":
    main()
