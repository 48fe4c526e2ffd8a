#!/usr/bin/env bash
# The sidecar under faults, slow variants of sidecar/src/test/.../watch/WatchFaultsTest (issue 9). Needs root and
# the audit subsystem (auditctl from Debian's auditd for the rule count), gcc and python3.
#   1. burst: COUNT failed execs (ENOEXEC, bench/failexec.c, as fast as the machine goes) with
#      `watch --install-rules --dedupe-window 0` running; then the same with the default dedupe window; then twice
#      more under overload: watch stopped with SIGSTOP for the burst (its socket buffer overflows), and the kernel's
#      audit backlog set to 2 records with backlog_wait_time 0 (the kernel drops records; the settings found are put
#      back right after the burst and again on exit). Prints the accounting: execs = emitted + suppressed (in flood
#      summaries) + missing, and the loss counters from /metrics (kernel lost records, socket overflows and dropped
#      records, serial gaps, drops). PASS when nothing is missing or the loss counters say something was lost -
#      losses reported, never hidden - and, for the SIGSTOP burst, when every missing exec is a serial gap (but
#      the two events an overflow may cut in half).
#   2. kill -9: KILLS times start watch --install-rules, wait until ready, SIGKILL it; then start it once more and
#      stop it with SIGTERM. PASS when every start saw exactly one set of rules and none is left at the end.
#   3. rotation: `watch --audit-log` follows a log that auditd-style rotation renames (.1 -> .2 ..., live -> .1)
#      7 times while EVENTS failed-exec events are appended - every other time twice in a row, a few events apart
#      with no pause, so that both renames usually fall between two of watch's looks; PASS when every event is
#      emitted exactly once.
# Usage: bench/sidecar-faults.sh [COUNT] [KILLS] [EVENTS]   (default 10000 5 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
count="${1:-10000}"
kills="${2:-5}"
events="${3:-5000}"
jar="$top/sidecar/target/execguard.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[[ $(id -u) == 0 ]] || { echo "bench: needs root (audit rules)" >&2; exit 2; }
for tool in gcc auditctl python3 curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 2; }
done
[[ -f "$jar" ]] || mvn -B -q -pl sidecar -am package -DskipTests
work="$(mktemp -d)"
watch_pid=""
key="execguard-faults-$$"
# the host's audit flow control as found: put back after the backlog burst and on any exit
found_backlog=$(auditctl -s | awk '$1 == "backlog_limit" {print $2}')
found_wait=$(auditctl -s | awk '$1 == "backlog_wait_time" {print $2}')
restore_audit() { auditctl -b "$found_backlog" --backlog_wait_time "$found_wait" > /dev/null; }
cleanup() {
  [[ -n "$watch_pid" ]] && kill -9 "$watch_pid" 2>/dev/null
  restore_audit
  auditctl -D -k "$key" > /dev/null 2>&1 || true # what a killed watch left behind
  rm -rf "$work"
}
trap cleanup EXIT
gcc -O2 -o "$work/failexec" bench/failexec.c
port=$((20000 + $$ % 20000))
fail=0
echo "machine: $(nproc) cores, $(uname -r); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

start_watch() { # NAME [extra args...]
  local name=$1; shift
  "$java" -jar "$jar" watch --install-rules --rule-key "$key" --listen "127.0.0.1:$port" "$@" \
    > "$work/$name.out" 2> "$work/$name.err" &
  watch_pid=$!
  for _ in $(seq 1200); do
    grep -q 'watch: ready' "$work/$name.err" 2>/dev/null && return 0
    kill -0 "$watch_pid" 2>/dev/null || { cat "$work/$name.err" >&2; return 1; }
    sleep 0.1
  done
  echo "watch not ready in 120 s" >&2; return 1
}
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s += $2} END {print s + 0}'; }
rules() { auditctl -l | grep -c -- "$key" || true; }

kernel_lost() { auditctl -s | awk '$1 == "lost" {print $2}'; }

burst() { # NAME DEDUPE [stop|backlog]
  local name=$1 dedupe=$2 fault=${3:-} fixture="$work/noshebang-$1"
  printf 'true\n' > "$fixture"; chmod 755 "$fixture"
  start_watch "$name" --dedupe-window "$dedupe"
  local lost_before; lost_before=$(kernel_lost)
  case $fault in
    stop) kill -STOP "$watch_pid" ;;
    backlog) auditctl -b 2 --backlog_wait_time 0 > /dev/null ;;
  esac
  "$work/failexec" "$fixture" "$count" 1000000000 > /dev/null
  case $fault in
    stop) kill -CONT "$watch_pid" ;;
    backlog) restore_audit ;;
  esac
  local host_lost=$(($(kernel_lost) - lost_before))
  local progress last=-1 stable=0 started=$SECONDS
  # until watch has nothing queued and its counters stop moving for 5 s (it may still be diagnosing a backlog)
  while ((stable < 50 && SECONDS - started < 600)); do
    progress="$(metric execguard_watch_queued_events) $(metric execguard_exec_failures_total)"
    progress+=" $(metric execguard_duplicates_suppressed_total) $(grep -c "noshebang-$name" "$work/$name.out" || true)"
    if [[ $progress == "$last" && $progress == 0\ * ]]; then stable=$((stable + 1)); else stable=0; last=$progress; fi
    sleep 0.1
  done
  local emitted suppressed kernel gaps dropped counted overflows sockdrop
  sleep 1.5 # the kernel's lost counter is sampled each second
  counted=$(metric execguard_duplicates_suppressed_total)
  kernel=$(metric execguard_audit_kernel_lost_total)
  overflows=$(metric execguard_audit_socket_overflows_total)
  sockdrop=$(metric execguard_audit_socket_dropped_records_total)
  gaps=$(metric execguard_audit_reassembly_gaps_total)
  dropped=$(metric execguard_events_dropped_total)
  kill -TERM "$watch_pid"; wait "$watch_pid" || true; watch_pid="" # flushes open flood summaries
  # events emitted one by one, and the repeats that flood summaries (execguard.duplicates.count) stand for
  read -r emitted suppressed < <(grep "noshebang-$name" "$work/$name.out" | python3 -c '
import json, sys
single = repeats = 0
for l in sys.stdin:
    d = json.loads(l).get("execguard", {}).get("duplicates")
    if d: repeats += d["count"]
    else: single += 1
print(single, repeats)')
  local missing=$((count - emitted - suppressed))
  echo "| $name (dedupe $dedupe) | $count | $emitted | $suppressed (metric: $counted) | $missing | $kernel (auditctl: $host_lost) | $overflows / $sockdrop | $gaps | $dropped |"
  if ((missing < 0)) || { ((missing > 0)) && ((kernel + sockdrop + gaps + dropped == 0)); }; then fail=1; fi
  if ((kernel < host_lost)); then fail=1; fi # watch must report at least what the kernel's counter moved by
  if [[ $fault == stop ]] && ((missing > gaps + 2 * overflows)); then fail=1; fi
}
echo
echo "| burst | failed execs | events emitted | suppressed (in summaries) | missing | kernel lost records | socket overflows / dropped records | serial gaps | dropped |"
echo "|---|---|---|---|---|---|---|---|---|"
burst every 0
burst dedupe 60s
burst stopped 0 stop
burst backlog 0 backlog

