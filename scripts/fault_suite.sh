#!/usr/bin/env bash
# The fault and fuzz suite at full size (docs/reliability.md): the bad-input matrix, 20 SIGKILLs and
# 5 SIGTERMs during one training run with a resume after each, and a fuzzing run of every reader
# (10^6 inputs per image/NIfTI/JSON reader, 5*10^3 per model-folder file). Resumable by target:
# a target whose summary line is already in OUT/fuzz.txt is skipped.
#   scripts/fault_suite.sh [OUT]          (about 1-2 hours on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-fault-suite}"
mkdir -p "$out"
reports=danseg-core/target/surefire-reports

if [[ ! -s "$out/matrix.txt" ]]; then
  mvn -B -ntp -q -pl danseg-core test -Dtest='BadInputMatrixTest,ReliabilityTest' >"$out/matrix.log" 2>&1 || true
  for t in BadInputMatrixTest ReliabilityTest; do
    head -c 2000 "$reports/TEST-org.danseg.cli.$t.xml" | tr ' ' '\n' | grep -E '^(tests|failures|errors)=' | tr -d '>' | tr '\n' ' ' | sed "s/^/$t: /"
    echo
  done >"$out/matrix.txt"
fi
if [[ ! -s "$out/kills.txt" ]]; then
  mvn -B -ntp -q -pl danseg-core test -Dtest=KillResumeTest -Ddanseg.kills=20 -Ddanseg.terms=5 >"$out/kills.log" 2>&1 || true
  { grep -h 'KillResumeTest:' $reports/org.danseg.train.KillResumeTest-output.txt || echo "KillResumeTest FAILED (see kills.log)"; } >"$out/kills.txt"
fi
touch "$out/fuzz.txt"
for target in io.ReaderFuzzTest#fuzzPng io.ReaderFuzzTest#fuzzTiff io.ReaderFuzzTest#fuzzBmp io.ReaderFuzzTest#fuzzJpeg \
              io.ReaderFuzzTest#fuzzNifti io.ReaderFuzzTest#fuzzNiftiGz io.ReaderFuzzTest#fuzzDatasetJson io.ReaderFuzzTest#fuzzConfigJson \
              infer.ModelFolderFuzzTest#fuzzModelJson infer.ModelFolderFuzzTest#fuzzNormalizationJson infer.ModelFolderFuzzTest#fuzzConfigJson \
              infer.ModelFolderFuzzTest#fuzzSnParams infer.ModelFolderFuzzTest#fuzzEnParams; do
  grep -q "^$target " "$out/fuzz.txt" && continue
  class="org.danseg.${target%%#*}"
  log="$out/fuzz-${target##*#}-${class##*.}.log"
  status=passed
  # File readers get a 512 MB heap: images declaring more than about 17 M pixels then meet the memory budget
  # instead of being decoded, which keeps 10^6 inputs per reader to minutes (the budget is what is checked).
  # Model-folder targets keep the 4 GB heap: they train and load a network.
  heap=""
  [[ "$class" == *ReaderFuzzTest ]] && heap="-Dtest.jvm.extra=-Xmx512m"
  # JPEG gets 192 MB: at 512 MB the fuzzer learns to declare multi-megapixel JPEGs that the JDK's native decoder
  # decodes within the allowance, and the run falls to ~25 inputs/s (docs/reliability.md).
  [[ "$target" == *fuzzJpeg ]] && heap="-Dtest.jvm.extra=-Xmx192m"
  JAZZER_FUZZ=1 mvn -B -ntp -q -pl danseg-core test -Dtest="$class#${target##*#}" $heap >"$log" 2>&1 || status=FINDING
  cp "$reports/$class-output.txt" "$log.output" 2>/dev/null || true
  # libFuzzer's last status line: "#N DONE cov: ... exec/s: ..." (or the last progress line when it stopped early).
  last="$(grep -a -h -E '^#[0-9]+' "$log.output" "$log" 2>/dev/null | tail -1)"
  echo "$target $status ${last:-no libFuzzer output}" >>"$out/fuzz.txt"
done
echo "== $(date -u +%F) $(./danseg doctor 2>/dev/null | grep -E '^cpu( features)? ' || true)"
cat "$out/matrix.txt" "$out/kills.txt" "$out/fuzz.txt"
