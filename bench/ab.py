#!/usr/bin/python3
"""Two deepseek packages of one model side by side: is B faster than A?

  bench/ab.py PKG_A PKG_B [--threads 1] [--rounds 11] [--iterations 30]
              [--warmup 3] [--layers] [--input NAME=FILE.npy ...]

Each round runs both packages' ds-run once (A first in even rounds, B first
in odd ones, so a drift in the machine's speed favours neither) and takes
the median of its timed runs. A round's two runs are seconds apart and see
the same neighbours, so the median of the rounds' own ratios B/A is the
figure to quote on a shared machine: it holds still where the times
themselves move by half (a cloud host shared with other tenants, whose two
vCPUs at moments both run at half speed). With --layers both run with
--profile and layers are matched by name: each layer's median over the
rounds, those that moved most first.
Inputs not given are random normal floats, the same for both. The packages
must hold the same model with the same inputs (say, built by two versions of
the compiler or its kernels).
"""
import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

import numpy as np


def manifest(pkg):
    path = os.path.join(pkg, "manifest.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"ab: {path}: not a deepseek package ({e})")


def profile_rows(stdout):
    """ds-run --profile's table as [(name, op, shape, ms)] in model order.
    Its rows: index, name (cut to 32 characters), op, shape, ms, %, GFLOP/s,
    slowest first."""
    rows = sorted((int(f[0]), f[1], f[2], f[3], float(f[4]))
                  for f in map(str.split, stdout.splitlines()[2:])
                  if len(f) >= 7 and f[0].isdigit())
    return [row[1:] for row in rows]


def run(pkg, inputs, args):
    """One ds-run: its median in ms, and with --layers {layer name: ms}."""
    cmd = [os.path.join(pkg, "ds-run"), pkg, "--threads", str(args.threads),
           "--iterations", str(args.iterations), "--warmup", str(args.warmup)]
    for name, path in inputs.items():
        cmd += ["--input", f"{name}={path}"]
    if args.layers:
        cmd.append("--profile")
    r = subprocess.run(cmd, capture_output=True, text=True)
    median = re.search(r"median ([0-9.]+) ms", r.stdout)
    if r.returncode != 0 or not median:
        sys.exit(f"ab: {pkg}: ds-run failed: {(r.stderr or r.stdout).strip()[-500:]}")
    # Layers alike in name, op and shape are told apart by their order in
    # the model (#2, #3, ...).
    layers, seen = {}, collections.Counter()
    for name, op, shape, ms in profile_rows(r.stdout):
        key = f"{name} {op} {shape}"
        seen[key] += 1
        layers[key + (f" #{seen[key]}" if seen[key] > 1 else "")] = ms
    return float(median.group(1)), layers


def add_run_options(parser, rounds, iterations):
    """--threads, --rounds, --iterations and --warmup (ab.py's and layers.py's)."""
    parser.add_argument("--threads", type=int, default=1, help="threads for both (default: 1)")
    parser.add_argument("--rounds", type=int, default=rounds, help=f"rounds (default: {rounds})")
    parser.add_argument("--iterations", type=int, default=iterations,
                        help=f"timed runs in each round's process (default: {iterations})")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default: 3)")


def check_run_options(parser, args):
    for flag, value, least in (("--rounds", args.rounds, 1), ("--iterations", args.iterations, 1),
                               ("--warmup", args.warmup, 0), ("--threads", args.threads, 1)):
        if value < least:
            parser.error(f"{flag} must be at least {least}, not {value}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n"
               "  bench/ab.py /tmp/before /tmp/after --threads 2 --layers")
    parser.add_argument("a", metavar="PKG_A", help="the reference package")
    parser.add_argument("b", metavar="PKG_B", help="the package measured against it")
    add_run_options(parser, rounds=11, iterations=30)
    parser.add_argument("--layers", action="store_true", help="compare layer by layer too")
    parser.add_argument("--input", action="append", default=[], metavar="NAME=FILE.npy",
                        help="bind an input (repeat per input; default: random)")
    args = parser.parse_args()
    check_run_options(parser, args)
    manifests = [manifest(p) for p in (args.a, args.b)]
    if manifests[0]["model"] != manifests[1]["model"]:
        sys.exit(f"ab: {args.a} and {args.b} are different models: "
                 f"{manifests[0]['model']} and {manifests[1]['model']}")
    specs = [m["inputs"] for m in manifests]
    if specs[0] != specs[1]:
        sys.exit(f"ab: {args.a} and {args.b} take different inputs: {specs[0]} vs {specs[1]}")
    inputs = {}
    for given in args.input:
        name, sep, path = given.partition("=")
        if not sep or not name or not path:
            parser.error(f"--input '{given}' is not NAME=FILE.npy")
        inputs[name] = path
    with tempfile.TemporaryDirectory(prefix="ds-ab-") as work:
        rng = np.random.default_rng(0)
        for spec in specs[0]:
            if spec["name"] not in inputs:
                path = os.path.join(work, f"input{len(inputs)}.npy")
                np.save(path, rng.standard_normal(spec["shape"]).astype(spec["dtype"]))
                inputs[spec["name"]] = path
        times = {"A": [], "B": []}
        layers = {"A": [], "B": []}
        for r in range(args.rounds):
            order = (("A", args.a), ("B", args.b))
            for which, pkg in order if r % 2 == 0 else order[::-1]:
                ms, per_layer = run(pkg, inputs, args)
                times[which].append(ms)
                layers[which].append(per_layer)
            print(f"round {r + 1}: A {times['A'][-1]:.3f} ms  B {times['B'][-1]:.3f} ms  "
                  f"B/A {times['B'][-1] / times['A'][-1]:.3f}", flush=True)
    ratios = sorted(b / a for a, b in zip(times["A"], times["B"]))
    if args.layers:
        names = [n for n in layers["A"][0] if n in layers["B"][0]]
        med = {w: {n: statistics.median(l[n] for l in layers[w]) for n in names} for w in "AB"}
        moved = sorted(names, key=lambda n: -abs(med["B"][n] - med["A"][n]))
        print("layers that moved most (median over rounds, ms):")
        for n in moved[:15]:
            print(f"  {n:<60} A {med['A'][n]:.3f}  B {med['B'][n]:.3f}  "
                  f"{med['B'][n] - med['A'][n]:+.3f}")
        only = [n for w in "AB" for n in layers[w][0] if n not in names]
        if only:
            print(f"  ({len(only)} layers are in one package only)")
    print(f"A median {statistics.median(times['A']):.3f} ms, B median "
          f"{statistics.median(times['B']):.3f} ms; B/A by round: median "
          f"{statistics.median(ratios):.3f} (range {ratios[0]:.3f}-{ratios[-1]:.3f}, "
          f"{args.rounds} rounds, {args.threads} thread{'s' if args.threads > 1 else ''})")


if __name__ == "__main__":
    main()
