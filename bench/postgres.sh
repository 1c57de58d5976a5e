#!/usr/bin/env bash
# PostgreSQL: `storm` (BENCH_N=10000 due at once, 1 and 3 instances, BENCH_LATENCY_MS=50, total BENCH_CONCURRENCY=64)
# or `scale` (BENCH_N=1000000: due lookup latency and start-up time) or `api` (2,000 credentials read in random order,
# answer cache on and off, BENCH_WARMUP=60, BENCH_SECONDS=15). PostgreSQL from GRANARY_TEST_POSTGRES_URL,
# else embedded 16.4 (zonky). Prints its numbers last. Results and method: BENCHMARKS.md.
source "$(dirname "$0")/lib.sh"
what="${1:-storm}"
machine
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dgranary.jar="$ROOT/app/target/granary.jar" -Dbench.n="${BENCH_N:-}" -Dbench.warmup="${BENCH_WARMUP:-60}" -Dbench.seconds="${BENCH_SECONDS:-15}" -Dbench.latencyMs="${BENCH_LATENCY_MS:-50}" \
  -Dbench.concurrency="${BENCH_CONCURRENCY:-64}" -cp "$CP" io.granary.app.PgBench "$what"
