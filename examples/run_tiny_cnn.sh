#!/usr/bin/env bash
# The main job on the bundled example: convert tiny_cnn.onnx, package it for
# this machine, and run it on a generated 28x28 image, printing the class
# probabilities. Run after scripts/setup.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/build/bin"
work="$root/build/example"
rm -rf "$work" && mkdir -p "$work"

"$bin/deepseek-convert" --input "$root/examples/tiny_cnn.onnx" --output "$work/tiny_cnn.ds" \
  --input-shape image=1x1x28x28
"$bin/deepseek-package" --model "$work/tiny_cnn.ds" --output "$work/pkg" --platform host
/usr/bin/python3 -c "
import numpy as np
img = np.zeros((1, 1, 28, 28), np.float32)
img[0, 0, 6:22, 12:16] = 1.0  # a vertical stroke, like a 1
np.save('$work/image.npy', img)"
"$work/pkg/ds-run" "$work/pkg" --input image="$work/image.npy" --output-dir "$work/out" \
  --iterations 100 --warmup 10 --print
