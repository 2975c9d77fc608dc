#!/usr/bin/env bash
# Compares DAN settings with the baseline on a separate validation split (synth seed 2), never on
# the test split. Usage: scripts/dan_settings_on_validation.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
danseg="$here/danseg"
out="${1:-dan-settings}"
"$danseg" synth --out "$out/data" --annotated 4 --unannotated 60 --test 0 --size 128 --seed 1 --force
"$danseg" synth --out "$out/val" --annotated 20 --unannotated 0 --test 0 --size 128 --seed 2 --force
run() {
  local name=$1; shift
  "$danseg" train --annotated "$out/data/annotated" --unannotated "$out/data/unannotated" --out "$out/$name" --force \
    --iterations 600 "$@" > "$out/$name.log"
  "$danseg" predict --model "$out/$name" --input "$out/val/annotated" --out "$out/$name.val" --force > /dev/null
  "$danseg" evaluate --pred "$out/$name.val" --truth "$out/val/annotated" --json "$out/$name.json" --force \
    | awk -v n="$name $*" '/Dice \(pooled/ {d=$4} /object F1/ {f=$3} END {printf "%-40s val Dice %s  object F1 %s\n", n, d, f}'

}
run supervised --mode supervised
run dan-default
run dan-lambda-0.01-0.1 --lambda-start 0.01 --lambda-max 0.1
run dan-en-lr-1e-3 --en-lr 1e-3
