#!/usr/bin/env bash
# End-to-end latency of execguard watch: failed exec -> event line readable by the consumer, at RATE failures/s
# for SECONDS seconds, with a bare multicast reader (netlink-latency.py) in the same run as the baseline (what
# kernel delivery alone costs). Also checks that no failure is lost (events received == execs attempted).
# A 3-second warm-up at the same rate on another file comes first (JIT); it is not measured.
# usage: sudo bench/sidecar/latency.sh [RATE] [SECONDS]       Needs root, python3, the built jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
rate=${1:-1000}
seconds=${2:-10}
jar=sidecar/target/execguard.jar
[[ -f $jar ]] || { echo "build first: mvn -B -o -pl sidecar -am package -DskipTests" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "needs root (audit rules and the audit stream)" >&2; exit 1; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
key=execguard-bench-$$
# watch has usually exited already: a failed kill must not become the script's exit status under set -e
cleanup() { if [[ -n ${watch_pid:-} ]]; then kill "$watch_pid" 2>/dev/null || true; fi; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fixture=$work/no-shebang
warmup=$work/warm-up
printf ': no interpreter line\n' > "$fixture"
cp "$fixture" "$warmup"
chmod +x "$fixture" "$warmup"
echo "machine: $(nproc) CPUs, $(uname -r); $(uptime | sed 's/.*load/load/')"
lost_before=$(auditctl -s | awk '/^lost/ {print $2}')
# watch with the JVM flags docs/watch.md recommends; events to a pipe read by latency.py
java ${EXECGUARD_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k} -jar "$jar" watch \
  --install-rules --rule-key "$key" --dedupe-window 0 --listen "127.0.0.1:$port" 2> "$work/watch.err" \
  | python3 bench/sidecar/latency.py "$fixture" "$work/watch.txt" &
watch_pid=$(pgrep -n -f -- "--rule-key $key")
for _ in $(seq 1 300); do grep -q "ready" "$work/watch.err" 2>/dev/null && break; sleep 0.1; done
grep -q "watch: ready" "$work/watch.err" || { cat "$work/watch.err" >&2; exit 1; }
# warm-up at the same rate on another file, so that the measurement sees the JIT-compiled steady state
python3 bench/sidecar/exec-failures.py "$warmup" "$rate" 3 > /dev/null
sleep 1
python3 bench/sidecar/netlink-latency.py "$fixture" "$((seconds + 3))" "$work/netlink.txt" &
baseline_pid=$!
sleep 0.5
attempted=$(python3 bench/sidecar/exec-failures.py "$fixture" "$rate" "$seconds")
wait "$baseline_pid"
sleep 2
metrics=$(curl -s "127.0.0.1:$port/metrics" || true)
kill -TERM "$watch_pid"
wait 2>/dev/null || true
lost_after=$(auditctl -s | awk '/^lost/ {print $2}')
read -r n50 p50 p99 max < "$work/watch.txt"
read -r b50 bp50 bp99 bmax < "$work/netlink.txt"
echo "failed execs attempted: $attempted at $rate/s for $seconds s"
echo "bare multicast reader : $b50 received, p50 $bp50 ms, p99 $bp99 ms, max $bmax ms"
echo "execguard watch       : $n50 events, p50 $p50 ms, p99 $p99 ms, max $max ms"
echo "kernel lost counter   : $((lost_after - lost_before)) during the run"
echo "$metrics" | grep -E '^execguard_(events_dropped|audit_kernel_lost|audit_socket_dropped_records|audit_reassembly_gaps)_total' || true
