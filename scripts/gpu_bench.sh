#!/usr/bin/env bash
# GPU vs CPU, for when a machine with an NVIDIA GPU is at hand: the same dan / supervised / infer iterations
# as scripts/bench_compare.sh (4 + 4 RGB 256 x 256, 2 classes, stack fusion) at the given widths, each on
# the GPU and on all CPU cores, for
#   - danseg (`danseg bench --device gpu|cpu`): needs Java 17 and the CUDA build (mvn -Pcuda -DskipTests package,
#     natives for CUDA 12.4); skipped with the reason when either is missing;
#   - the PyTorch reference (REFERENCE, default ../shared/reference/torch_dan_bench.py) through
#     scripts/torch_on_device.py, where python3's torch has CUDA.
# Writes OUT/probe.txt (the machine), OUT/*.json and OUT/table.md, and prints the table.
# Usage: scripts/gpu_bench.sh OUT [REFERENCE] [WIDTHS...]      e.g. scripts/gpu_bench.sh gpu-out ref.py 16 32
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/gpu_bench.sh OUT [REFERENCE] [WIDTHS...]}"; shift
reference="${1:-$here/../shared/reference/torch_dan_bench.py}"; shift || true
widths=("${@:-16}")
python="${PYTHON:-python3}"
accel="${GPU_BENCH_ACCELERATOR:-cuda}"  # cpu here only to smoke-test this script on a machine without a GPU
mkdir -p "$out"
cores=$(nproc)

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $cores logical cores"
  echo "gpu: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo none)"
  echo "java: $(command -v java >/dev/null && java -version 2>&1 | head -1 || echo none)"
  echo "CUDA runtimes present (danseg's cu124 natives bring CUDA 12.4's): $(find /usr /opt -name 'libcudart.so.*' 2>/dev/null | xargs -rn1 basename | sort -u | xargs)"
  "$python" -c "import torch; print('python torch:', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available())" 2>&1
} | tee "$out/probe.txt"

danseg_gpu="no"
why=""
if ! command -v java >/dev/null; then
  why="no Java on this machine"
elif [[ ! -f "$here/danseg-core/target/danseg.jar" ]] || ! ls "$here"/danseg-core/target/lib/pytorch-native-cu124-*.jar >/dev/null 2>&1; then
  why="no CUDA build (run mvn -Pcuda -DskipTests package)"
elif ! java -Dai.djl.offline=true -jar "$here/danseg-core/target/danseg.jar" doctor | grep -q '^device (auto) *gpu'; then
  why="danseg's CUDA build sees no GPU (danseg doctor)"
else
  danseg_gpu="yes"
fi
[[ $danseg_gpu == yes ]] || echo "danseg: skipped: $why" | tee -a "$out/probe.txt"
ref_gpu="no"
if [[ -f "$reference" ]] && { [[ $accel == cpu ]] || "$python" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; }; then
  ref_gpu="yes"
else
  echo "reference: skipped: $reference missing or python3's torch has no CUDA" | tee -a "$out/probe.txt"
fi

field() { "$python" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2" 2>/dev/null || echo "-"; }
run() {  # tool device mode width: writes OUT/tool-device-mode-width.{json,log}, prints the median seconds
  local tool=$1 device=$2 mode=$3 width=$4 iters=20 warmup=3 name="$out/$1-$2-$3-$4"
  [[ $device == cpu ]] && iters=3 && warmup=1
  local flags=(--mode "$mode" --width "$width" --threads "$cores" --iters "$iters" --warmup "$warmup" --json "$name.json")
  if [[ $tool == danseg ]]; then
    java -Dai.djl.offline=true -Djava.awt.headless=true -jar "$here/danseg-core/target/danseg.jar" bench --device "$device" "${flags[@]}" --force > "$name.log" 2>&1
  else
    [[ $mode == dan ]] && flags+=(--share-sn-forward)
    "$python" "$here/scripts/torch_on_device.py" "$device" "$reference" "${flags[@]}" > "$name.log" 2>&1
  fi
  field "$name.json" median_s
}
{
  echo "| tool | mode | width | GPU s/iter | CPU ($cores threads) s/iter | CPU / GPU |"
  echo "|---|---|---|---|---|---|"
  for w in "${widths[@]}"; do
    for mode in dan supervised infer; do
      for tool in danseg reference; do
        [[ $tool == danseg && $danseg_gpu != yes ]] && continue
        [[ $tool == reference && $ref_gpu != yes ]] && continue
        gpu=$(run "$tool" "$([[ $tool == danseg ]] && echo gpu || echo "$accel")" "$mode" "$w")
        cpu=$(run "$tool" cpu "$mode" "$w")
        ratio=$("$python" -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.1f}')" "$gpu" "$cpu" 2>/dev/null || echo "-")
        echo "| $tool | $mode | $w | $gpu | $cpu | $ratio |"
      done
    done
  done
} | tee "$out/table.md"
