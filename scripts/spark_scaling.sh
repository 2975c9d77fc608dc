#!/usr/bin/env bash
# Throughput of the Spark job in local mode with 1 and 2 executor cores, and the executor's peak memory
# (docs/scale.md). A synthetic collection of N images of SIZE px and a width-16 model (trained briefly:
# throughput does not depend on how well it segments).
#   scripts/spark_scaling.sh [WORK] [N] [SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-spark-scaling}"; n="${2:-96}"; size="${3:-256}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
# Both modules packaged; each writes its classpath to the same file, the Spark module (built last) last.
mvn -B -ntp -q -DskipTests package dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >/dev/null
# danseg-spark/target/lib holds what spark-submit --jars would ship; the core jar itself is left out of the
# build classpath because its manifest pulls in the core's own lib/ (another Jackson than Spark's).
cp="danseg-spark/target/danseg-spark.jar:danseg-spark/target/lib/*:$(tr ':' '\n' <"$work/classpath.txt" | grep -v 'danseg-core/target' | paste -sd:)"
if [[ ! -d "$work/data" ]]; then
  ./danseg synth --out "$work/data" --annotated 2 --unannotated "$n" --test 0 --size "$size" >/dev/null
fi
if [[ ! -d "$work/model" ]]; then
  ./danseg train --annotated "$work/data/annotated" --out "$work/model" --mode supervised --width 16 --patch 128 \
    --iterations 5 --pretrain-iterations 0 >/dev/null
fi
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
 --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
 --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
echo "cores,images,seconds,images_per_s,task_seconds,images_per_s_in_tasks,peak_rss_mb" >"$work/scaling.csv"
for cores in 1 2; do
  rm -rf "$work/out$cores"
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/time$cores.txt" java $opens -Xmx4g -Dai.djl.offline=true -Djava.awt.headless=true -Dspark.master="local[$cores]" \
    -Dspark.ui.enabled=false -cp "$cp" org.danseg.spark.DansegSparkJob --model "$work/model" --inputs "$work/data/unannotated/images" \
    --out "$work/out$cores" --partitions $((cores * 4)) >"$work/job$cores.log" 2>&1
  end=$(date +%s.%N)
  rss=$(awk -F: '/Maximum resident/ {print int($2/1024)}' "$work/time$cores.txt")
  # In tasks: from the first task's start to the last task's end, by the timestamps of Spark's log.
  span=$(awk '/Executor: Running task/ && !first {first=$2} /Finished task/ {last=$2}
    function s(t, a) {split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3]} END {print s(last) - s(first)}' "$work/job$cores.log")
  awk -v c="$cores" -v n="$n" -v s="$start" -v e="$end" -v t="$span" -v r="$rss" \
    'BEGIN {printf "%d,%d,%.1f,%.2f,%d,%.2f,%d\n", c, n, e - s, n / (e - s), t, n / t, r}' >>"$work/scaling.csv"
done
echo "== $(date -u +%F) $(./danseg doctor 2>/dev/null | grep -E '^cpu( features)? ' | tr -s ' ' | tr '\n' ' ')"
cat "$work/scaling.csv"
