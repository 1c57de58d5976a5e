#!/usr/bin/env bash
# JMH microbenchmarks of one API read's steps (module benchmarks/; results and method: BENCHMARKS.md).
# Builds with `package` (never `mvn install`) and runs JMH on the class path (io.granary.benchmarks.RunBenchmarks:
# JMH's own command line plus a compact table); prints that results table last.
# Knobs: BENCH_JMH_FILTER (benchmark regex, default all); BENCH_JMH_SETTINGS (forks and iterations, default
# "-f 1 -wi 3 -w 1s -i 5 -r 1s"; JMH refuses an option given twice, so override them here); BENCH_JMH_ARGS (other
# JMH options, e.g. "-p users=100000" or "-prof gc"); BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP_FILE="$ROOT/benchmarks/target/jmh-classpath.txt"
RESULTS="$ROOT/benchmarks/target/jmh-results.csv"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" || ! -f "$CP_FILE" ]]; then
  # benchmarks is the reactor's last module, so its class path is the one left in CP_FILE.
  mvn -B -q -Dstyle.color=never -pl benchmarks -am package -DskipTests dependency:build-classpath \
      -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jdk: $(java -version 2>&1 | head -1)"
# Modest on purpose: the machine is small and shared. One fork per benchmark keeps JIT profiles apart.
# ThreadCpuProfiler adds CPU time per operation, which waiting behind other processes does not inflate.
# shellcheck disable=SC2086
java -cp "$ROOT/benchmarks/target/classes:$(cat "$CP_FILE")" io.granary.benchmarks.RunBenchmarks \
    ${BENCH_JMH_SETTINGS:--f 1 -wi 3 -w 1s -i 5 -r 1s} -bm avgt -tu us -rf csv -rff "$RESULTS" \
    -prof io.granary.benchmarks.ThreadCpuProfiler ${BENCH_JMH_ARGS:-} "${BENCH_JMH_FILTER:-io.granary}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
