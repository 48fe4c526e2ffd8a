#!/usr/bin/env bash
# execguard's Java agent beside the OpenTelemetry Java agent, each against a no-agent baseline, in ONE run on ONE
# machine (issue 9, "Side by side"). Three JVM configurations, measured alternately so load drift hits all alike:
#   baseline   no agent
#   execguard  -javaagent:agent/target/execguard-agent.jar
#   otel       -javaagent:opentelemetry-javaagent.jar (Maven Central, io.opentelemetry.javaagent), exporters off so
#              it never waits on a collector (-Dotel.{traces,metrics,logs}.exporter=none)
# on two apps:
#   1. hello world (bench/agent/AgentBench.java hello): start-up (hyperfine median) and used heap / RSS after
#      start-up, one exec and a full GC (AgentBench heap); spawn overhead on the success path (AgentBench spawn N:
#      N x /bin/true after 200 warm-up spawns);
#   2. Maven itself (the mvn on PATH, offline) running a small build whose antrun step execs /bin/true and sh
#      EXECS times: wall time (hyperfine median) and peak RSS of the whole mvn JVM (GNU time).
# Target (issue 9): execguard adds under a tenth of what the OpenTelemetry agent adds.
# Usage: bench/agent-vs-otel.sh            env: OTEL_VERSION (default 2.20.1), RUNS (hyperfine runs, default 20),
#        MVN_RUNS (default 5), ROUNDS (heap/spawn repetitions, default 5), SPAWNS (default 1000), EXECS (default 20),
#        JAVA_HOME (the JDK to measure; default: java on PATH)
# Prints a Markdown table, the machine and its load before and after. Numbers from a loaded machine are not final.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
otel_version="${OTEL_VERSION:-2.20.1}"
runs="${RUNS:-20}"
mvn_runs="${MVN_RUNS:-5}"
rounds="${ROUNDS:-5}"
spawns="${SPAWNS:-1000}"
execs="${EXECS:-20}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
jar="$top/agent/target/execguard-agent.jar"
otel_dir="$top/target/bench-otel"
otel="$otel_dir/opentelemetry-javaagent.jar"

for tool in hyperfine /usr/bin/time mvn python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required (hyperfine and time are Debian packages)" >&2; exit 2; }
done
[[ -f "$jar" ]] || mvn -B -q -pl agent -am package -DskipTests
if [[ ! -f "$otel" ]]; then
  mvn -B -q -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" \
    -DoutputDirectory="$otel_dir" -Dmdep.stripVersion=true
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$javac" -d "$work" bench/agent/AgentBench.java

otel_opts="-javaagent:$otel -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none"
declare -A opts=([baseline]="" [execguard]="-javaagent:$jar" [otel]="$otel_opts")
configs=(baseline execguard otel)

# A small Maven build that execs tools: antrun runs /bin/true and sh EXECS times each (through ProcessBuilder).
mkdir -p "$work/mvnapp"
{
  echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
  echo '<groupId>bench</groupId><artifactId>spawner</artifactId><version>1</version><packaging>pom</packaging>'
  echo '<build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-antrun-plugin</artifactId>'
  echo '<version>3.1.0</version><executions><execution><id>tools</id><phase>validate</phase><goals><goal>run</goal></goals>'
  echo '<configuration><target>'
  for ((i = 0; i < execs; i++)); do
    echo '<exec executable="/bin/true" failonerror="true"/><exec executable="sh" failonerror="true"><arg value="-c"/><arg value="true"/></exec>'
  done
  echo '</target></configuration></execution></executions></plugin></plugins></build></project>'
} > "$work/mvnapp/pom.xml"
(cd "$work/mvnapp" && mvn -B -q -o validate >/dev/null) || { echo "bench: the Maven app does not build offline" >&2; exit 2; }

median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r);" \
  "$("$java" -version 2>&1 | head -1); OpenTelemetry agent $otel_version; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. hello world start-up
hf=()
for c in "${configs[@]}"; do hf+=(-n "$c" "$java ${opts[$c]} -cp $work AgentBench hello"); done
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/hello.json" "${hf[@]}" >&2
read -r h_base h_eg h_ot < <(python3 -c "import json; r=json.load(open('$work/hello.json'))['results']; print(*(round(x['median']*1000,1) for x in r))")

