#!/usr/bin/env bash
# Training from a partly annotated slide (issue 23): 2 annotated regions + the rest of the slide's tissue
# against the 2 regions alone, paired by seed.
#  - a pool of 24 synthetic H&E images (512 px) whose truth is known becomes a libvips JPEG pyramid: a 6 x 4
#    mosaic (3 072 x 2 048 of tissue) on white glass;
#  - seed s draws 2 of the 24 tiles as the annotated regions, written as QuPath would export them (each
#    region an unclassified rectangle, its glands "Gland" polygons: one rectangle per run of gland pixels);
#  - `danseg slide-dataset` (seed s) turns them into an nnU-Net dataset plus 100 unannotated tissue tiles
#    that touch no region; `danseg train` (seed s) trains `supervised` (the regions alone) and the default
#    `dan` (regions + rest);
#  - both models segment 20 held-out synthetic images (another synth seed, never on the slide), scored by
#    `danseg evaluate`; one CSV row per (seed, mode). Reruns skip finished rows.
# Usage: scripts/slide_training.sh WORK_DIR "SEEDS" [TRAIN_FLAGS...]   (needs libvips-tools and a python3
#        with numpy and pillow: PYTHON=..., default /usr/bin/python3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$1"; seeds="$2"; shift 2
py="${PYTHON:-/usr/bin/python3}"
danseg="$here/danseg"
mkdir -p "$work"
csv="$work/results.csv"
[ -f "$csv" ] || echo "seed,mode,regions,dice,object_f1,train_seconds" > "$csv"
echo "cpu: $("$danseg" doctor 2>/dev/null | grep -m1 "^cpu  " || true)"
if [ ! -f "$work/slide.tif" ]; then
  "$danseg" synth --out "$work/pool" --annotated 24 --unannotated 0 --test 0 --size 512 --seed 21 --force > /dev/null
  "$danseg" synth --out "$work/heldout" --annotated 1 --unannotated 0 --test 20 --size 512 --seed 22 --force > /dev/null
  ls "$work"/pool/annotated/images/*.png | sort > "$work/tiles.txt"
  vips arrayjoin "$(tr '\n' ' ' < "$work/tiles.txt")" "$work/mosaic.v" --across 6
  vips embed "$work/mosaic.v" "$work/slide.v" 256 256 3584 2560 --extend white
  vips tiffsave "$work/slide.v" "$work/slide.tif" --tile --tile-width 256 --tile-height 256 --pyramid \
      --compression jpeg --Q 90 --bigtiff --xres 2000 --yres 2000
  rm -f "$work"/*.v
fi
for seed in $seeds; do
  ann="$work/seed$seed/annotations.geojson"
  if [ ! -f "$ann" ]; then
    mkdir -p "$work/seed$seed"
    "$py" - "$work" "$seed" "$ann" <<'PY'
import json, random, sys
import numpy as np
from PIL import Image
work, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tiles = [l.strip() for l in open(f"{work}/tiles.txt")]
picked = sorted(random.Random(seed).sample(range(len(tiles)), 2))
features = []
def rect(x0, y0, x1, y1, cls):
    f = {"type": "Feature", "geometry": {"type": "Polygon",
         "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]},
         "properties": {"objectType": "annotation"}}
    if cls:
        f["properties"]["classification"] = {"name": cls}
    return f
for t in picked:
    ox, oy = 256 + (t % 6) * 512, 256 + (t // 6) * 512
    features.append(rect(ox, oy, ox + 512, oy + 512, None))
    mask = np.asarray(Image.open(tiles[t].replace("/images/", "/masks/"))) != 0
    for y in range(mask.shape[0]):
        row = np.concatenate([[0], mask[y].astype(np.int8), [0]])
        d = np.diff(row)
        for a, b in zip(np.where(d == 1)[0], np.where(d == -1)[0]):
            features.append(rect(ox + int(a), oy + y, ox + int(b), oy + y + 1, "Gland"))
json.dump({"type": "FeatureCollection", "features": features}, open(out, "w"))
print(f"seed {seed}: regions " + ";".join(tiles[t].rsplit("/", 1)[1] for t in picked))
PY
    "$danseg" slide-dataset --slide "$work/slide.tif" --annotations "$ann" --out "$work/seed$seed/data" --seed "$seed" --force > /dev/null
  fi
  regions="$(ls "$work/seed$seed/data/Dataset900_Slides/imagesTr" | wc -l)"
  for mode in supervised dan; do
    if grep -q "^$seed,$mode," "$csv"; then continue; fi
    model="$work/seed$seed/$mode"
    rm -rf "$model" "$work/seed$seed/pred-$mode"
    start=$(date +%s)
    "$danseg" train --dataset "$work/seed$seed/data/Dataset900_Slides" --unannotated "$work/seed$seed/data/unannotated" \
        --mode "$mode" --seed "$seed" --out "$model" "$@" > "$work/seed$seed/train-$mode.log" 2>&1
    secs=$(( $(date +%s) - start ))
    "$danseg" predict --model "$model" --input "$work/heldout/test/images" --out "$work/seed$seed/pred-$mode" > /dev/null
    "$danseg" evaluate --pred "$work/seed$seed/pred-$mode" --truth "$work/heldout/test" --json "$work/seed$seed/eval-$mode.json" > /dev/null
    "$py" - "$work/seed$seed/eval-$mode.json" "$seed" "$mode" "$regions" "$secs" >> "$csv" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]},{sys.argv[3]},{sys.argv[4]},{e['dice']:.4f},{e['objectF1']:.4f},{sys.argv[5]}")
PY
    tail -1 "$csv"
  done
done
