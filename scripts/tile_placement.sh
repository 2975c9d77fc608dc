#!/usr/bin/env bash
# How much a model's labels depend on where the sliding window's tiles fall (docs/slides.md, "Tile placement"):
# the same image predicted twice as one image, once shifted by 96 px, compared on the common pixels, for each
# TILE:OVERLAP given (default: 256:0.25 256:0.5 512:0.25 512:0.5).
# Usage: scripts/tile_placement.sh MODEL_DIR IMAGE.png WORK_DIR [TILE:OVERLAP ...]   (needs libvips-tools and a
#        python3 with numpy and pillow: PYTHON=..., default /usr/bin/python3; PREDICT_ARGS="--tta" adds options to
#        both predictions)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$1"; image="$2"; work="$3"; shift 3
py="${PYTHON:-/usr/bin/python3}"
mkdir -p "$work"
echo "cpu: $("$here/danseg" doctor 2>/dev/null | grep -m1 "^cpu  " || true)"
cp "$image" "$work/whole.png"
vips crop "$image" "$work/shifted.png" 96 96 $(( $(vipsheader -f width "$image") - 96 )) $(( $(vipsheader -f height "$image") - 96 ))
for setting in "${@:-256:0.25 256:0.5 512:0.25 512:0.5}"; do
  for s in $setting; do
    tile="${s%%:*}"; overlap="${s##*:}"
    for img in whole shifted; do
      rm -rf "$work/out_${img}_$s"
      "$here/danseg" predict --model "$model" --input "$work/$img.png" --out "$work/out_${img}_$s" --tile "$tile" --overlap "$overlap" ${PREDICT_ARGS:-} > /dev/null
    done
    "$py" - "$work/out_whole_$s/whole.png" "$work/out_shifted_$s/shifted.png" "$s" "${PREDICT_ARGS:+ $PREDICT_ARGS}" <<'PY'
import sys, numpy as np
from PIL import Image
Image.MAX_IMAGE_PIXELS = None
a = np.asarray(Image.open(sys.argv[1]))[96:, 96:]
b = np.asarray(Image.open(sys.argv[2]))
print(f"tile:overlap {sys.argv[3]}{sys.argv[4]}: grid shifted 96 px, labels agree on {100 * np.mean(a == b):.4f}%")
PY
  done
done
