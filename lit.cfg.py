# -*- Python -*-
# lit configuration for deepseek's FileCheck tests (test/). The build writes
# build/test/lit.site.cfg.py, which sets the paths below and loads this file.

import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "deepseek"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.test_source_root = os.path.join(config.ds_src_root, "test")
config.test_exec_root = os.path.join(config.ds_obj_root, "test")
# Unit tests run under CTest; e2e suites have their own drivers; Inputs/ holds
# files that RUN lines read.
config.excludes = ["unit", "e2e", "Inputs", "CMakeLists.txt", "lit.site.cfg.py.in"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["ds-opt", "deepseek-convert", "deepseek-package"], [config.ds_tools_dir])
config.substitutions.append(("%python", config.python3))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

# Optional parts of the machine become features: `REQUIRES: qemu-aarch64`.
if shutil.which("qemu-aarch64"):
    config.available_features.add("qemu-aarch64")
if shutil.which("aarch64-linux-gnu-gcc"):
    config.available_features.add("aarch64-toolchain")
# The x86-64 levels this CPU runs, for tests that run portable packages.
try:
    with open("/proc/cpuinfo") as f:
        flags = next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), [])
except OSError:
    flags = []
if {"avx2", "fma", "bmi2", "f16c"} <= set(flags):
    config.available_features.add("x86-64-v3")
    if {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"} <= set(flags):
        config.available_features.add("x86-64-v4")
if shutil.which("nvidia-smi") and os.system("nvidia-smi -L >/dev/null 2>&1") == 0:
    config.available_features.add("cuda")
