// Runs an ONNX model with ONNX Runtime (CPU) on raw input buffers:
//   node ort_run.js SPEC.json
// SPEC: {"model", "threads", "iterations", "warmup", "output_dir",
//        "inputs": [{"name", "dtype", "shape", "file"}], "profile"}
// With "profile" (a path prefix), ORT's profiler records every node of the
// runs and writes its JSON trace as PREFIX<date>.json.
// Writes each output as OUTPUT_DIR/<index>.bin plus OUTPUT_DIR/outputs.json
// (names, dtypes, shapes) and prints {"median_ms", "p90_ms", "peak_rss_mb"}.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const ARRAYS = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array,
  int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
};

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(spec.model, {
    intraOpNumThreads: spec.threads || 1, interOpNumThreads: 1,
    graphOptimizationLevel: 'all', executionMode: 'sequential',
    ...(spec.profile ? {enableProfiling: true, profileFilePrefix: spec.profile} : {}),
  });
  const feeds = {};
  for (const input of spec.inputs) {
    const bytes = fs.readFileSync(input.file);
    const Type = ARRAYS[input.dtype];
    const data = new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
    feeds[input.name] = new ort.Tensor(input.dtype, data, input.shape);
  }
  for (let i = 0; i < (spec.warmup || 0); ++i) await session.run(feeds);
  const times = [];
  let results;
  for (let i = 0; i < Math.max(1, spec.iterations || 1); ++i) {
    const start = process.hrtime.bigint();
    results = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  if (spec.profile) session.endProfiling();
  fs.mkdirSync(spec.output_dir, {recursive: true});
  const described = session.outputNames.map((name, i) => {
    const t = results[name];
    fs.writeFileSync(path.join(spec.output_dir, `${i}.bin`), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    return {name, dtype: t.type, shape: t.dims};
  });
  fs.writeFileSync(path.join(spec.output_dir, 'outputs.json'), JSON.stringify(described));
  console.log(JSON.stringify({
    median_ms: times[Math.floor(times.length / 2)],
    p90_ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.9))],
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  }));
}

main().catch((e) => { console.error(`error: ${e.message}`); process.exit(1); });