echo
for ((i = 1; i <= kills; i++)); do
  start_watch "kill$i"
  n=$(rules)
  sleep "0.$((RANDOM % 10))"
  kill -9 "$watch_pid"; wait "$watch_pid" 2>/dev/null || true; watch_pid=""
  echo "kill -9 #$i: rules while running $n, after SIGKILL $(rules)"
  [[ $i == 1 ]] && first=$n
  [[ $n == "$first" ]] || fail=1
done
start_watch final
n=$(rules)
kill -TERM "$watch_pid"; wait "$watch_pid" || true; watch_pid=""
left=$(rules)
echo "restart after $kills x kill -9: rules while running $n (first start: $first), after SIGTERM $left"
[[ $n == "$first" && $left == 0 ]] || fail=1

# 3. rotation while watch follows the log
log="$work/audit.log"
: > "$log"
"$java" -jar "$jar" watch --audit-log "$log" --listen none --no-probe --dedupe-window 0 \
  > "$work/rot.out" 2> "$work/rot.err" &
watch_pid=$!
sleep 3
mkdir -p "$work/bin"
printf 'true\n' > "$work/bin/noshebang"; chmod 755 "$work/bin/noshebang"
python3 - "$log" "$events" "$work/bin" <<'PY'
import os, sys, time
log, n, cwd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
every = max(1, n // 7)
out = open(log, "a")
gen = 0
pending_double = 0
for i in range(n):
    serial, t = 100000 + i, 1795718255000 + i
    stamp = "audit(%d.%03d:%d)" % (t // 1000, t % 1000, serial)
    cwd_hex = cwd.encode().hex().upper()
    out.write("type=SYSCALL msg=%s: arch=c000003e syscall=59 success=no exit=-8 a0=0 a1=0 a2=0 a3=0 items=1 ppid=1 pid=%d auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"sh\" exe=\"/usr/bin/dash\" key=\"execguard\"\n" % (stamp, 200000 + i))
    out.write("type=CWD msg=%s: cwd=%s\n" % (stamp, cwd_hex))
    out.write("type=PATH msg=%s: item=0 name=\"./noshebang\" inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n" % stamp)
    out.write("type=PROCTITLE msg=%s: proctitle=7368\n" % stamp)
    out.write("type=EOE msg=%s: \n" % stamp)
    if pending_double > 0:
        pending_double -= 1
        if pending_double == 0:
            out.flush()
            gen += 1
            for k in range(gen - 1, 0, -1):
                os.rename("%s.%d" % (log, k), "%s.%d" % (log, k + 1))
            os.rename(log, "%s.1" % log)
            out.close()
            out = open(log, "a")
        continue
    if i % 50 == 0:
        out.flush(); time.sleep(0.005)
    if i % every == every - 1:
        out.flush()
        gen += 1
        for k in range(gen - 1, 0, -1):  # auditd's rotate_logs(): shift the numbered files, then the live one
            os.rename("%s.%d" % (log, k), "%s.%d" % (log, k + 1))
        os.rename(log, "%s.1" % log)
        out.write("")  # auditd may still write to the renamed file; then it opens a new one
        out.close()
        out = open(log, "a")
        if gen % 2 == 0:
            pending_double = 3  # rotate again after 3 more events, with no pause in between
out.close()
PY
emitted=0 last=-1 stable=0
while ((stable < 50)); do
  emitted=$(grep -c '"exec-failed"' "$work/rot.out" || true)
  if [[ $emitted == "$last" ]]; then stable=$((stable + 1)); else stable=0; last=$emitted; fi
  sleep 0.1
done
kill -TERM "$watch_pid"; wait "$watch_pid" || true; watch_pid=""
echo "rotation: $events events written across $(ls "$work"/audit.log.* | wc -l) renames (auditd-style, some two in a row); emitted $emitted"
[[ $emitted == "$events" ]] || fail=1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
((fail == 0)) && echo PASS || { echo FAIL; exit 1; }
