#!/usr/bin/env bash
# a million stored credentials: start-up, RSS, due lookup, DB size. BENCH_N (1000000), BENCH_SECONDS (15).
# Prints its numbers last. Needs wrk (apt-get install -y wrk). Results and method: BENCHMARKS.md.
source "$(dirname "$0")/lib.sh"
BENCH_NAME=scale
machine
run_bench -Dbench.seconds="${BENCH_SECONDS:-15}" -Dbench.n="${BENCH_N:-}" -Dbench.latencyMs="${BENCH_LATENCY_MS:-50}" \
  -Dbench.concurrency="${BENCH_CONCURRENCY:-64}" -Dbench.threads="${BENCH_THREADS:-16}"
