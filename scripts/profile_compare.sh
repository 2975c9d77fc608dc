#!/usr/bin/env bash
# Where the time goes, danseg vs the PyTorch reference, same iteration and machine: both under PyTorch's
# profiler, self time per operator per timed iteration (docs/performance.md). Needs python3-torch.
# Usage: scripts/profile_compare.sh OUT [MODE] [WIDTH]      e.g. scripts/profile_compare.sh prof-out dan 16
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/profile_compare.sh OUT [MODE] [WIDTH]}"; mode="${2:-dan}"; width="${3:-16}"
reference="$here/../shared/reference/torch_dan_bench.py"
[ -f "$reference" ] || { echo "profile_compare: $reference not found" >&2; exit 1; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "profile_compare: needs python3-torch (apt-get install python3-torch)" >&2; exit 1; }
mkdir -p "$out"
flags=(--mode "$mode" --width "$width" --threads "$(nproc)" --iters 3 --warmup 1)
"$here/danseg" bench "${flags[@]}" --profile "$out/danseg-trace.json" --json "$out/danseg.json" --force > "$out/danseg.log" 2>&1
extra=(); [[ $mode == dan ]] && extra=(--share-sn-forward)
/usr/bin/python3 "$here/scripts/torch_profile.py" "$reference" "$out/reference-trace.json" "${flags[@]}" "${extra[@]}" > "$out/reference.log" 2>&1
/usr/bin/python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
d = json.load(open(f"{out}/danseg.json"))
prof = d["profile"]
print(f"danseg: {d['median_s']:.3f} s per iteration (profiled), {prof['inside_operators_s']:.3f} s inside operators")
for row in prof["top_operators"][:12]:
    print(f"  {row['operator']:<58} {row['self_s']:7.3f} s {100 * row['share']:5.1f}% {row['calls']:6.0f} calls")
lines = open(f"{out}/reference.log").read().splitlines()
med = [l for l in lines if '"median_s"' in l]
print(f"reference: {med[0].split(':')[1].strip().rstrip(',') if med else '?'} s per iteration (profiled), "
      + next(l for l in lines if l.startswith("profile:")).split(": ", 1)[1])
for l in lines[next(i for i, l in enumerate(lines) if l.startswith("profile:")) + 1:][:12]:
    print("  " + l)
PY
