#!/usr/bin/env bash
# attach + delete pairs per second with background validation. BENCH_SECONDS (15), BENCH_THREADS (16).
# Prints its numbers last. Needs wrk (apt-get install -y wrk). Results and method: BENCHMARKS.md.
source "$(dirname "$0")/lib.sh"
BENCH_NAME=writes
machine
run_bench -Dbench.seconds="${BENCH_SECONDS:-15}" -Dbench.n="${BENCH_N:-}" -Dbench.latencyMs="${BENCH_LATENCY_MS:-50}" \
  -Dbench.concurrency="${BENCH_CONCURRENCY:-64}" -Dbench.threads="${BENCH_THREADS:-16}"
