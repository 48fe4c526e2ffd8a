#!/usr/bin/env bash
# Benchmark: `execguard explain` against `file` on the same files, in one run, JVM start-up included.
#
#   bench/explain-vs-file.sh [DIR...]        (default: /usr/bin /usr/lib)
#
# Both tools get the same list of regular files (find -type f) and one process each: `file -f LIST` and
# `java -jar sidecar/target/execguard.jar explain --json --files-from LIST`. The page cache is warmed first with one
# untimed pass of each tool, so neither pays for cold disk reads. Prints the file count, both wall-clock times and
# the ratio. Environment: EXECGUARD_JAR (default sidecar/target/execguard.jar), JAVA (default java),
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

now() { date +%s.%N; }
run_file() { file -f "$list" > "$work/file.out" 2>/dev/null || true; }
# shellcheck disable=SC2086
run_explain() { "$java" -jar "$jar" explain --json ${EXPLAIN_ARGS:-} --files-from "$list" > "$work/explain.out" || [[ $? == 1 ]]; }

echo "bench: $count files under ${dirs[*]}; machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: warming the page cache (untimed)..."
run_file
run_explain

t0=$(now); run_file; t1=$(now)
t2=$(now); run_explain; t3=$(now)

file_s=$(echo "$t1 - $t0" | bc -l)
explain_s=$(echo "$t3 - $t2" | bc -l)
printf 'file:    %8.2f s  (%d lines)\n' "$file_s" "$(wc -l < "$work/file.out")"
printf 'explain: %8.2f s  (%d lines, JVM start-up included)\n' "$explain_s" "$(wc -l < "$work/explain.out")"
printf 'ratio:   explain is %.1fx faster than file\n' "$(echo "$file_s / $explain_s" | bc -l)"
echo "bench: load after the run $(cut -d' ' -f1-3 /proc/loadavg)"
