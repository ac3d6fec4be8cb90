#!/usr/bin/env bash
# One-stop setup: installs the Debian packages deepseek needs (idempotent: skips apt when all
# are present), then configures and builds with CMake + Ninja into build/.
#   scripts/setup.sh            install deps + build
#   scripts/setup.sh --deps     install deps only
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  # LLVM/MLIR 22 from bookworm-security.
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  # Front end, runtime manifest, CLI, logging, tests.
  libonnx-dev libprotobuf-dev protobuf-compiler libflatbuffers-dev flatbuffers-compiler
  libcli11-dev libspdlog-dev catch2 cmake ninja-build ccache
  # ARMv8 packages: the AArch64 cross toolchain, and qemu to run them here.
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  # Python helpers (Debian's python, not the one first on PATH), the ONNX test data, and
  # torch/torchvision to export real architectures for the end-to-end tests.
  python3-onnx python3-numpy libonnx-testdata python3-torch python3-torchvision
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# ONNX Runtime, the reference for end-to-end tests and benchmarks, from npm
# (its install script downloads binaries, which this machine cannot: the CPU
# binaries ship inside the package, so the script is skipped).
ort="$root/test/e2e/ort"
if command -v npm >/dev/null && [ ! -d "$ort/node_modules/onnxruntime-node" ]; then
  (cd "$ort" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) ||
    echo "setup: onnxruntime-node is not installed; ONNX Runtime comparisons will skip"
fi
[ "${1:-}" = "--deps" ] && exit 0

export CCACHE_BASEDIR="$root"
build="$root/build"
if [ ! -f "$build/build.ninja" ]; then
  # clang-22 is the compiler LLVM 22 was tested with, and it compiles MLIR's
  # templates faster than gcc 12.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
fi
cmake --build "$build"
