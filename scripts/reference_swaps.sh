#!/usr/bin/env bash
# Runs scripts/reference_swaps.py for each (budget, seed, mode, swap set) not yet in OUT.jsonl (resumable: finished
# lines are skipped), on the per-seed subsets a `danseg experiment` run laid out in RUN/data/reference-B-seedS.
# usage: reference_swaps.sh RUN OUT.jsonl "BUDGETS" "SEEDS" "MODES" SWAPSET...   (a swap set: parts joined by ',', or 'none')
# PYTHON: a Python with torch (default python3); ITERS (default 1000).
set -euo pipefail
run=$1 out=$2 budgets=$3 seeds=$4 modes=$5; shift 5
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-python3}
touch "$out"
for b in $budgets; do for s in $seeds; do for m in $modes; do for set in "$@"; do
  swaps=$([ "$set" = none ] && echo "" || echo "$set")
  key="\"budget\": $b, \"seed\": $s, \"mode\": \"$m\", \"set\": \"$set\""
  if grep -qF "$key" "$out"; then continue; fi
  data=$run/data/reference-$b-seed$s
  [ -d "$data" ] || { echo "reference_swaps.sh: $data: no such cell folder (run danseg experiment with a reference first)" >&2; exit 2; }
  line=$(SWAPS=$swaps "$py" "$here/reference_swaps.py" "$data" "$m" "$b" "$s" "${ITERS:-1000}" 2>>"$out.log" | tail -1)
  echo "{$key, \"result\": $line}" >> "$out"
  echo "{$key, \"result\": $line}"
done; done; done; done
