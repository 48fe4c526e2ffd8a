#!/usr/bin/env bash
# Benchmark: `execguard explain` against `file` on the same files, in one run, JVM start-up included.
#
#   bench/explain-vs-file.sh [DIR...]        (default: /usr/bin /usr/lib)
#
# Both tools get the same list of regular files (find -type f) and one process each: `file -f LIST` and
# `java -jar sidecar/target/execguard.jar explain --json --files-from LIST`. The page cache is warmed first with one
# untimed pass of each tool, so neither pays for cold disk reads. Prints the file count, both wall-clock times and
# the ratio, in wall-clock and CPU time (CPU is the fairer figure on a busy machine). Environment: EXECGUARD_JAR (default sidecar/target/execguard.jar), JAVA (default java),
# EXPLAIN_ARGS (extra explain options, e.g. "--threads 1").
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
jar="${EXECGUARD_JAR:-$top/sidecar/target/execguard.jar}"
java="${JAVA:-java}"
if [[ ! -f "$jar" ]]; then
  echo "bench: $jar is missing; build it with: mvn -B -q -DskipTests package -pl sidecar -am" >&2
  exit 2
fi
command -v file >/dev/null || { echo "bench: file(1) is not installed" >&2; exit 2; }
dirs=("$@")
((${#dirs[@]})) || dirs=(/usr/bin /usr/lib)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
list="$work/files"
find "${dirs[@]}" -type f -print > "$list" 2>/dev/null || true
count=$(wc -l < "$list")

run_file() { file -f "$list" > "$work/file.out" 2>/dev/null || true; }
java_opts="${JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
# shellcheck disable=SC2086
run_explain() {
  "$java" $java_opts -jar "$jar" explain --json ${EXPLAIN_ARGS:-} --files-from "$list" > "$work/explain.out" \
    || [[ $? == 1 ]]
}

echo "bench: $count files under ${dirs[*]}; machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: file -f LIST  vs  $java $java_opts -jar $jar explain --json ${EXPLAIN_ARGS:-}--files-from LIST"
echo "bench: warming the page cache (untimed)..."
run_file
run_explain

# Wall-clock and CPU (user+sys of the process and its children) for each tool, with bash's own `time`.
TIMEFORMAT='%R %U %S'
{ time run_file; } 2> "$work/file.time"
{ time run_explain; } 2> "$work/explain.time"
read -r file_s file_u file_sys < "$work/file.time"
read -r explain_s explain_u explain_sys < "$work/explain.time"
file_cpu=$(echo "$file_u + $file_sys" | bc -l)
explain_cpu=$(echo "$explain_u + $explain_sys" | bc -l)
printf 'file:    %8.2f s wall %8.2f s CPU  (%d lines)\n' "$file_s" "$file_cpu" "$(wc -l < "$work/file.out")"
printf 'explain: %8.2f s wall %8.2f s CPU  (%d lines, JVM start-up included)\n' "$explain_s" "$explain_cpu" \
  "$(wc -l < "$work/explain.out")"
printf 'ratio:   explain is %.1fx faster than file (wall), %.1fx less CPU\n' \
  "$(echo "$file_s / $explain_s" | bc -l)" "$(echo "$file_cpu / $explain_cpu" | bc -l)"
echo "bench: load after the run $(cut -d' ' -f1-3 /proc/loadavg)"
