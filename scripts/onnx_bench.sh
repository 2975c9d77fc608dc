#!/usr/bin/env bash
# Inference speed of SN through ONNX Runtime against DJL and the PyTorch reference script
# (../shared/reference/torch_dan_bench.py, Debian's python3-torch): same network, shapes, flags and
# threads, one machine, one run each; ONNX Runtime at each of its graph optimisation levels.
# Prints a markdown table (docs/performance.md). Run on an otherwise idle machine.
# Usage: scripts/onnx_bench.sh [OUT_DIR] [WIDTH] [SIZE]      e.g. scripts/onnx_bench.sh onnx-bench 16 256
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-onnx-bench}"
width="${2:-16}"
size="${3:-256}"
reference="${REFERENCE:-$here/../shared/reference/torch_dan_bench.py}"
python="${PYTHON:-/usr/bin/python3}"
threads="${THREADS:-2}"
mkdir -p "$out"
common=(--mode infer --width "$width" --size "$size" --threads "$threads" --iters 10 --warmup 2)
rss() { awk '/Maximum resident/ {printf "%.0f", $6 / 1024}' "$1"; }
run() {  # name command...
  local name=$1; shift
  /usr/bin/time -v "$@" --json "$out/$name.json" > "$out/$name.log" 2> "$out/$name.time"
}
if [ -f "$reference" ] && "$python" -c "import torch" 2>/dev/null; then
  run reference "$python" "$reference" "${common[@]}"
fi
run djl "$here/danseg" bench "${common[@]}" --force
for level in all extended basic none; do
  run "onnxruntime-$level" "$here/danseg" bench "${common[@]}" --engine onnxruntime --ort-optimization "$level" --force
done
echo "| engine | median s per batch | vs reference | peak RSS MB |"
echo "|---|---|---|---|"
for name in reference djl onnxruntime-all onnxruntime-extended onnxruntime-basic onnxruntime-none; do
  [ -f "$out/$name.json" ] || continue
  python3 - "$out" "$name" "$(rss "$out/$name.time")" <<'PY'
import json, os, sys
out, name, rss = sys.argv[1:]
d = json.load(open(f"{out}/{name}.json"))
ref = f"{out}/reference.json"
ratio = f"{d['median_s'] / json.load(open(ref))['median_s']:.2f}x" if os.path.exists(ref) else "-"
print(f"| {name} | {d['median_s']:.3f} | {ratio} | {rss} |")
PY
done
