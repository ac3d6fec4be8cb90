#!/usr/bin/python3
"""deepseek vs ONNX Runtime on the same machine, same thread count.

  bench/run.py [--models resnet50,mobilenet_v2,...] [--rounds 15] [--iterations 20]
               [--threads 1] [--neighbour] [--write-docs]

For each model (exported by test/e2e/export_models.py, random weights):
compile time of deepseek-package; then `rounds` alternating rounds of ds-run
and ONNX Runtime (graph optimizations on), each timing `iterations` runs
after a warmup; the medians over all rounds, their ratio ds/ORT (and the
median and range of each round's own ratio, a measure of the noise), peak
resident memory of each process, and GFLOP/s of each against this core's
measured FMA peak (bench/fma_peak.c). --write-docs updates docs/Benchmarks.md.
--neighbour keeps a busy process running beside the timed runs, as a
neighbour on a shared machine would: then both runtimes have fewer cores
than threads part of the time.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e"))
from export_models import BENCH_MODELS, MODELS  # noqa: E402

MODELS = {**{k: MODELS[k] for k in ("resnet50", "mobilenet_v2", "efficientnet_b0")}, **BENCH_MODELS}
from real_models_ort import ORT_DIR  # noqa: E402

BIN = os.path.join(ROOT, "build", "bin")
MODEL_DIR = os.path.join(ROOT, "build", "models")


def model_gflop(path, shape_spec):
    """2 x multiply-adds of every conv, matmul and gemm, read from the
    converted ds IR, where every shape is static."""
    ir = subprocess.run([os.path.join(BIN, "deepseek-convert"), "-i", path, "-o", "-",
                         "--emit", "mlir", "--input-shape", shape_spec],
                        capture_output=True, text=True, check=True).stdout.split("{-#")[0]
    dims = lambda t: [int(d) for d in t.split("x")[:-1]] if "x" in t else []
    flops = 0
    for line in ir.splitlines():
        m = re.search(r"= ds\.(conv|matmul|gemm) .*: \((.*)\) -> tensor<([^>]*)>", line)
        if not m:
            continue
        op, operands, out = m.group(1), re.findall(r"tensor<([^>]*)>", m.group(2)), dims(m.group(3))
        a, b = dims(operands[0]), dims(operands[1])
        if op == "conv":
            k = int(np.prod(b[1:]))
        elif op == "gemm":
            k = a[0] if "transA = true" in line else a[1]
        else:
            k = a[-1]
        flops += 2 * int(np.prod(out)) * k
    return flops / 1e9


def peak_rss_mb(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-500:])
    return r.stdout, int(r.stderr.strip().splitlines()[-1]) / 1024


def time_rounds(args, pkg, work, input_name):
    """Alternating rounds of ds-run and ORT: their medians and peak RSS."""
    ds_times, ort_times, ds_mem, ort_mem = [], [], 0, 0
    for _ in range(args.rounds):
        out, mem = peak_rss_mb([os.path.join(pkg, "ds-run"), pkg, "--input",
                                f"{input_name}={work}/x.npy", "--iterations",
                                str(args.iterations), "--warmup", str(args.warmup),
                                "--threads", str(args.threads)])
        ds_times.append(float(re.search(r"median ([0-9.]+) ms", out).group(1)))
        ds_mem = max(ds_mem, mem)
        out, mem = peak_rss_mb(["node", os.path.join(ORT_DIR, "ort_run.js"),
                                os.path.join(work, "spec.json")])
        ort_times.append(json.loads(out.strip().splitlines()[-1])["median_ms"])
        ort_mem = max(ort_mem, mem)
    return ds_times, ort_times, ds_mem, ort_mem


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  bench/run.py --models mobilenet_v2 --threads 2\n"
               "  bench/run.py --models mobilenet_v2 --threads 2 --neighbour\n"
               "  bench/run.py --threads 1 --write-docs   # all models, into docs/Benchmarks.md")
    parser.add_argument("--models", default=",".join(MODELS),
                        help="comma-separated, of: " + ", ".join(MODELS) + " (default: all)")
    # 9 rounds of 5 runs read MobileNetV2 at two threads anywhere from 0.92
    # to 1.02 on a shared host within an hour; 25 of 20 held at 0.92.
    parser.add_argument("--rounds", type=int, default=15,
                        help="alternating rounds of ds-run and ORT (default: 15)")
    parser.add_argument("--iterations", type=int, default=20,
                        help="timed runs in each round's process (default: 20)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed runs before them (default: 1)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for both (default: 1)")
    parser.add_argument("--neighbour", action="store_true",
                        help="run a busy process beside the timed runs")
    parser.add_argument("--write-docs", action="store_true",
                        help="replace this thread count's table (with --neighbour, its own) "
                             "in docs/Benchmarks.md")
    args = parser.parse_args()
    names = args.models.split(",")
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        parser.error(f"unknown model '{unknown[0]}' in --models (known: {', '.join(MODELS)})")
    for flag, value, least in (("--rounds", args.rounds, 1), ("--iterations", args.iterations, 1),
                               ("--warmup", args.warmup, 0), ("--threads", args.threads, 1)):
        if value < least:
            parser.error(f"{flag} must be at least {least}, not {value}")
    if not shutil.which("node") or not os.path.isdir(os.path.join(ORT_DIR, "node_modules")):
        sys.exit("bench: onnxruntime-node is missing (scripts/setup.sh installs it)")
    subprocess.run([sys.executable, os.path.join(ROOT, "test", "e2e", "export_models.py"),
                    MODEL_DIR, *names], check=True, capture_output=True)

    work = tempfile.mkdtemp(prefix="ds-bench-")
    # Whole 512-bit registers where the CPU has them: clang's tuning for
    # Intel's AVX-512 cores splits them in two, which halves the peak there.
    subprocess.run(["clang-22", "-O2", "-march=native", "-mprefer-vector-width=512",
                    os.path.join(ROOT, "bench", "fma_peak.c"), "-o", os.path.join(work, "fma_peak")],
                   check=True)
    # The best of three: a busy neighbour only ever lowers it.
    fma_peak = max(float(subprocess.run([os.path.join(work, "fma_peak")], capture_output=True,
                                        text=True, check=True).stdout) for _ in range(3))
    rows = []
    for name in names:
        model = os.path.join(MODEL_DIR, name + ".onnx")
        spec = MODELS[name]
        input_name, dims = spec.split("=")
        shape = [int(d) for d in dims.split("x")]
        pkg = os.path.join(work, name)
        start = time.perf_counter()
        subprocess.run([os.path.join(BIN, "deepseek-package"), "--model", model, "--output", pkg,
                        "--input-shape", spec, "--threads", str(args.threads)],
                       check=True, capture_output=True)
        compile_s = time.perf_counter() - start
        x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        np.save(os.path.join(work, "x.npy"), x)
        x.tofile(os.path.join(work, "x.bin"))
        ort_spec = {"model": model, "threads": args.threads, "iterations": args.iterations,
                    "warmup": args.warmup, "output_dir": os.path.join(work, "ort_out"),
                    "inputs": [{"name": input_name, "dtype": "float32", "shape": shape,
                                "file": os.path.join(work, "x.bin")}]}
        with open(os.path.join(work, "spec.json"), "w") as f:
            json.dump(ort_spec, f)
        neighbour = (subprocess.Popen([sys.executable, "-c", "while True: pass"])
                     if args.neighbour else None)
        try:
            ds_times, ort_times, ds_mem, ort_mem = time_rounds(args, pkg, work, input_name)
        finally:
            if neighbour:
                neighbour.kill()
                neighbour.wait()
        gflop = model_gflop(model, spec)
        ds_ms, ort_ms = statistics.median(ds_times), statistics.median(ort_times)
        # Each round's two runs are seconds apart: their ratio sees the
        # same neighbours, so its spread shows how far noise moved it.
        paired = sorted(d / o for d, o in zip(ds_times, ort_times))
        row = {"model": name, "gflop": gflop, "ds_ms": ds_ms, "ort_ms": ort_ms,
               "ratio": ds_ms / ort_ms, "round_ratio": statistics.median(paired),
               "round_ratio_min": paired[0], "round_ratio_max": paired[-1],
               "ds_gflops": gflop / ds_ms * 1e3,
               "ort_gflops": gflop / ort_ms * 1e3, "ds_mb": ds_mem, "ort_mb": ort_mem,
               "compile_s": compile_s}
        rows.append(row)
        print(json.dumps(row), flush=True)
    shutil.rmtree(work, ignore_errors=True)

    peak = fma_peak * args.threads
    header = (f"Machine: {platform.machine()} ({host_cpu()}), {os.cpu_count()} cores; "
              f"measured FMA peak {fma_peak:.1f} GFLOP/s per core (x {args.threads} threads = "
              f"{peak:.1f}); {args.rounds} alternating rounds x {args.iterations} runs (after "
              f"{args.warmup} warmup), medians"
              f"{'; a busy process beside them (--neighbour)' if args.neighbour else ''}.")
    table = ["| model | GFLOP | ds (ms) | ORT (ms) | ds/ORT | by round: median (range) "
             "| ds GFLOP/s (% peak) | ORT GFLOP/s (% peak) "
             "| ds peak RSS (MB) | ORT peak RSS (MB) | compile (s) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        table.append(f"| {r['model']} | {r['gflop']:.2f} | {r['ds_ms']:.1f} | {r['ort_ms']:.1f} | "
                     f"{r['ratio']:.2f} | {r['round_ratio']:.2f} ({r['round_ratio_min']:.2f}-"
                     f"{r['round_ratio_max']:.2f}) | "
                     f"{r['ds_gflops']:.1f} ({100 * r['ds_gflops'] / peak:.0f}%) | "
                     f"{r['ort_gflops']:.1f} ({100 * r['ort_gflops'] / peak:.0f}%) | "
                     f"{r['ds_mb']:.0f} | {r['ort_mb']:.0f} | {r['compile_s']:.1f} |")
    print(header)
    print("\n".join(table))
    if args.write_docs:
        write_docs(args.threads, args.neighbour, header + "\n\n" + "\n".join(table) + "\n")


def host_cpu():
    """LLVM's name for this CPU (what a host package is compiled for)."""
    try:
        out = subprocess.run(["/usr/lib/llvm-22/bin/llc", "--version"], capture_output=True,
                             text=True).stdout
        return re.search(r"Host CPU: (\S+)", out).group(1)
    except (OSError, AttributeError):
        return "unknown CPU"


