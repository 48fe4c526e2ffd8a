#!/usr/bin/env bash
# Measures what the execguard Java agent costs, each figure against a no-agent baseline taken in the same run:
#   1. added JVM start-up for a hello world (hyperfine)           target <= 100 ms
#   2. delay of the first exec issued at the top of main          target <= 250 ms
#   3. overhead of spawning /bin/true 2,000 times                 target <= 3 %
#      (bench/agent/SpawnOverhead.java, the same harness as bench/agent-vs-otel.sh's spawn part: SPAWN_ROUNDS
#      rounds of a fresh JVM each, SPAWNS measured after WARMUP discarded spawns, paired per round)
#   4. added heap (and RSS) after start-up and one exec           target <= 16 MiB heap
# Usage: bench/agent-startup.sh [JAVA_HOME]   (default: the java on PATH; e.g. /usr/lib/jvm/temurin-25-jdk-amd64)
# Env: RUNS (hyperfine runs, default 30), ROUNDS (first/heap repetitions, default 7), SPAWN_ROUNDS (default 15),
#      SPAWNS (default 2000), WARMUP (default 1000).
# Prints a Markdown table; numbers are medians. Run it on a quiet machine: `uptime` is printed with the results.
set -euo pipefail
cd "$(dirname "$0")/.."
java_home="${1:-}"
java="${java_home:+$java_home/bin/}java"
javac="${java_home:+$java_home/bin/}javac"
runs="${RUNS:-30}"
rounds="${ROUNDS:-7}"
spawn_rounds="${SPAWN_ROUNDS:-15}"
spawns="${SPAWNS:-2000}"
warmup="${WARMUP:-1000}"
jar=agent/target/execguard-agent.jar

if ! command -v hyperfine >/dev/null 2>&1; then
  echo "installing hyperfine (Debian package)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
fi
if [[ ! -f "$jar" ]]; then
  mvn -B -q -pl agent -am package -DskipTests
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$javac" -d "$work" bench/agent/AgentBench.java

base=("$java" -cp "$work" AgentBench)
with=("$java" "-javaagent:$jar" -cp "$work" AgentBench)

median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

# Alternates baseline and agent so that drift in machine load hits both alike.
paired() { # column mode args... -> "baseline agent" medians of that output column
  local col="$1" b=() a=()
  shift
  for ((i = 0; i < rounds; i++)); do
    b+=("$("${base[@]}" "$@" | tail -1 | awk -v c="$col" '{print $c}')")
    a+=("$("${with[@]}" "$@" | tail -1 | awk -v c="$col" '{print $c}')")
  done
  printf '%s %s\n' "$(printf '%s\n' "${b[@]}" | median)" "$(printf '%s\n' "${a[@]}" | median)"
}

echo "== $("$java" -version 2>&1 | head -1); $(nproc) cores; load before: $(uptime | sed 's/.*load average: //')" >&2
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/hello.json" \
  -n baseline "${base[*]} hello" -n agent "${with[*]} hello" >&2
read -r hb ha hcb hca hmb hma < <(python3 -c "import json; r=json.load(open('$work/hello.json'))['results']; print(*(round(x['median']*1000,1) for x in r), *(round((x['user']+x['system'])*1000,1) for x in r), *(round(x['min']*1000,1) for x in r))")
read -r fb fa < <(paired 1 first)
"$java" bench/agent/SpawnOverhead.java --java "$java" --cp "$work" --rounds "$spawn_rounds" --spawns "$spawns" \
  --warmup "$warmup" --summary "$work/spawn.txt" baseline= "agent=-javaagent:$jar" > "$work/spawn.md"
read -r sb sa sadd slo shi < <(awk '$1 == "wall" {print $7, $3, $4, $5, $6}' "$work/spawn.txt")
read -r scb sca scadd < <(awk '$1 == "JVM_CPU" {print $7, $3, $4}' "$work/spawn.txt")
heap_b=() heap_a=()
for ((i = 0; i < rounds; i++)); do
  heap_b+=("$("${base[@]}" heap)"); heap_a+=("$("${with[@]}" heap)")
done
hb_heap=$(printf '%s\n' "${heap_b[@]}" | awk '{print $1}' | median); ha_heap=$(printf '%s\n' "${heap_a[@]}" | awk '{print $1}' | median)
hb_rss=$(printf '%s\n' "${heap_b[@]}" | awk '{print $2}' | median); ha_rss=$(printf '%s\n' "${heap_a[@]}" | awk '{print $2}' | median)

awk -v hmb="$hmb" -v hma="$hma" -v hb="$hb" -v ha="$ha" -v hcb="$hcb" -v hca="$hca" -v scb="$scb" -v sca="$sca" -v fb="$fb" -v fa="$fa" -v sb="$sb" -v sa="$sa" -v n="$spawns" \
    -v sadd="$sadd" -v slo="$slo" -v shi="$shi" -v scadd="$scadd" \
    -v hpb="$hb_heap" -v hpa="$ha_heap" -v rb="$hb_rss" -v ra="$ha_rss" 'BEGIN {
  print "| measure | baseline | with agent | added | target |"
  print "|---|---|---|---|---|"
  printf "| hello world start-up (hyperfine median) | %.1f ms | %.1f ms | %+.1f ms | <= 100 ms |\n", hb, ha, ha-hb
  printf "| hello world start-up, fastest run (least disturbed by load) | %.1f ms | %.1f ms | %+.1f ms | - |\n", hmb, hma, hma-hmb
  printf "| hello world CPU, user+sys (hyperfine mean) | %.1f ms | %.1f ms | %+.1f ms | - |\n", hcb, hca, hca-hcb
  printf "| first ProcessBuilder.start() at top of main (median) | %.1f ms | %.1f ms | %+.1f ms | <= 250 ms |\n", fb, fa, fa-fb
  ci = (slo == "NaN") ? " (too few rounds for a CI)" : sprintf(" [%+.1f, %+.1f %%]", slo*100/sb, shi*100/sb)
  printf "| %d x spawn /bin/true, wall per spawn (medians; added: median paired difference [95 %% CI]) | %.0f us | %.0f us | %+.1f %%%s | <= 3 %% |\n", n, sb, sa, sadd*100/sb, ci
  printf "| JVM CPU per spawn, children excluded | %.0f us | %.0f us | %+.1f us/spawn | - |\n", scb, sca, scadd
  printf "| used heap after start-up, one exec, GC | %.1f MiB | %.1f MiB | %+.1f MiB | <= 16 MiB |\n", hpb/1048576, hpa/1048576, (hpa-hpb)/1048576
  printf "| RSS after the same (for information) | %.1f MiB | %.1f MiB | %+.1f MiB | - |\n", rb/1024, ra/1024, (ra-rb)/1024
}'
echo
echo "Spawn rounds in detail (bench/agent/SpawnOverhead.java):"
echo
cat "$work/spawn.md"
echo "load after: $(uptime | sed 's/.*load average: //')"
