#!/usr/bin/env bash
# Builds everything (installing missing Debian packages first) and runs every
# test suite: lit/FileCheck (test/), Catch2 unit tests (CTest). Ends with one
# line "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
build="$root/build"
passed=0 failed=0
log=$(mktemp -d)

count() { # count FILE PASS_REGEX FAIL_REGEX: sums every matching line
  local p f
  p=$(grep -oE "$2" "$1" | grep -oE '[0-9]+' | awk '{s += $1} END {print s + 0}')
  f=$(grep -oE "$3" "$1" | grep -oE '[0-9]+' | awk '{s += $1} END {print s + 0}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

echo "== lit (FileCheck) =="
/usr/lib/llvm-22/bin/lit -sv "$build/test" 2>&1 | tee "$log/lit"
lit_rc=${PIPESTATUS[0]}
count "$log/lit" '^  Passed *: *[0-9]+' '^  Failed *: *[0-9]+'
# An unparsable lit failure must still fail the run.
if [ "$lit_rc" != 0 ] && ! grep -qE '^  Failed *: *[1-9]' "$log/lit"; then failed=$((failed + 1)); fi

echo "== unit tests (Catch2 via CTest) =="
(cd "$build" && ctest --output-on-failure) 2>&1 | tee "$log/ctest"
ctest_rc=${PIPESTATUS[0]}
total=$(grep -oE 'tests failed out of [0-9]+' "$log/ctest" | grep -oE '[0-9]+$')
bad=$(grep -oE '[0-9]+ tests failed out of' "$log/ctest" | grep -oE '^[0-9]+')
passed=$((passed + ${total:-0} - ${bad:-0}))
failed=$((failed + ${bad:-0}))
if [ "$ctest_rc" != 0 ] && [ "${bad:-0}" = 0 ]; then failed=$((failed + 1)); fi

# An end-to-end suite that ends with its own "N passed, N failed" line.
e2e() { # e2e NAME COMMAND...
  local name=$1 rc
  shift
  echo "== $name =="
  "$@" 2>&1 | tee "$log/e2e"
  rc=${PIPESTATUS[0]}
  count "$log/e2e" '^[0-9]+ passed' '[0-9]+ failed$'
  if [ "$rc" != 0 ] && ! grep -qE '[1-9][0-9]* failed$' "$log/e2e"; then failed=$((failed + 1)); fi
}
e2e "ONNX backend test data: import" /usr/bin/python3 test/e2e/onnx_import_suite.py "$build/bin"
e2e "real models: import" /usr/bin/python3 test/e2e/real_models_import.py "$build/bin" "$build/models"
e2e "ONNX backend test data: end to end" /usr/bin/python3 test/e2e/onnx_backend_suite.py "$build/bin"
e2e "real models vs ONNX Runtime" /usr/bin/python3 test/e2e/real_models_ort.py "$build/bin" "$build/models"

# The portable x86-64 platforms, where this CPU runs them.
e2e "MobileNetV2 and convs on x86_64 (x86-64-v3) vs ONNX Runtime" /usr/bin/python3 \
  test/e2e/real_models_ort.py "$build/bin" "$build/models" --platform x86_64 mobilenet_v2 convs
if [ "$(grep -m1 -ow -E 'avx512(f|bw|cd|dq|vl)' <(grep -m1 '^flags' /proc/cpuinfo) | sort -u | wc -l)" = 5 ]; then
  e2e "MobileNetV2 and convs on x86_64-avx512 vs ONNX Runtime" /usr/bin/python3 \
    test/e2e/real_models_ort.py "$build/bin" "$build/models" --platform x86_64-avx512 mobilenet_v2 convs
else
  echo "== x86_64-avx512 suite: SKIPPED, this CPU has no AVX-512 (test/Target/X86/avx512.test still checks its code) =="
fi

# ARM packages, run here under qemu-aarch64.
if command -v qemu-aarch64 >/dev/null && command -v aarch64-linux-gnu-gcc >/dev/null; then
  for platform in raspberrypi raspberrypi5 armv8; do
    e2e "ONNX backend subset on $platform (qemu)" /usr/bin/python3 test/e2e/onnx_backend_suite.py \
      "$build/bin" --platform "$platform" --subset test/e2e/arm-subset.txt
  done
  e2e "real models on raspberrypi vs ONNX Runtime (qemu)" /usr/bin/python3 test/e2e/real_models_ort.py \
    "$build/bin" "$build/models" --platform raspberrypi resnet50 mobilenet_v2 encoder convs windows
  for platform in raspberrypi5 armv8; do
    e2e "ResNet-50 and MobileNetV2 on $platform vs ONNX Runtime (qemu)" /usr/bin/python3 \
      test/e2e/real_models_ort.py "$build/bin" "$build/models" --platform "$platform" resnet50 mobilenet_v2
  done
else
  echo "== ARM suites: SKIPPED, qemu-user or gcc-aarch64-linux-gnu is missing (scripts/setup.sh installs them) =="
fi

rm -rf "$log"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
