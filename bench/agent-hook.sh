#!/usr/bin/env bash
# JMH microbenchmarks of the agent's per-exec hook on the success path (agent/src/test/java/.../ExecHookBench.java):
# the whole hook for an absolute path and for a bare name, and its stages (resolution, the cached verdict), in
# nanoseconds per call, without the fork. The end-to-end cost per spawn is bench/agent-vs-otel.sh's (PARTS=spawn).
# Usage: bench/agent-hook.sh [JMH options, e.g. -f 1 -wi 3 -i 3 or a benchmark regex]
# Env: JAVA_HOME (the JDK to measure; default: java on PATH). Prints `uptime` first: figures from a busy machine
# are not final.
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //');" \
  "$("$java" -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# One reactor run, so that core resolves to its freshly compiled classes (nothing is installed).
cp_file=agent/target/bench.classpath
mvn -B -q -o -pl core,agent test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$(pwd)/$cp_file" >/dev/null
"$java" -cp "agent/target/test-classes:agent/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main io.execguard.agent.hook.ExecHookBench "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
