#!/usr/bin/env bash
# Class-data sharing of Granary's own classes (AppCDS: a Java 17 dynamic archive) and the cold refresh storm.
# Trains an archive with a short storm (-XX:ArchiveClassesAtExit, written when that Granary process exits), then
# runs bench/refresh-storm.sh without and with it (-XX:SharedArchiveFile), alternating, BENCH_ROUNDS (2) times each.
# APPCDS_ARCHIVE (app/target/granary.jsa), APPCDS_TRAIN_N (3000), APPCDS_EXTRA (more JVM options for both sides,
# e.g. -XX:TieredStopAtLevel=1). The storm's own knobs pass through (BENCH_N, BENCH_LATENCY_MS, ...).
# Using an archive in production: README, "Faster start-up".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ARCHIVE="${APPCDS_ARCHIVE:-$ROOT/app/target/granary.jsa}"
EXTRA="${APPCDS_EXTRA:-}"
storm() {
  echo "== $1 ($(date +%T), load average $(cut -d' ' -f1 /proc/loadavg))"
  GRANARY_JVM_ARGS="$2 $EXTRA" BENCH_SKIP_BUILD="${BENCH_SKIP_BUILD:-1}" bash "$ROOT/bench/refresh-storm.sh" \
    | grep -E 'wall|token requests|VALID'
}
BENCH_SKIP_BUILD="${BENCH_SKIP_BUILD:-}" BENCH_N=1 bash "$ROOT/bench/refresh-storm.sh" >/dev/null # builds the jar
rm -f "$ARCHIVE"
BENCH_N="${APPCDS_TRAIN_N:-3000}" storm "training (archive written at exit)" "-XX:ArchiveClassesAtExit=$ARCHIVE"
ls -l "$ARCHIVE"
for round in $(seq "${BENCH_ROUNDS:-2}"); do
  storm "round $round: no archive" ""
  storm "round $round: with the archive" "-XX:SharedArchiveFile=$ARCHIVE"
done
