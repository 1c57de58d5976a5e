#!/usr/bin/env bash
# kill -9 the real jar CRASH_KILLS times (20) at random moments of a refresh storm of CRASH_CREDENTIALS (500)
# credentials against a provider that rotates refresh tokens (old ones valid 60 s), restarting each time; then
# checks every credential is VALID and holds the token the provider currently accepts. Same code as the CI
# test app/src/test/java/io/granary/app/CrashRecoveryIT.java, which runs 4 kills on 150 credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
mvn -B -q -pl app -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CrashRecoveryIT \
    -Dcrash.kills="${CRASH_KILLS:-20}" -Dcrash.credentials="${CRASH_CREDENTIALS:-500}" 2>&1 | tee "$out" | grep -v " INFO " || true
echo
grep -h "crash-recovery:" "$out" app/target/failsafe-reports/*CrashRecoveryIT*.txt 2>/dev/null | tail -1
grep -h "Tests run" app/target/failsafe-reports/io.granary.app.CrashRecoveryIT.txt
