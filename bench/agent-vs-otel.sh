#!/usr/bin/env bash
# execguard's Java agent beside the OpenTelemetry Java agent, each against a no-agent baseline, in ONE run on ONE
# machine (issue 9, "Side by side"). Three JVM configurations, measured alternately so load drift hits all alike:
#   baseline   no agent
#   execguard  -javaagent:agent/target/execguard-agent.jar
#   otel       -javaagent:opentelemetry-javaagent.jar (Maven Central, io.opentelemetry.javaagent), exporters off so
#              it never waits on a collector (-Dotel.{traces,metrics,logs}.exporter=none)
# Parts (env PARTS, default "hello heap spawn mvn"):
#   hello  hello world (bench/agent/AgentBench.java hello) start-up, hyperfine median
#   heap   used heap / RSS after start-up, one exec and a full GC (AgentBench heap), median of ROUNDS
#   spawn  overhead per spawn on the success path: bench/agent/SpawnOverhead.java - SPAWN_ROUNDS rounds, each a
#          fresh JVM per configuration (and the empty agent) in rotating order, SPAWNS x /bin/true after WARMUP discarded spawns; wall,
#          JVM CPU and spawning-thread CPU per spawn in microseconds, medians with spread, and what each agent adds
#          as the median of paired per-round differences with a 95 % confidence interval
#   mvn    Maven itself (the mvn on PATH, offline) running a small build whose antrun step execs /bin/true and sh
#          EXECS times: wall time and peak RSS of the whole mvn JVM (GNU time), MVN_RUNS rounds, each running
#          every configuration once in rotating order (so drift of the machine hits all alike), medians; also an
#          agent that does nothing (bench/agent/EmptyAgent.java), the floor any -javaagent pays
# Target (issue 9): execguard adds under a tenth of what the OpenTelemetry agent adds.
# Usage: bench/agent-vs-otel.sh            env: OTEL_VERSION (default 2.20.1), RUNS (hyperfine runs, default 20),
#        MVN_RUNS (default 10), ROUNDS (heap repetitions, default 5), SPAWN_ROUNDS (default 15), SPAWNS (default
#        2000), WARMUP (default 1000), EXECS (default 20), PARTS, JAVA_HOME (the JDK to measure; default: java on PATH)
# Prints Markdown tables, the machine and its load before and after. Numbers from a loaded machine are not final.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
otel_version="${OTEL_VERSION:-2.20.1}"
runs="${RUNS:-20}"
mvn_runs="${MVN_RUNS:-10}"
rounds="${ROUNDS:-5}"
spawn_rounds="${SPAWN_ROUNDS:-15}"
spawns="${SPAWNS:-2000}"
warmup="${WARMUP:-1000}"
execs="${EXECS:-20}"
parts=" ${PARTS:-hello heap spawn mvn} "
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
jar="$top/agent/target/execguard-agent.jar"
otel_dir="$top/target/bench-otel"
otel="$otel_dir/opentelemetry-javaagent.jar"

part() { [[ "$parts" == *" $1 "* ]]; }
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
declare -A opts=([baseline]="" [execguard]="-javaagent:$jar" [otel]="$otel_opts" [empty]="-javaagent:$work/empty-agent.jar")
# An agent that does nothing (bench/agent/EmptyAgent.java): the floor any -javaagent pays, for reference.
mkdir -p "$work/empty-agent"
"$javac" -d "$work/empty-agent" bench/agent/EmptyAgent.java
printf 'Premain-Class: EmptyAgent\n' > "$work/empty-agent.mf"
"${JAVA_HOME:+$JAVA_HOME/bin/}jar" cfm "$work/empty-agent.jar" "$work/empty-agent.mf" -C "$work/empty-agent" .
configs=(baseline execguard otel)

# A small Maven build that execs tools: antrun runs /bin/true and sh EXECS times each (through ProcessBuilder).
if part mvn; then
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
fi

median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -r);" \
  "$("$java" -version 2>&1 | head -1); OpenTelemetry agent $otel_version; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

na=(nan nan nan)
read -r h_base h_eg h_ot <<< "${na[*]}"
read -r m_base m_eg m_ot <<< "${na[*]}"
declare -A heap_m rss_m mrss
for c in "${configs[@]}"; do heap_m[$c]=nan; rss_m[$c]=nan; mrss[$c]=nan; done

# 1. hello world start-up
if part hello; then
  hf=()
  for c in "${configs[@]}"; do hf+=(-n "$c" "$java ${opts[$c]} -cp $work AgentBench hello"); done
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/hello.json" "${hf[@]}" >&2
  read -r h_base h_eg h_ot < <(python3 -c "import json; r=json.load(open('$work/hello.json'))['results']; print(*(round(x['median']*1000,1) for x in r))")
fi