# 2. heap/RSS and spawn overhead, configurations interleaved per round
declare -A heap rss spawn
for c in "${configs[@]}"; do heap[$c]=""; rss[$c]=""; spawn[$c]=""; done
for ((i = 0; i < rounds; i++)); do
  for c in "${configs[@]}"; do
    # shellcheck disable=SC2086
    read -r hbytes rkb < <("$java" ${opts[$c]} -cp "$work" AgentBench heap | tail -1)
    heap[$c]+="$hbytes"$'\n'; rss[$c]+="$rkb"$'\n'
    # shellcheck disable=SC2086
    spawn[$c]+="$("$java" ${opts[$c]} -cp "$work" AgentBench spawn "$spawns" | tail -1)"$'\n'
  done
done
declare -A heap_m rss_m spawn_m
for c in "${configs[@]}"; do
  heap_m[$c]=$(printf '%s' "${heap[$c]}" | median); rss_m[$c]=$(printf '%s' "${rss[$c]}" | median)
  spawn_m[$c]=$(printf '%s' "${spawn[$c]}" | median)
done

# 3. Maven running a build that execs 2 x EXECS tools
hf=()
for c in "${configs[@]}"; do hf+=(-n "mvn-$c" "env MAVEN_OPTS='${opts[$c]}' mvn -B -q -o -f $work/mvnapp/pom.xml validate"); done
hyperfine --warmup 1 --runs "$mvn_runs" --export-json "$work/mvn.json" "${hf[@]}" >&2
read -r m_base m_eg m_ot < <(python3 -c "import json; r=json.load(open('$work/mvn.json'))['results']; print(*(round(x['median']*1000,1) for x in r))")
declare -A mrss
for c in "${configs[@]}"; do
  vals=""
  for ((i = 0; i < mvn_runs; i++)); do
    MAVEN_OPTS="${opts[$c]}" /usr/bin/time -f '%M' -o "$work/rss" mvn -B -q -o -f "$work/mvnapp/pom.xml" validate \
      > /dev/null 2>&1
    vals+="$(tail -1 "$work/rss")"$'\n'
  done
  mrss[$c]=$(printf '%s' "$vals" | median)
done

python3 - "$h_base" "$h_eg" "$h_ot" "${heap_m[baseline]}" "${heap_m[execguard]}" "${heap_m[otel]}" \
  "${rss_m[baseline]}" "${rss_m[execguard]}" "${rss_m[otel]}" "${spawn_m[baseline]}" "${spawn_m[execguard]}" \
  "${spawn_m[otel]}" "$m_base" "$m_eg" "$m_ot" "${mrss[baseline]}" "${mrss[execguard]}" "${mrss[otel]}" \
  "$spawns" "$execs" <<'PY'
import sys
v = [float(x) for x in sys.argv[1:19]]
spawns, execs = sys.argv[19], sys.argv[20]
rows = [
    ("hello world start-up (ms, hyperfine median)", v[0:3], 1),
    ("used heap after start-up + 1 exec + GC (MiB)", [x / 1048576 for x in v[3:6]], 1),
    ("RSS of the same JVM (MiB)", [x / 1024 for x in v[6:9]], 1),
    ("%s x spawn /bin/true, success path (ms)" % spawns, v[9:12], 1),
    ("mvn build exec'ing %d tools: wall (ms, median)" % (2 * int(execs)), v[12:15], 1),
    ("mvn build: peak RSS (MiB, GNU time)", [x / 1024 for x in v[15:18]], 1),
]
print("| measure | baseline | execguard | added | OpenTelemetry | added | execguard's added / OTel's |")
print("|---|---|---|---|---|---|---|")
for name, (b, e, o), _ in rows:
    de, do = e - b, o - b
    ratio = "%.2f" % (de / do) if do > 0 else "n/a (OTel adds nothing here)"
    print("| %s | %.1f | %.1f | %+.1f | %.1f | %+.1f | %s |" % (name, b, e, de, o, do, ratio))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
