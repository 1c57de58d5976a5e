#!/usr/bin/env bash
# The provider answers 500, hangs past the timeout, answers after it (having rotated the token), closes the
# connection, sends garbage, and sends an absurd Retry-After — each for FAULTS_WINDOW seconds (30), then recovers —
# while FAULTS_CREDENTIALS credentials (400) refresh every few seconds. Checks no credential is ever INVALID, all are
# VALID again holding the provider's current refresh token, and token requests per window stay within what the
# backoff allows. Same code as the CI test app/src/test/java/io/granary/app/ProviderFaultsIT.java (40 credentials, 6 s).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
mvn -B -q -pl app -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ProviderFaultsIT \
    -Dfaults.credentials="${FAULTS_CREDENTIALS:-400}" -Dfaults.window="${FAULTS_WINDOW:-30}" \
    -Dfaults.lifetime="${FAULTS_LIFETIME:-10}" -Dfaults.retryBase="${FAULTS_RETRY_BASE:-1}" \
    -Dfaults.retryCap="${FAULTS_RETRY_CAP:-8}" -Dfaults.concurrency="${FAULTS_CONCURRENCY:-64}" \
    2>&1 | tee "$out" | grep -v " INFO " || true
echo
grep -ho "provider-faults:.*" "$out" | grep -v "expected:" | awk '!seen[$0]++'
grep -h "Tests run" app/target/failsafe-reports/io.granary.app.ProviderFaultsIT.txt