# 2. heap/RSS, configurations interleaved per round
if part heap; then
  declare -A heap rss
  for c in "${configs[@]}"; do heap[$c]=""; rss[$c]=""; done
  for ((i = 0; i < rounds; i++)); do
    for c in "${configs[@]}"; do
      # shellcheck disable=SC2086
      read -r hbytes rkb < <("$java" ${opts[$c]} -cp "$work" AgentBench heap | tail -1)
      heap[$c]+="$hbytes"$'\n'; rss[$c]+="$rkb"$'\n'
    done
  done
  for c in "${configs[@]}"; do
    heap_m[$c]=$(printf '%s' "${heap[$c]}" | median); rss_m[$c]=$(printf '%s' "${rss[$c]}" | median)
  done
fi

# 3. spawn overhead on the success path (its own table: per-spawn figures with spread and confidence intervals)
if part spawn; then
  echo "load before the spawn rounds: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  "$java" bench/agent/SpawnOverhead.java --java "$java" --cp "$work" --rounds "$spawn_rounds" --spawns "$spawns" \
    --warmup "$warmup" --ratio execguard/otel baseline= "execguard=${opts[execguard]}" "otel=${opts[otel]}" \
    "empty-agent=${opts[empty]}" \
    > "$work/spawn.md"
fi

# 4. Maven running a build that execs 2 x EXECS tools; rounds of every configuration in rotating order
if part mvn; then
  mvn_configs=("${configs[@]}" empty)
  MAVEN_OPTS="" mvn -B -q -o -f "$work/mvnapp/pom.xml" validate > /dev/null 2>&1 # warm-up: page cache
  declare -A mwall mrsskb
  for ((i = 0; i < mvn_runs; i++)); do
    n=${#mvn_configs[@]}
    for ((k = 0; k < n; k++)); do
      c=${mvn_configs[$(((i + k) % n))]}
      MAVEN_OPTS="${opts[$c]}" /usr/bin/time -f '%e %M' -o "$work/mvn.time" \
        mvn -B -q -o -f "$work/mvnapp/pom.xml" validate > /dev/null 2>&1
      read -r wall kb < <(tail -1 "$work/mvn.time")
      mwall[$c]+="$wall"$'\n'; mrsskb[$c]+="$kb"$'\n'
    done
  done
  declare -A mw
  for c in "${mvn_configs[@]}"; do
    mw[$c]=$(printf '%s' "${mwall[$c]}" | median | awk '{printf "%.1f", $1 * 1000}')
    mrss[$c]=$(printf '%s' "${mrsskb[$c]}" | median)
  done
  m_base=${mw[baseline]}; m_eg=${mw[execguard]}; m_ot=${mw[otel]}
fi

python3 - "$h_base" "$h_eg" "$h_ot" "${heap_m[baseline]}" "${heap_m[execguard]}" "${heap_m[otel]}" \
  "${rss_m[baseline]}" "${rss_m[execguard]}" "${rss_m[otel]}" "$m_base" "$m_eg" "$m_ot" \
  "${mrss[baseline]}" "${mrss[execguard]}" "${mrss[otel]}" "$execs" <<'PY'
import math, sys
v = [float(x) for x in sys.argv[1:16]]
execs = sys.argv[16]
rows = [
    ("hello world start-up (ms, hyperfine median)", v[0:3]),
    ("used heap after start-up + 1 exec + GC (MiB)", [x / 1048576 for x in v[3:6]]),
    ("RSS of the same JVM (MiB)", [x / 1024 for x in v[6:9]]),
    ("mvn build exec'ing %d tools: wall (ms, median of interleaved rounds)" % (2 * int(execs)), v[9:12]),
    ("mvn build: peak RSS (MiB, GNU time)", [x / 1024 for x in v[12:15]]),
]
rows = [(name, values) for name, values in rows if not any(math.isnan(x) for x in values)]
if rows:
    print("| measure | baseline | execguard | added | OpenTelemetry | added | execguard's added / OTel's |")
    print("|---|---|---|---|---|---|---|")
for name, (b, e, o) in rows:
    de, do = e - b, o - b
    ratio = "%.2f" % (de / do) if do > 0 else "n/a (OTel adds nothing here)"
    print("| %s | %.1f | %.1f | %+.1f | %.1f | %+.1f | %s |" % (name, b, e, de, o, do, ratio))
PY
if part mvn; then
  echo
  echo "For reference, an agent that does nothing (bench/agent/EmptyAgent.java) in the same mvn rounds: wall" \
    "${mw[empty]} ms ($(awk "BEGIN {printf \"%+.1f\", ${mw[empty]} - ${mw[baseline]}}") ms), peak RSS" \
    "$(awk "BEGIN {printf \"%.1f\", ${mrss[empty]} / 1024}") MiB ($(awk "BEGIN {printf \"%+.1f\", (${mrss[empty]} - ${mrss[baseline]}) / 1024}") MiB)"
fi
if part spawn; then
  echo
  echo "Spawn overhead on the success path (bench/agent/SpawnOverhead.java):"
  echo
  cat "$work/spawn.md"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
