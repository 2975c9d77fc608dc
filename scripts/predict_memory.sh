#!/usr/bin/env bash
# Peak resident memory (RSS, which includes the native tensors DJL keeps outside the Java heap) of
# `danseg predict` on one large RGB image, built by tiling a synthetic 2048 x 2048 tile.
# Usage: [ENGINE=djl|onnxruntime] scripts/predict_memory.sh MODEL_DIR SIZE [WORK_DIR]     (SIZE a multiple of 2048; needs python3-skimage)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="$1"; size="$2"; work="${3:-$(mktemp -d)}"
mkdir -p "$work"
"$here/danseg" synth --out "$work/tile" --annotated 1 --unannotated 0 --test 0 --size 2048 --seed 3 --force > /dev/null
/usr/bin/python3 - "$work/tile/annotated/images/annotated_000.png" "$work/big_$size.png" "$size" <<'PY'
import sys
import numpy as np
from skimage import io
tile = io.imread(sys.argv[1])[..., :3]
reps = int(sys.argv[3]) // tile.shape[0]
io.imsave(sys.argv[2], np.tile(tile, (reps, reps, 1)), check_contrast=False)
PY
rm -rf "$work/pred_$size"
/usr/bin/time -v "$here/danseg" predict --model "$model" --input "$work/big_$size.png" --out "$work/pred_$size" --engine "${ENGINE:-djl}" 2> "$work/time_$size.txt"
grep -E "Maximum resident|Elapsed" "$work/time_$size.txt"
