#!/usr/bin/python3
"""Imports every model of the ONNX backend test data with deepseek-convert.

Each model either imports (and verifies) or fails with a clear error; a crash
or a message without "error:" is a bug. The checked-in list of models that
import (onnx-import-passing.txt) guards against regressions:

  onnx_import_suite.py BUILD_BIN                 check; exit 1 on a regression
  onnx_import_suite.py BUILD_BIN --update        rewrite the list

Prints counts per category and ends with "N passed, N failed" (passed: listed
models that still import; failed: listed models that no longer do, and
crashes).
"""
import argparse
import collections
import concurrent.futures
import os
import subprocess
import sys

DATA = "/usr/share/libonnx-testdata/data"
CATEGORIES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
HERE = os.path.dirname(os.path.abspath(__file__))
LIST = os.path.join(HERE, "onnx-import-passing.txt")


def classify(convert, model):
    try:
        r = subprocess.run([convert, "--input", model, "--output", os.devnull],
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "crashed", "timeout"
    out = (r.stdout + r.stderr).strip()
    if r.returncode == 0:
        return "imported", ""
    if r.returncode < 0 or "error:" not in out:
        return "crashed", out[-300:] or f"exit code {r.returncode}"
    if "unsupported ONNX ops" in out:
        return "unsupported", out
    return "error", out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin", help="folder with deepseek-convert")
    parser.add_argument("--update", action="store_true")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 2)
    parser.add_argument("-v", action="store_true", help="print every failure")
    args = parser.parse_args()
    convert = os.path.join(args.bin, "deepseek-convert")

    if not os.path.isdir(DATA):
        print(f"onnx import suite: SKIPPED, {DATA} is missing "
              "(apt install libonnx-testdata)")
        print("0 passed, 0 failed")
        return 0

    tests = []
    for cat in CATEGORIES:
        for name in sorted(os.listdir(os.path.join(DATA, cat))):
            model = os.path.join(DATA, cat, name, "model.onnx")
            if os.path.exists(model):
                tests.append((f"{cat}/{name}", model))

    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = dict(zip((t for t, _ in tests),
                           pool.map(lambda t: classify(convert, t[1]), tests)))

    counts = collections.defaultdict(collections.Counter)
    unsupported_ops = collections.Counter()
    for test, (status, msg) in results.items():
        counts[test.split("/")[0]][status] += 1
        if status == "unsupported":
            for part in msg.split("unsupported ONNX ops: ", 1)[1].split("), "):
                unsupported_ops[part.split(" (")[0]] += 1
    print(f"{'category':<20}{'imported':>10}{'unsupported':>13}{'error':>8}"
          f"{'crashed':>9}{'total':>8}")
    for cat in CATEGORIES:
        c = counts[cat]
        print(f"{cat:<20}{c['imported']:>10}{c['unsupported']:>13}"
              f"{c['error']:>8}{c['crashed']:>9}{sum(c.values()):>8}")
    print("most common unsupported ops (models):",
          ", ".join(f"{op} {n}" for op, n in unsupported_ops.most_common(25)))

    imported = sorted(t for t, (s, _) in results.items() if s == "imported")
    if args.update:
        with open(LIST, "w") as f:
            f.write("# Models of the ONNX backend test data that deepseek-convert "
                    "imports.\n# Regenerate: test/e2e/onnx_import_suite.py "
                    "build/bin --update\n")
            f.write("".join(t + "\n" for t in imported))
        print(f"wrote {len(imported)} models to {LIST}")

    with open(LIST) as f:
        listed = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    regressed = [t for t in listed if results.get(t, ("missing",))[0] != "imported"]
    crashed = [t for t, (s, _) in results.items() if s == "crashed"]
    for t in regressed:
        print(f"REGRESSION {t}: {results.get(t, ('missing', ''))[1]}")
    for t in crashed:
        print(f"CRASH {t}: {results[t][1]}")
    if args.v:
        for t, (s, msg) in sorted(results.items()):
            if s in ("error", "unsupported"):
                print(f"{s.upper()} {t}: {msg.splitlines()[0] if msg else ''}")
    failed = len(regressed) + len(crashed)
    print(f"{len(listed) - len(regressed)} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
