#!/usr/bin/env bash
# Event pipeline benchmark: producer-side cost of EventPipeline.offer against an ArrayBlockingQueue hand-off in
# the same run, and the writer thread's serialisation cost. Usage: bench/events-pipeline.sh [producers] [offers
# per producer] [rounds]. Prints `uptime` first: numbers from a busy machine are not final.
set -euo pipefail
cd "$(dirname "$0")/.."
uptime
mvn -B -q -o -pl core test-compile
cp_file=core/target/bench.classpath
mvn -B -q -o -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$(pwd)/$cp_file" >/dev/null
java -Xms256m -Xmx256m -cp "core/target/classes:core/target/test-classes:$(cat "$cp_file")" \
  io.execguard.core.event.pipeline.PipelineBench "${1:-8}" "${2:-200000}" "${3:-5}"
