#!/usr/bin/env bash
# Compares DAN settings with the baseline on a separate validation split (synth seed 2, 20 images),
# never on the test split: how danseg's defaults were chosen (docs/training.md#measured).
# Training data: the first 4 annotated images and the 100 unannotated images of the grid-1 dataset
# (synth seed 1); width 8, 600 iterations (300 pre-training), one seed.
# Usage: scripts/dan_settings_on_validation.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
danseg="$here/danseg"
out="${1:-dan-settings}"
mkdir -p "$out"
[ -d "$out/data" ] || "$danseg" synth --out "$out/data" --annotated 16 --unannotated 100 --test 40 --size 128 --seed 1 > /dev/null
[ -d "$out/val" ] || "$danseg" synth --out "$out/val" --annotated 20 --unannotated 0 --test 0 --size 128 --seed 2 > /dev/null
if [ ! -d "$out/a4" ]; then
  mkdir -p "$out/a4/images" "$out/a4/masks"
  for f in $(ls "$out/data/annotated/images" | head -4); do
    cp "$out/data/annotated/images/$f" "$out/a4/images/"; cp "$out/data/annotated/masks/$f" "$out/a4/masks/"
  done
  cp "$out/data/annotated/dataset.json" "$out/a4/"
fi
run() {
  local name=$1; shift
  "$danseg" train --annotated "$out/a4" --unannotated "$out/data/unannotated" --out "$out/$name" --force \
    --width 8 --iterations 600 --pretrain-iterations 300 --lambda-ramp 300 "$@" > "$out/$name.log" 2>&1
  "$danseg" predict --model "$out/$name" --input "$out/val/annotated" --out "$out/$name.val" --force > /dev/null 2>&1
  "$danseg" evaluate --pred "$out/$name.val" --truth "$out/val/annotated" --json "$out/$name.json" --force 2>/dev/null \
    | awk -v n="$name $*" '/Dice \(pooled/ {d=$4} /object F1/ {f=$3} END {printf "%-95s val Dice %s  object F1 %s\n", n, d, f}'
}
run supervised-constant-lr --mode supervised --lr-schedule constant
run supervised --mode supervised
run dan-paper-sum --adversarial-balance none
run dan-lambda0-control --adversarial-balance none --lambda-start 0 --lambda-max 0
run dan-sum-small-lambda --adversarial-balance none --lambda-start 0.01 --lambda-max 0.1 --en-lr 1e-3
run dan-balanced-small-lambda --lambda-start 0.01 --lambda-max 0.1
run dan-defaults
