#!/usr/bin/env bash
# The main job: synthetic data, the SN-only baseline and DAN trained on the same split and seed
# with default settings, both evaluated on the held-out test images.
# Usage: scripts/baseline_vs_dan.sh [OUT_DIR] [extra danseg train flags for both runs...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
danseg="$here/danseg"
out="${1:-demo}"
shift || true
"$danseg" synth --out "$out/data" --annotated 4 --unannotated 60 --test 20 --size 128 --seed 1 --force
for mode in supervised dan; do
  start=$(date +%s)
  "$danseg" train --annotated "$out/data/annotated" --unannotated "$out/data/unannotated" --out "$out/$mode" --mode "$mode" --force "$@" \
    > "$out/$mode.train.log"
  echo "$mode: trained in $(( $(date +%s) - start )) s (log: $out/$mode.train.log)"
  "$danseg" predict --model "$out/$mode" --input "$out/data/test" --out "$out/$mode.pred" --force
  "$danseg" evaluate --pred "$out/$mode.pred" --truth "$out/data/test" --json "$out/$mode.eval.json" --force | tee "$out/$mode.eval.txt"
done
echo
echo "held-out test images (pooled over the set):"
for mode in supervised dan; do
  printf '  %-11s %s | %s\n' "$mode" "$(grep 'Dice (pooled' "$out/$mode.eval.txt" | awk '{print "Dice " $4}')" \
    "$(grep 'object F1' "$out/$mode.eval.txt" | awk '{print "object F1 " $3}')"
done
