#!/usr/bin/env bash
# Whole-slide prediction benchmark (issue 23): peak RSS, wall time, where the time goes, and agreement
# with predicting the same pixels as one image.
#  1. a 40 000 x 40 000 JPEG pyramid (libvips) whose tissue is an 8 192 x 8 192 mosaic of 64 synthetic
#     H&E tiles (1 024 px) on white glass; predicted with glass skipped; its 8 192 x 8 192 tissue region,
#     decoded by libvips, predicted as one PNG and compared label for label;
#  2. a whole 5 120 x 5 120 slide (the mosaic's corner, same layout) with --keep-glass against itself
#     as one image.
# Usage: scripts/slide_benchmark.sh WORK_DIR [MODEL_DIR]   (trains a supervised default model when none
#        is given; needs libvips-tools, GNU time, a python3 with numpy and pillow: PYTHON=...; PREDICT_ARGS="--tile 512
#        --overlap 0.5" gives every prediction the same extra options, outputs then in WORK_DIR/out_NAME_<options>)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$1"; model="${2:-$work/model}"; py="${PYTHON:-python3}"
mkdir -p "$work"
echo "cpu: $("$here/danseg" doctor 2>/dev/null | grep -m1 "^cpu  " || true)"
if [ ! -f "$model/model.json" ]; then
  "$here/danseg" synth --out "$work/train" --annotated 4 --unannotated 0 --test 0 --seed 11 --force > /dev/null
  "$here/danseg" train --annotated "$work/train/annotated" --mode supervised --out "$model" > "$work/train.log"
fi
if [ ! -f "$work/huge.tif" ]; then
  "$here/danseg" synth --out "$work/tiles" --annotated 64 --unannotated 0 --test 0 --size 1024 --seed 5 --force > /dev/null
  ls "$work"/tiles/annotated/images/*.png | sort > "$work/tiles.txt"
  vips arrayjoin "$(tr '\n' ' ' < "$work/tiles.txt")" "$work/mosaic.v" --across 8
  vips embed "$work/mosaic.v" "$work/huge.v" 16000 16000 40000 40000 --extend white
  vips tiffsave "$work/huge.v" "$work/huge.tif" --tile --tile-width 256 --tile-height 256 --pyramid \
      --compression jpeg --Q 90 --bigtiff --xres 4000 --yres 4000
  vips crop "$work/huge.tif" "$work/region.png" 16000 16000 8192 8192
  vips crop "$work/mosaic.v" "$work/small.v" 0 0 5120 5120
  vips tiffsave "$work/small.v" "$work/small.tif" --tile --tile-width 256 --tile-height 256 --pyramid \
      --compression jpeg --Q 90 --bigtiff --xres 4000 --yres 4000
  vips crop "$work/small.tif" "$work/small.png" 0 0 5120 5120
  rm -f "$work"/*.v
fi
tag="$(echo "${PREDICT_ARGS:-}" | tr -c 'A-Za-z0-9.\n' '_' | sed 's/^_*//; s/__*/_/g')"
run() {  # NAME ARGS...: predict with GNU time, print the lines that matter
  local name="$1${tag:+_$tag}"; shift
  rm -rf "$work/out_$name"
  /usr/bin/time -v "$here/danseg" predict --model "$model" --out "$work/out_$name" "$@" ${PREDICT_ARGS:-} > "$work/$name.log" 2> "$work/$name.time"
  echo "== $name: $*"
  grep -E "^(wrote|time:|level|reading)" "$work/$name.log" || true
  grep -E "Maximum resident|Elapsed \(wall" "$work/$name.time"
}
run slide --input "$work/huge.tif"
run region --input "$work/region.png"
run small --input "$work/small.tif" --keep-glass
run smallimage --input "$work/small.png"
"$py" - "$work" "${tag:+_$tag}" <<'PY'
import sys, subprocess, numpy as np
from PIL import Image
Image.MAX_IMAGE_PIXELS = None
w, t = sys.argv[1], sys.argv[2]
def crop_mask(tif, x, y, s, png):
    subprocess.run(["vips", "crop", tif, png, str(x), str(y), str(s), str(s)], check=True)
    return np.asarray(Image.open(png))
for name, tif, x, y, s, one in [("8192 region of the 40 000 slide", f"out_slide{t}/huge.mask.tif", 16000, 16000, 8192, f"out_region{t}/region.png"),
                                ("whole 5 120 slide", f"out_small{t}/small.mask.tif", 0, 0, 5120, f"out_smallimage{t}/small.png")]:
    a = crop_mask(f"{w}/{tif}", x, y, s, f"{w}/cmp.png")
    b = np.asarray(Image.open(f"{w}/{one}"))
    print(f"{name}: labels agree on {100 * np.mean(a == b):.4f}% of {a.size} pixels; foreground {100 * np.mean(a > 0):.2f}% / {100 * np.mean(b > 0):.2f}%")
PY
