#!/usr/bin/env bash
# Fingerprints of what danseg computes for fixed seeds: train_log.csv (without its wall-clock
# column), every weight and optimizer file, predictions, probability maps, EN scores and
# evaluation JSON, for the 2D modes and for a volume with 2.5D context. Run it before and after a
# refactoring and diff the two FINGERPRINTS files: they must be identical (issue 12).
#
#   scripts/identity_check.sh OUT        # about 3 minutes on 2 cores; writes OUT/FINGERPRINTS
set -euo pipefail
out=${1:?usage: identity_check.sh OUT}
here=$(cd "$(dirname "$0")/.." && pwd)
danseg="$here/danseg"
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out"/data "$out"/m-* "$out"/p-* "$out"/e-* "$out"/vol "$out"/FINGERPRINTS
# Predictions through DJL where danseg has a choice of engine (the automatic one is ONNX Runtime on a CPU).
engine=(); "$danseg" predict --help 2>/dev/null | grep -q -- "--engine" && engine=(--engine djl)
common=(--iterations 24 --pretrain-iterations 8 --patch 64 --width 8 --validate-every 8 --checkpoint-every 8 --lambda-ramp 8 --threads 2 --seed 7)

"$danseg" synth --out "$out/data" --annotated 2 --unannotated 6 --test 3 --size 96 --seed 3 >/dev/null
for mode in supervised balanced paper dan mean-teacher; do
  extra=()
  [[ $mode == paper ]] && extra=(--dice-loss)
  [[ $mode == dan ]] && extra=(--fusion mask)
  [[ $mode == supervised ]] && extra=(--sn unet)
  "$danseg" train --annotated "$out/data/annotated" --unannotated "$out/data/unannotated" --val "$out/data/test" \
    --mode "$mode" "${common[@]}" "${extra[@]}" --out "$out/m-$mode" >/dev/null 2>"$out/m-$mode.stderr"
  "$danseg" predict --model "$out/m-$mode" --input "$out/data/test" --out "$out/p-$mode" --tile 64 "${engine[@]}" \
    $( [[ $mode == balanced || $mode == dan ]] && echo --scores "$out/p-$mode.scores.csv" ) >/dev/null
  "$danseg" predict --model "$out/m-$mode" --input "$out/data/test" --out "$out/p-$mode-tta" --tile 64 --overlap 0.5 --tta --probabilities "${engine[@]}" >/dev/null
  "$danseg" evaluate --pred "$out/p-$mode" --truth "$out/data/test" --json "$out/e-$mode.json" >/dev/null
done

mkdir -p "$out/vol"
"$danseg" derive-labels --atlas /usr/share/mricron/templates/aal.nii.gz --labels 91-116 --out "$out/vol/cerebellum.nii.gz" >/dev/null
"$danseg" train --volume /usr/share/mricron/templates/ch2.nii.gz --labels "$out/vol/cerebellum.nii.gz" --axis y \
  --annotated-slices 60 --unannotated-slices 55-59,61-65 --context 1 --iterations 16 --pretrain-iterations 6 --patch 64 --width 8 \
  --checkpoint-every 8 --lambda-ramp 4 --threads 2 --seed 7 --out "$out/m-volume" >/dev/null 2>"$out/m-volume.stderr"
"$danseg" predict --model "$out/m-volume" --input /usr/share/mricron/templates/ch2.nii.gz --out "$out/vol/seg.nii.gz" "${engine[@]}" >/dev/null
"$danseg" evaluate --pred "$out/vol/seg.nii.gz" --truth "$out/vol/cerebellum.nii.gz" --axis y --slices 55-59,61-65 --json "$out/e-volume.json" >/dev/null

{
  for log in "$out"/m-*/train_log.csv; do
    # every column but seconds (wall clock)
    python3 - "$log" <<'EOF'
import csv, hashlib, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keep = [k for k in rows[0] if k != "seconds"]
text = "\n".join(",".join(r[k] for k in keep) for r in rows)
print(hashlib.sha256(text.encode()).hexdigest(), sys.argv[1].split("/")[-2] + "/train_log.csv (without seconds)")
EOF
  done
  for c in "$out"/m-*/config.json; do
    # paths inside are absolute: compare them relative to OUT
    echo "$(sed "s|$out|OUT|g" "$c" | sha256sum | cut -d' ' -f1)  ${c#$out/} (paths relative to OUT)"
  done
  cd "$out"
  find m-* p-* vol -type f \( -name '*.params' -o -name '*.ndlist' -o -name '*.png' -o -name '*.nii.gz' -o -name 'normalization.json' -o -name 'model.json' \) \
    | LC_ALL=C sort | xargs sha256sum
  for f in p-*.scores.csv; do sha256sum "$f"; done
  for f in e-*.json; do echo "$(sed "s|$out|OUT|g" "$f" | sha256sum | cut -d' ' -f1)  $f (paths relative to OUT)"; done
  # PyTorch's CPU convolution backward now and then writes a NaN (docs/training.md); the step is
  # skipped and the run takes another path. Such a run cannot be compared: rerun the script.
  for e in m-*.stderr; do
    if grep -q "optimizer step(s) skipped" "$e"; then echo "NOT COMPARABLE: ${e%.stderr} skipped an optimizer step (PyTorch NaN fault)"; fi
  done
} > "$out/FINGERPRINTS"
grep "NOT COMPARABLE" "$out/FINGERPRINTS" >&2 || true
wc -l < "$out/FINGERPRINTS"