def write_docs(threads, neighbour, body):
    """Replaces this thread count's section of docs/Benchmarks.md."""
    path = os.path.join(ROOT, "docs", "Benchmarks.md")
    intro = ("# Benchmarks: deepseek vs ONNX Runtime\n\n"
             "Measured with `bench/run.py --threads N --write-docs` (see its --help), which "
             "rewrites the section for N (with --neighbour, a section of its own). ORT is "
             "npm `onnxruntime-node` 1.30.0 on the CPU with graph optimizations on and the "
             "same thread count; peak RSS of ORT includes node itself. `ds-run --profile` "
             "shows deepseek's time per layer; `bench/layers.py PKG MODEL.onnx` puts it "
             "beside ORT's profiler's, layer by layer (each layer's fastest of alternating "
             "rounds).\n")
    sections = {}
    if os.path.exists(path):
        text = open(path).read()
        for part in re.split(r"^## ", text, flags=re.M)[1:]:
            title, _, rest = part.partition("\n")
            sections[title.strip()] = rest.strip() + "\n"
    title = f"{threads} thread{'s' if threads > 1 else ''}"
    sections[title + (", a busy neighbour" if neighbour else "")] = body
    with open(path, "w") as f:
        f.write(intro)
        # Thread counts in order, then the hand-written sections.
        for title in sorted(sections, key=lambda t: (0, int(t.split()[0]), t) if t[0].isdigit() else (1, t)):
            f.write(f"\n## {title}\n\n{sections[title]}")


if __name__ == "__main__":
    main()
