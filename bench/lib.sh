# Shared by the bench scripts: builds the jar and test classes (never `mvn install`) and runs io.granary.app.Bench.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
CP_FILE="$ROOT/app/target/bench-classpath.txt"
if [[ "${BENCH_SKIP_BUILD:-}" != "1" || ! -f "$CP_FILE" ]]; then
  # package: the jar and core's test-jar; build-classpath: app's test class path (reactor jars, Maven's cache).
  mvn -B -q -pl app -am package -DskipTests dependency:build-classpath \
      -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
fi
CP="$ROOT/app/target/test-classes:$ROOT/app/target/classes:$(cat "$CP_FILE")"
machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "jdk: $(java -version 2>&1 | head -1)"
}
# GRANARY_JVM_ARGS: options for the Granary process under test, e.g. -XX:SharedArchiveFile=granary.jsa (bench/appcds.sh).
run_bench() {
  java -Dgranary.jar="$ROOT/app/target/granary.jar" -Dgranary.jvmArgs="${GRANARY_JVM_ARGS:-}" "$@" -cp "$CP" io.granary.app.Bench "${BENCH_NAME}"
}
