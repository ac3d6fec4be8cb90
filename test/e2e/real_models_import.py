#!/usr/bin/python3
"""Imports real architectures (test/e2e/export_models.py) with --input-shape
and checks that every type in the result is static. Prints the time of a
whole conversion to .ds (median of 3) per model and ends with
"N passed, N failed".

  real_models_import.py BUILD_BIN MODEL_DIR
"""
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export_models import MODELS  # noqa: E402


def main():
    bin_dir, model_dir = sys.argv[1], sys.argv[2]
    r = subprocess.run([sys.executable, os.path.join(HERE, "export_models.py"), model_dir])
    if r.returncode == 77:
        print("real models: SKIPPED, python3-torch is not installed "
              "(scripts/setup.sh installs it)")
        print("0 passed, 0 failed")
        return 0
    if r.returncode != 0:
        print("real models: export failed")
        print("0 passed, 1 failed")
        return 1
    convert = os.path.join(bin_dir, "deepseek-convert")
    passed = failed = 0
    print(f"{'model':<18}{'convert (median of 3)':>22}{'ds ops':>8}  static")
    for name, shape in MODELS.items():
        model = os.path.join(model_dir, name + ".onnx")
        times = []
        for _ in range(3):
            start = time.perf_counter()
            out = subprocess.run([convert, "-i", model, "-o", os.path.join(model_dir, name + ".ds"),
                                  "--input-shape", shape], capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if out.returncode != 0:
                break
        if out.returncode == 0:
            out = subprocess.run([convert, "-i", model, "-o", "-", "--emit", "mlir",
                                  "--input-shape", shape], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"FAIL {name}: {out.stderr.strip()}")
            failed += 1
            continue
        # Every tensor type in the IR, minus resource blobs' hex.
        ir = out.stdout.split("{-#")[0]
        dynamic = re.findall(r"tensor<[^>]*\?[^>]*>|tensor<\*", ir)
        ops = len(re.findall(r"= ds\.(?!constant)", ir))
        ok = not dynamic
        print(f"{name:<18}{statistics.median(times):>20.2f} s{ops:>8}  {'yes' if ok else 'NO: ' + dynamic[0]}")
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
