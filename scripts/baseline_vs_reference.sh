#!/usr/bin/env bash
# danseg's default supervised baseline next to the independent plain-PyTorch reference
# (../shared/reference/ssl_anchor.py, mode "sup") on the same data, budgets and seeds (issue 21).
# Resumable: a finished run is a line of OUT/results.jsonl and is skipped on a rerun.
# Usage: PYTHON=/path/to/python-with-torch scripts/baseline_vs_reference.sh OUT [SEEDS] [ITERATIONS]
#   (a venv: python3 -m venv V && V/bin/pip install torch numpy pillow; Debian: python3-torch python3-pil)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
danseg="$here/danseg"
reference="${REFERENCE:-$here/../shared/reference/ssl_anchor.py}"
python="${PYTHON:-python3}"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
seeds="${2:-1 2 3}"
iterations="${3:-1000}"
results="$out/results.jsonl"
touch "$results"

# The demo's data (4 annotated, budget 4) and the grid's (budgets 1, 2, 4 of its first annotated images).
[ -f "$out/demo/synth.json" ] || "$danseg" synth --out "$out/demo" --annotated 4 --unannotated 60 --test 20 --size 128 --seed 1 >/dev/null
[ -f "$out/grid/synth.json" ] || "$danseg" synth --out "$out/grid" --annotated 8 --unannotated 100 --test 40 --size 128 --seed 1 >/dev/null

# The first B annotated images of DATA (sorted, as the reference takes them), as a dataset of their own.
subset() {
  local data="$1" budget="$2" dir="$out/subsets/$(basename "$1")-$2"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir/images" "$dir/masks"
    cp "$data/annotated/dataset.json" "$dir/" 2>/dev/null || true  # how to read the masks (instance labels)
    ls "$data/annotated/images" | sort | head -n "$budget" | while read -r f; do
      cp "$data/annotated/images/$f" "$dir/images/"; cp "$data/annotated/masks/$f" "$dir/masks/"
    done
  fi
  echo "$dir"
}

run() {  # tool data budget seed
  local tool="$1" data="$2" budget="$3" seed="$4" key="\"tool\": \"$1\", \"data\": \"$2\", \"budget\": $3, \"seed\": $4"
  grep -qF "$key," "$results" && return 0
  local d="$out/$data"
  if [ "$tool" = reference ]; then
    local line
    line="$(THREADS=2 "$python" "$reference" "$d" sup "$budget" "$seed" "$iterations")"
    "$python" - "$line" "$key" "$iterations" >> "$results" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print("{" + sys.argv[2] + ", " + json.dumps({"dice": r["dice"], "seconds": r["seconds"], "sPerIteration": round(r["seconds"] / int(sys.argv[3]), 4)})[1:])
PY
  else
    local m="$out/models/$data-$budget-$seed"
    mkdir -p "$out/models"
    "$danseg" train --annotated "$(subset "$d" "$budget")" --out "$m" --mode supervised --iterations "$iterations" --seed "$seed" --threads 2 --force > "$m.log" 2>&1
    "$danseg" predict --model "$m" --input "$d/test/images" --out "$m.pred" --force > /dev/null
    "$danseg" evaluate --pred "$m.pred" --truth "$d/test/masks" --json "$m.eval.json" --force > /dev/null
    "$python" - "$m" "$key" "$iterations" >> "$results" <<'PY'
import csv, json, sys
m = sys.argv[1]
e = json.load(open(m + ".eval.json"))
rows = list(csv.DictReader(open(m + "/train_log.csv")))
s = float(rows[-1]["seconds"])
print("{" + sys.argv[2] + ", " + json.dumps({"dice": round(e["dice"], 4), "objectF1": round(e["objectF1"], 4), "seconds": round(s, 1),
                                             "sPerIteration": round(s / int(sys.argv[3]), 4)})[1:])
PY
  fi
  tail -n 1 "$results"
}

for seed in $seeds; do
  for cell in "demo 4" "grid 1" "grid 2" "grid 4"; do
    set -- $cell
    run danseg "$1" "$2" "$seed"
    run reference "$1" "$2" "$seed"
  done
done

"$python" - "$results" <<'PY'
import json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cells = sorted({(r["data"], r["budget"]) for r in rows})
print("| data | budget | seeds | danseg Dice (mean ± sd) | reference Dice (mean ± sd) | danseg better in | s/iteration danseg / reference |")
print("|---|---|---|---|---|---|---|")
for data, budget in cells:
    by = {t: {r["seed"]: r for r in rows if r["data"] == data and r["budget"] == budget and r["tool"] == t} for t in ("danseg", "reference")}
    seeds = sorted(set(by["danseg"]) & set(by["reference"]))
    if not seeds:
        continue
    a = [by["danseg"][s]["dice"] for s in seeds]; b = [by["reference"][s]["dice"] for s in seeds]
    sd = lambda v: st.stdev(v) if len(v) > 1 else 0.0
    ta = st.mean(by["danseg"][s]["sPerIteration"] for s in seeds); tb = st.mean(by["reference"][s]["sPerIteration"] for s in seeds)
    print(f"| {data} | {budget} | {len(seeds)} | {st.mean(a):.3f} ± {sd(a):.3f} | {st.mean(b):.3f} ± {sd(b):.3f} | "
          f"{sum(x > y for x, y in zip(a, b))} of {len(seeds)} | {ta:.3f} / {tb:.3f} |")
PY
