#!/usr/bin/env bash
# Does EN's score say which images to annotate next? (issue 22). Synthetic H&E (seed 1, the grid's data): train the
# default recipe on annotated images 0-1 with the 100 unannotated ones, score annotated images 2-7 as if they were not
# annotated (`predict --scores`), then retrain with 2 more annotated images: the 2 lowest-scored vs 2 drawn at random
# (seeded), and score both on the 40 test images. Resumable: a step whose output exists is skipped.
#   scripts/annotate_next.sh OUT [SEEDS]      # default seeds "1 2 3"; ~3 trainings of ~5 min per seed on 2 cores
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd); seeds=${2:-"1 2 3"}
here=$(cd "$(dirname "$0")/.." && pwd); danseg="$here/danseg"
data="$out/data"
[[ -f "$data/synth.json" ]] || "$danseg" synth --out "$data" --annotated 8 --unannotated 100 --test 40 --size 128 --seed 1 --force >/dev/null
subset() { # subset NAME INDEX...: an annotated folder with those images
  local d="$out/sets/$1"; shift
  [[ -d "$d" ]] && return
  mkdir -p "$d/images" "$d/masks"; cp "$data/annotated/dataset.json" "$d/"
  for i in "$@"; do n=$(printf 'annotated_%03d.png' "$i"); cp "$data/annotated/images/$n" "$d/images/"; cp "$data/annotated/masks/$n" "$d/masks/"; done
}
train() { # train NAME SEED SET
  [[ -f "$out/$1/eval.json" ]] && return
  "$danseg" train --annotated "$out/sets/$3" --unannotated "$data/unannotated" --seed "$2" --threads 2 --out "$out/$1" --force > "$out/$1.log" 2>&1
  "$danseg" predict --model "$out/$1" --input "$data/test/images" --out "$out/$1-test" --force >/dev/null
  "$danseg" evaluate --pred "$out/$1-test" --truth "$data/test" --json "$out/$1/eval.json" >/dev/null
}
dice() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{d['dice']:.4f} {d['objectF1']:.4f}\")" "$1"; }
subset first2 0 1
printf 'seed | start (2) | +2 lowest EN score | +2 random | lowest-scored images | random images\n' > "$out/summary.txt"
for s in $seeds; do
  train "s$s-start" "$s" first2
  [[ -f "$out/s$s-scores.csv" ]] || { subset pool 2 3 4 5 6 7; "$danseg" predict --model "$out/s$s-start" --input "$out/sets/pool/images" \
      --out "$out/s$s-pool" --scores "$out/s$s-scores.csv" --force >/dev/null; }
  low=$(tail -n +2 "$out/s$s-scores.csv" | sort -t, -k2 -g | head -2 | cut -d, -f1 | sed 's/annotated_0*//' | tr '\n' ' ')
  rnd=$(python3 -c "import random,sys; r=random.Random(int(sys.argv[1])); print(' '.join(map(str, sorted(r.sample(range(2, 8), 2)))))" "$s")
  subset "s$s-low" 0 1 $low; subset "s$s-random" 0 1 $rnd
  train "s$s-low" "$s" "s$s-low"; train "s$s-random" "$s" "s$s-random"
  printf '%s | %s | %s | %s | %s | %s\n' "$s" "$(dice "$out/s$s-start/eval.json")" "$(dice "$out/s$s-low/eval.json")" \
    "$(dice "$out/s$s-random/eval.json")" "$low" "$rnd" >> "$out/summary.txt"
done
cat "$out/summary.txt"
