#!/usr/bin/env bash
# The oneDNN convolution repro outside danseg (docs/reliability.md, "Wrong convolutions on a CPU that hides its caches"):
# DJL alone (the natives danseg ships), then the same op and shapes in Python PyTorch when one is given, then what
# oneDNN's bundled Xbyak reads for the cache sizes. Usage: scripts/numerics/repro.sh [python-with-torch]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
core="$here/../../danseg-core"
cp="$(cd "$core" && mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout 2>/dev/null || mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
run() { java -Dai.djl.offline=true -cp "$cp" "$@" 2>&1 | grep -v "SLF4J\|NNPACK" || true; }
# The first lines and how many shapes were wrong (awk reads to the end: no broken pipe).
summary() { awk -v n="$1" 'NR<=n {print} /ic=/ {w++} END {print "  ... " w+0 " wrong shapes in all"}'; }
lscpu | grep -E "Model name|CPU family|^Model:" || true
echo "== DJL $(basename "$(tr ':' '\n' <<<"$cp" | grep pytorch-jni)") : fp32 conv2d 3x3 vs float64, forward and gradients"
run "$here/GradSweep.java" 3 16 | summary 8
echo "== the same with ONEDNN_MAX_CPU_ISA=AVX2 (8-channel blocks instead of 16)"
ONEDNN_MAX_CPU_ISA=AVX2 run "$here/GradSweep.java" 3 16 | summary 5
echo "== freed memory filled with NaN before the convolution (uninitialised reads show as NaN)"
run "$here/Poison.java" 24 8 32 plain | awk 'NR==1'
run "$here/Poison.java" 24 8 32 poison | awk 'NR==1'
echo "== one convolution with ONEDNN_VERBOSE=1: the kernel"
ONEDNN_VERBOSE=1 run "$here/Poison.java" 24 8 32 plain | grep "convolution,\|isa:\|oneDNN v" | awk 'NR<=3'
if [[ -n "${1:-}" ]]; then
  echo "== Python PyTorch ($1)"
  "$1" -c "import torch; print(torch.__version__, [l.strip() for l in torch.__config__.show().splitlines() if 'DNN' in l])"
  "$1" "$here/grad_sweep.py" 3 16 2>&1 | grep -v NNPACK | summary 5
fi
echo "== c10's allocator filling every allocation with NaN (junk) or zeros: uninitialised reads turn NaN; zeros do not cure"
classes="$(mktemp -d)"
javac --add-modules jdk.incubator.foreign -cp "$cp" -d "$classes" "$here/Fill.java" "$here/Rule.java" 2>/dev/null
for fill in junk zero; do
  java --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -cp "$classes:$cp" Fill "$fill" 2>&1 \
    | grep -v "SLF4J\|NNPACK\|WARNING" || true
done
echo "== the rule: right whenever out channels % 16 == 0 and (in channels < 16 or % 16 == 0)? (sizes 8 32, batches 2 4)"
java -Dai.djl.offline=true -cp "$classes:$cp" Rule 8 32 2 4 2>&1 | grep -v "SLF4J\|NNPACK" || true
echo "== CPUID as oneDNN <= 3.9's Xbyak reads it on AMD (leaf 0x8000001D)"
gcc -O1 -o "${TMPDIR:-/tmp}/cpuid_cache" "$here/cpuid_cache.c" && "${TMPDIR:-/tmp}/cpuid_cache"
