#!/usr/bin/env bash
# danseg bench vs ../shared/reference/torch_dan_bench.py (plain PyTorch, Debian's python3-torch), same
# flags, one machine, one run: dan, supervised and infer at the given widths. Writes OUT/*.json and
# prints a markdown table (docs/performance.md). Run on an otherwise idle machine.
# Usage: scripts/bench_compare.sh [OUT_DIR] [WIDTHS...]     e.g. scripts/bench_compare.sh bench-out 16 32
# Environment: THREADS (default: all cores), PYTHON (default /usr/bin/python3, Debian's torch), REFERENCE (the
# reference script), DANSEG (the command that runs danseg, default ./danseg).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-bench-out}"; shift || true
widths=("${@:-16}")
reference="${REFERENCE:-$here/../shared/reference/torch_dan_bench.py}"
python="${PYTHON:-/usr/bin/python3}"
read -r -a danseg <<< "${DANSEG:-$here/danseg}"
[ -f "$reference" ] || { echo "bench_compare: $reference not found" >&2; exit 1; }
"$python" -c "import torch" 2>/dev/null || { echo "bench_compare: needs python3-torch (apt-get install python3-torch)" >&2; exit 1; }
mkdir -p "$out"
threads="${THREADS:-$(nproc)}"
rss() { awk '/Maximum resident/ {printf "%.0f", $6 / 1024}' "$1"; }
row() {  # mode width extra-flags...
  local mode=$1 width=$2; shift 2
  local iters=10 warmup=2
  [ "$width" -gt 16 ] && iters=5 && warmup=1
  local common=(--mode "$mode" --width "$width" --threads "$threads" --iters "$iters" --warmup "$warmup")
  /usr/bin/time -v "${danseg[@]}" bench "${common[@]}" --json "$out/danseg-$mode-$width.json" --force > "$out/danseg-$mode-$width.log" 2> "$out/danseg-$mode-$width.time"
  /usr/bin/time -v "$python" "$reference" "${common[@]}" "$@" --json "$out/ref-$mode-$width.json" > "$out/ref-$mode-$width.log" 2> "$out/ref-$mode-$width.time"
  python3 - "$out" "$mode" "$width" "$(rss "$out/danseg-$mode-$width.time")" "$(rss "$out/ref-$mode-$width.time")" <<'PY'
import json, sys
out, mode, width, rss_d, rss_r = sys.argv[1:]
d = json.load(open(f"{out}/danseg-{mode}-{width}.json"))
r = json.load(open(f"{out}/ref-{mode}-{width}.json"))
print(f"| {mode} | {width} | {d['sn_params']:,} / {r['sn_params']:,} | {d['gflop_per_iteration']} / {r['gflop_per_iteration']} | "
      f"{d['median_s']:.3f} | {r['median_s']:.3f} | {d['median_s'] / r['median_s']:.2f} | {d['achieved_gflops']} / {r['achieved_gflops']} | {rss_d} / {rss_r} |")
PY
}
echo "| mode | width | SN params danseg / reference | GFLOP per iteration | danseg s | reference s | danseg / reference | GFLOP/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
for w in "${widths[@]}"; do
  row dan "$w" --share-sn-forward
  row supervised "$w"
  row infer "$w"
done
