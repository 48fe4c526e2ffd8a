#!/usr/bin/env bash
# The agent under load for a minute (issue 9): THREADS threads spawn healthy and broken files (EACCES, missing
# interpreter, missing ELF loader, CRLF, no #! and wrong architecture - the last two fall back to /bin/sh) for
# SECONDS seconds, once without and once with the shaded agent in a child JVM. Fails on a deadlock (child not done
# within two minutes), on any difference in what the app saw, and on any lost or duplicated event.
# It is ConcurrencySoakIT (agent/src/test/java/io/execguard/agent/it) with a longer run; `mvn verify` runs it for 3 s.
#   usage: bench/agent-soak.sh [SECONDS] [THREADS] [JDK]     (default 60 64 17; JDK 25 = Temurin 25)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
threads="${2:-64}"
jdk="${3:-17}"
echo "agent soak: $threads threads x ${seconds}s on JDK $jdk; $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
mvn -B -o -pl agent -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ConcurrencySoakIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dexecguard.soak.millis=$((seconds * 1000)) -Dexecguard.soak.threads="$threads" -Dexecguard.soak.jdk="$jdk" \
  > "$log" 2>&1 || status=$?
grep -E '^soak |Tests run:|FAIL|expected' "$log" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); maven exit status $status"
exit "$status"
