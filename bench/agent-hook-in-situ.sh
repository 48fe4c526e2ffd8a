#!/usr/bin/env bash
# What the agent's hook costs the spawning thread per exec inside a real spawn loop (cold caches), with a baseline
# in the same loop: bench/agent/HookInSitu.java, run with the shaded agent jar on the class path. Arms: an empty
# function of the hook's shape (the timer's own cost), the hook with default options (a healthy command trusted for
# 1 s), and the hook with recheck=0 (its file looked at on every exec). Nanoseconds per call.
# Usage: bench/agent-hook-in-situ.sh [SPAWNS (default 6000) [WARMUP (default 6000) [COMMAND (default /bin/true)]]]
# Env: RUNS (default 3: separate JVMs, one after another), JAVA_HOME (the JDK to measure; default: java on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=agent/target/execguard-agent.jar
if [[ ! -f "$jar" ]]; then
  mvn -B -q -pl core,agent -am package -DskipTests
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //');" \
  "$("$java" -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "${RUNS:-3}"); do
  echo
  echo "run $run:"
  "$java" -cp "$jar" bench/agent/HookInSitu.java "${1:-6000}" "${2:-6000}" "${3:-/bin/true}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
