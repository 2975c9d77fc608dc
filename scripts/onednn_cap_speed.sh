#!/usr/bin/env bash
# Training speed with and without the oneDNN AVX2 cap the launcher used to set (issue 21): danseg's own
# training step on the default network (U-Net width 16, 96-pixel patches, 4 annotated + 2 unannotated),
# supervised and dan, alternating capped and uncapped runs so drift in the machine hits both.
# Usage: scripts/onednn_cap_speed.sh [REPEATS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${1:-3}"
"$here/danseg" doctor | grep -E '^cpu '
for mode in supervised dan; do
  for r in $(seq "$repeats"); do
    for cap in none AVX2; do
      if [ "$cap" = none ]; then env -u ONEDNN_MAX_CPU_ISA -u DNNL_MAX_CPU_ISA "$here/danseg" bench --mode "$mode" --sn unet --width 16 \
          --size 96 --annotated 4 --unannotated 2 --warmup 5 --iters 40 --json /tmp/onednn_cap_$$.json --force >/dev/null
      else ONEDNN_MAX_CPU_ISA=$cap DNNL_MAX_CPU_ISA=$cap "$here/danseg" bench --mode "$mode" --sn unet --width 16 \
          --size 96 --annotated 4 --unannotated 2 --warmup 5 --iters 40 --json /tmp/onednn_cap_$$.json --force >/dev/null
      fi
      python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(sys.argv[2], 'cap', sys.argv[3], 'run', sys.argv[4], 'median s/iteration', d['median_s'])" \
        /tmp/onednn_cap_$$.json "$mode" "$cap" "$r"
    done
  done
done
rm -f /tmp/onednn_cap_$$.json
