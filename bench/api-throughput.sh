#!/usr/bin/env bash
# API throughput/latency vs a bare Undertow baseline (64 connections), with the answer cache on and off, and while
# another client writes. BENCH_SPREAD (2000 distinct credentials read in random order by a wrk Lua script, which the
# baseline is sent too; 1 = one hot credential), BENCH_SECONDS (15), BENCH_WARMUP (60, also with writes beside before the mixed rounds), BENCH_ROUNDS (3 rounds of
# baseline, Granary, Granary with the cache off; the median ratio counts), BENCH_MIXED_WRITES (20 attach + delete
# pairs/s), BENCH_MIXED_ROUNDS (1).
# Prints its numbers last. Needs wrk (apt-get install -y wrk). Results and method: BENCHMARKS.md.
source "$(dirname "$0")/lib.sh"
BENCH_NAME=api
machine
run_bench -Dbench.seconds="${BENCH_SECONDS:-15}" -Dbench.warmup="${BENCH_WARMUP:-60}" -Dbench.n="${BENCH_N:-}" -Dbench.latencyMs="${BENCH_LATENCY_MS:-50}" \
  -Dbench.concurrency="${BENCH_CONCURRENCY:-64}" -Dbench.threads="${BENCH_THREADS:-16}" -Dbench.mixedWrites="${BENCH_MIXED_WRITES:-20}" \
  -Dbench.rounds="${BENCH_ROUNDS:-3}" -Dbench.spread="${BENCH_SPREAD:-2000}" -Dbench.mixedRounds="${BENCH_MIXED_ROUNDS:-1}"
