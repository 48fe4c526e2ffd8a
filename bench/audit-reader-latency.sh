#!/usr/bin/env bash
# Latency of execguard's audit multicast reader: failed execs at a fixed rate; time from the kernel's event timestamp
# to the reader holding the event's last record (EOE). Baseline in the same run: a minimal C reader
# (bench/audit-mcast-reader.c) receiving the very same multicast records.
# Needs root and audit. Installs one rule with a unique key and removes it; enables auditing if it is off.
#   usage: bench/audit-reader-latency.sh [COUNT] [RATE]      (default 5000 events at 1000/s)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5000}
rate=${2:-1000}
out=sidecar/target/bench
mkdir -p "$out"
gcc -O2 -o "$out/failexec" bench/failexec.c
gcc -O2 -o "$out/audit-mcast-reader" bench/audit-mcast-reader.c
fixture="$out/noshebang-$$"
printf 'echo no interpreter line\n' > "$fixture"
chmod 755 "$fixture"
trap 'rm -f "$fixture"' EXIT
if [[ ! -f sidecar/target/execguard.jar || ! -d sidecar/target/test-classes ]]; then
  mvn -B -q -o -pl sidecar -am package -DskipTests
fi
echo "machine: $(nproc) cores, $(uname -r), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$out/audit-mcast-reader" "$(realpath "$fixture")" "$count" > "$out/baseline.txt" &
baseline=$!
java -cp sidecar/target/execguard.jar:sidecar/target/test-classes \
  io.execguard.sidecar.audit.netlink.ReaderLatencyBench "$out/failexec" "$(realpath "$fixture")" "$count" "$rate"
wait "$baseline" || true
grep -v '^ready' "$out/baseline.txt"
