#!/usr/bin/env bash
# `execguard audit read` beside ausearch on the same generated audit log, and `execguard watch` CPU per 1,000
# events/s beside the floor of following the same log (tail -F), in ONE run on ONE machine (issue 9).
#   1. RECORDS records (bench/sidecar/gen-audit-log.py: records recorded on a real kernel - failed execs of several
#      causes, a shell's PATH search, unrelated syscalls, user messages): wall, CPU (user+sys) and peak RSS of
#        ausearch -i --input LOG        (interpreted text, the usual way to read it)
#        ausearch --raw --input LOG     (raw records, no interpretation: the floor of auditd's own tools)
#        execguard audit read LOG       (ECS JSON events, diagnosis on; and --no-diagnose)
#   2. watch --audit-log on a log appended at RATE events/s for SECONDS seconds: CPU seconds per second of watch,
#      scaled to 1,000 events/s, beside `tail -F` of the same file (baseline) measured in the same window.
# Usage: bench/audit-read-vs-ausearch.sh [RECORDS] [RATE] [SECONDS]   (default 200000 1000 60)
# The CPU window leaves out the first seconds of the writer (10 s when SECONDS >= 30): JIT compilation there would
# count as steady-state cost (a 20 s run measured 0.23 CPU s/s, a 60 s run 0.035, on the same quiet machine).
# execguard runs with the JVM flags docs/watch.md recommends for it (EXECGUARD_JAVA_OPTS overrides them; set it to an
# empty string for the JVM's defaults).
# Needs ausearch (Debian package auditd), python3 and GNU time. Does not need root or the audit subsystem.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
records="${1:-200000}"
rate="${2:-1000}"
seconds="${3:-60}"
jar="$top/sidecar/target/execguard.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
read -r -a opts <<< "${EXECGUARD_JAVA_OPTS--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
for tool in ausearch python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required (ausearch: apt-get install auditd)" >&2; exit 2; }
done
[[ -f "$jar" ]] || mvn -B -q -pl sidecar -am package -DskipTests
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
log="$work/audit.log"
python3 bench/sidecar/gen-audit-log.py "$records" "$log"
events=$(grep -c '^type=EOE\|^type=USER_CMD' "$log" || true)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r);" \
  "$(ausearch --version 2>&1 | head -1); execguard JVM flags: ${opts[*]:-(defaults)};" \
  "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "log: $records records, $events events, $(du -h "$log" | cut -f1)"
cat "$log" > /dev/null # page cache

# measure LABEL CMD... -> "| LABEL | wall s | cpu s | peak RSS MiB | output lines |"
measure() {
  local label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$work/out" 2>/dev/null || true
  read -r wall user sys rss < "$work/time"
  printf '| %s | %.2f | %.2f | %.0f | %s |\n' "$label" "$wall" "$(echo "$user + $sys" | bc -l)" \
    "$(echo "$rss / 1024" | bc -l)" "$(wc -l < "$work/out")"
}
echo
echo "| $records records | wall s | CPU s | peak RSS MiB | output lines |"
echo "|---|---|---|---|---|"
measure "ausearch --raw --input LOG" ausearch --raw --input "$log"
measure "ausearch -i --input LOG" ausearch -i --input "$log"
measure "execguard audit read --no-diagnose LOG" "$java" "${opts[@]}" -jar "$jar" audit read --quiet --no-diagnose "$log"
measure "execguard audit read LOG" "$java" "${opts[@]}" -jar "$jar" audit read --quiet "$log"

# 2. watch CPU at a fixed event rate
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
live="$work/live.log"
: > "$live"
"$java" "${opts[@]}" -jar "$jar" watch --audit-log "$live" --listen none --no-probe --output file:"$work/watch.json" \
  2> "$work/watch.err" &
watch_pid=$!
pids+=("$watch_pid")
tail -F "$live" > /dev/null 2>&1 &
tail_pid=$!
pids+=("$tail_pid")
sleep 3 # JVM start-up is not part of the steady state
python3 - "$log" "$live" "$rate" "$seconds" <<'PY' &
import sys, time
src, dst, rate, secs = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
events, cur = [], []
for line in open(src):
    cur.append(line)
    if line.startswith("type=EOE") or line.startswith("type=USER_CMD"):
        events.append("".join(cur)); cur = []
with open(dst, "a") as out:
    start, i = time.monotonic(), 0
    while time.monotonic() - start < secs:
        due = int((time.monotonic() - start) * rate)
        while i < due:
            out.write(events[i % len(events)]); i += 1
        out.flush()
        time.sleep(0.01)
print(i, file=sys.stderr)
PY
writer=$!
pids+=("$writer")
skip=$((seconds >= 30 ? 10 : 2))
sleep "$skip"
w0=$(cpu_ticks "$watch_pid"); t0=$(cpu_ticks "$tail_pid"); s0=$(date +%s.%N)
sleep $((seconds - skip - 2))
w1=$(cpu_ticks "$watch_pid"); t1=$(cpu_ticks "$tail_pid"); s1=$(date +%s.%N)
wait "$writer" || true
hz=$(getconf CLK_TCK)
python3 - "$w0" "$w1" "$t0" "$t1" "$s0" "$s1" "$hz" "$rate" <<'PY'
import sys
w0, w1, t0, t1, s0, s1, hz, rate = map(float, sys.argv[1:])
el = s1 - s0
watch = (w1 - w0) / hz / el
tail = (t1 - t0) / hz / el
print()
print("| follower at %.0f events/s (steady %.1f s) | CPU s per s | per 1,000 events/s |" % (rate, el))
print("|---|---|---|")
print("| tail -F LOG (baseline: following the file) | %.4f | %.4f |" % (tail, tail * 1000 / rate))
print("| execguard watch --audit-log LOG | %.4f | %.4f |" % (watch, watch * 1000 / rate))
PY
echo "watch wrote $(wc -l < "$work/watch.json" 2>/dev/null || echo 0) event lines; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
