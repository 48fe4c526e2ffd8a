#!/usr/bin/env bash
# Resident memory of an idle execguard watch (ready, rules installed, no failures) after SECONDS seconds, next to
# an idle JVM with the same flags (the baseline: what the runtime alone costs).
# usage: sudo bench/sidecar/rss.sh [SECONDS]     EXECGUARD_JAVA_OPTS overrides the flags (default: docs/watch.md's)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
jar=sidecar/target/execguard.jar
opts=${EXECGUARD_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=24m}
[[ -f $jar ]] || { echo "build first: mvn -B -o -pl sidecar -am package -DskipTests" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "needs root" >&2; exit 1; }
work=$(mktemp -d)
cleanup() { kill "${watch_pid:-}" "${idle_pid:-}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
javac -d "$work" bench/sidecar/Idle.java
rss() { awk '/^VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$1/status"; }
echo "machine: $(nproc) CPUs, $(uname -r); flags: $opts; $(uptime | sed 's/.*load/load/')"
# shellcheck disable=SC2086
java $opts -jar "$jar" watch --install-rules --rule-key "execguard-bench-$$" --listen "127.0.0.1:$((20000 + RANDOM % 20000))" \
  > /dev/null 2> "$work/watch.err" &
watch_pid=$!
# shellcheck disable=SC2086
java $opts -cp "$work" Idle &
idle_pid=$!
for _ in $(seq 1 300); do grep -q "ready" "$work/watch.err" && break; sleep 0.1; done
grep -q "watch: ready" "$work/watch.err" || { cat "$work/watch.err" >&2; exit 1; }
sleep "$seconds"
echo "idle JVM (baseline)   : $(rss "$idle_pid")"
echo "idle execguard watch  : $(rss "$watch_pid") after ${seconds} s ready"
kill -TERM "$watch_pid"
wait "$watch_pid" 2>/dev/null || true
