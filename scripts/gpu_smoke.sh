#!/usr/bin/env bash
# danseg's own GPU path, end to end, on a machine with an NVIDIA GPU: doctor, bench on --device gpu and cpu
# (dan, supervised, infer at width 16), then a tiny synth -> train -> predict -> evaluate on the GPU.
# DANSEG (default ./danseg) is the command that runs danseg, e.g. "java -Dai.djl.offline=true -jar danseg.jar"
# where the launcher cannot build. Writes OUT/*.json|log and prints a summary.
# Usage: scripts/gpu_smoke.sh OUT
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/gpu_smoke.sh OUT}"
read -r -a danseg <<< "${DANSEG:-$here/danseg}"
gpu="${GPU_SMOKE_DEVICE:-gpu}"  # cpu only to try this script on a machine without a GPU
mkdir -p "$out"
step() {  # name, command...: runs it with a time limit, keeps its output, prints one status line
  local name=$1; shift
  local t0=$SECONDS
  timeout 300 "$@" > "$out/$name.log" 2>&1
  local rc=$?
  echo "$name: exit $rc in $((SECONDS - t0)) s$( [[ $rc != 0 ]] && echo " -- $(grep -v '^\s*$' "$out/$name.log" | tail -1)")"
  return $rc
}
step doctor "${danseg[@]}" doctor; grep -E "^(engine|native library|gpus|device)" "$out/doctor.log"
for mode in supervised dan infer; do
  for device in "$gpu" cpu; do
    step "bench-$mode-$device" "${danseg[@]}" bench --device "$device" --mode "$mode" --width 16 --iters "${GPU_SMOKE_ITERS:-5}" --warmup 2 --json "$out/bench-$mode-$device.json" --force \
      && grep -E '"(device|median_s|peak_rss_mb)"' "$out/bench-$mode-$device.json" | tr -d ' \n' && echo
  done
done
data="$out/synth"
step synth "${danseg[@]}" synth --out "$data" --annotated 4 --unannotated 16 --test 4 --size 128 --force \
  && step train "${danseg[@]}" train --device "$gpu" --annotated "$data/annotated" --unannotated "$data/unannotated" --out "$out/model" --force \
       --iterations 60 --pretrain-iterations 20 --lambda-ramp 20 --width 8 --patch 64 --validate-every 1000 --checkpoint-every 30 \
  && step predict "${danseg[@]}" predict --device "$gpu" --model "$out/model" --input "$data/test/images" --out "$out/pred" --force \
  && step evaluate "${danseg[@]}" evaluate --pred "$out/pred" --truth "$data/test/masks" --json "$out/eval.json" --force \
  && grep -E '"dice"' "$out/eval.json" | head -1
grep -h '"device"' "$out/model/provenance.json" 2>/dev/null
