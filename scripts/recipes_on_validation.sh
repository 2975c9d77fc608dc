#!/usr/bin/env bash
# Chooses the default recipe's settings on a validation split, never on the grids' test data:
# synthetic seed 2 (the grids use seed 1), 2 annotated images, 100 unannotated, validation Dice on 40
# held-out images every 150 iterations. Usage: scripts/recipes_on_validation.sh OUT [MODE:EXTRA_FLAGS ...]
# Default runs: the baseline and the default recipe. Each run is skipped when OUT/NAME/last exists, so the
# script can be rerun to continue; a summary table goes to OUT/summary.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"; shift
runs=("$@")
(( ${#runs[@]} )) || runs=("supervised:" "dan:")
data="$out/data"
if [[ ! -f "$data/synth.json" ]]; then
  "$here/danseg" synth --out "$data" --annotated 2 --unannotated 100 --test 40 --size 128 --seed 2 --force
fi
common=(--annotated "$data/annotated" --unannotated "$data/unannotated" --val "$data/test" --width 8 --patch 64
        --iterations 1500 --validate-every 150 --checkpoint-every 150 --threads 2)
defaults=(--pretrain-iterations 300 --lambda-ramp 300)
for run in "${runs[@]}"; do
  mode="${run%%:*}"; extra="${run#*:}"
  name="$mode$(echo "$extra" | tr -d ' -' | tr '.' 'p')"
  [[ -d "$out/$name/last" && -n "$(tail -1 "$out/$name/train_log.csv" | grep '^1499,')" ]] && continue
  if [[ -d "$out/$name/last" ]]; then
    "$here/danseg" train --out "$out/$name" --resume > "$out/$name.log" 2>&1
  else
    # A run's own flags replace the defaults (picocli refuses a flag given twice).
    flags=("${common[@]}")
    for ((i = 0; i < ${#defaults[@]}; i += 2)); do
      [[ " $extra " == *" ${defaults[i]} "* ]] || flags+=("${defaults[i]}" "${defaults[i+1]}")
    done
    # shellcheck disable=SC2086
    "$here/danseg" train "${flags[@]}" --mode "$mode" $extra --out "$out/$name" --force > "$out/$name.log" 2>&1
  fi
done
{
  echo "| run | validation Dice by iteration (150, 300, ..., 1500) | best |"
  echo "|---|---|---|"
  for d in "$out"/*/; do
    [[ -f "$d/train_log.csv" ]] || continue
    vals="$(awk -F, 'NR>1 && $11!="" {printf "%s%.3f", (n++ ? " " : ""), $11}' "$d/train_log.csv")"
    best="$(awk -F, 'NR>1 && $11!="" && $11>b {b=$11} END {printf "%.3f", b}' "$d/train_log.csv")"
    echo "| $(basename "$d") | $vals | $best |"
  done
} > "$out/summary.md"
cat "$out/summary.md"
