#!/usr/bin/env bash
# The seed's volume case on real MRI (Debian's mricron-data): ch2 T1, cerebellum derived from the AAL
# atlas (labels 91-116), 1 annotated axial slice (z = 40) and 10 unannotated neighbours (35-39, 41-45).
# Trains supervised and DAN with context 0 and 1, predicts the whole volume, and evaluates Dice on the
# unannotated slices and on the whole volume. Usage: scripts/volume_context.sh [OUT_DIR] [extra train flags]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
danseg="$here/danseg"
out="${1:-volume-context}"; shift || true
mkdir -p "$out"
t=/usr/share/mricron/templates
[ -f "$t/ch2.nii.gz" ] || { echo "needs Debian's mricron-data (apt-get install mricron-data)" >&2; exit 2; }
"$danseg" derive-labels --atlas "$t/aal.nii.gz" --labels 91-116 --out "$out/cerebellum.nii.gz" --force
for context in 0 1; do
  for mode in supervised dan; do
    name="$mode-k$context"
    "$danseg" train --volume "$t/ch2.nii.gz" --labels "$out/cerebellum.nii.gz" --axis z --annotated-slices 40 \
      --unannotated-slices 35-39,41-45 --context "$context" --mode "$mode" --out "$out/$name" --force \
      --patch 160 --iterations 300 --pretrain-iterations 150 --lambda-ramp 100 "$@" > "$out/$name.log"
    "$danseg" predict --model "$out/$name" --input "$t/ch2.nii.gz" --out "$out/$name.nii.gz" --force > /dev/null
    near=$("$danseg" evaluate --pred "$out/$name.nii.gz" --truth "$out/cerebellum.nii.gz" --axis z --slices 35-39,41-45 | awk '/Dice/ {print $2}')
    all=$("$danseg" evaluate --pred "$out/$name.nii.gz" --truth "$out/cerebellum.nii.gz" | awk '/Dice/ {print $2}')
    echo "$name: Dice on the 10 unannotated slices $near, whole volume $all"
  done
done
