#!/usr/bin/env bash
# Benchmarks `execguard scan` beside file(1), in one run on one machine:
#   1. a directory (default /usr): scan, then file(1) over the same executables, then file(1) over every file;
#   2. a generated docker-save image of at least 300 MiB (gzip layers of /usr/bin and /usr/lib/x86_64-linux-gnu,
#      plus the merged-usr symlinks), scanned as it is and with a 128 MiB heap cap (the memory bound), beside the
#      floor of reading it at all (gzip -dc of every layer).
# Prints a markdown table with wall time and peak RSS (GNU time), the machine and its load.
#
# Usage: bench/scan.sh [DIRECTORY]
#   env: WORK=dir for the generated image, KEEP=1 to keep it, QUICK=1 to skip file(1) over every file
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/sidecar/target/execguard.jar"
DIR=${1:-/usr}
WORK=${WORK:-$(mktemp -d /tmp/execguard-scan-bench.XXXXXX)}
MIN_IMAGE_MIB=300
# JVM flags for a short command-line run: C1 only (no C2 compile threads) and the serial collector.
SHORT_RUN="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

for tool in file /usr/bin/time gzip sha256sum tar java awk; do
    command -v "$tool" >/dev/null || { echo "bench/scan.sh: $tool is required" >&2; exit 2; }
done
if [ ! -f "$JAR" ]; then
    (cd "$ROOT" && mvn -B -q -pl sidecar -am package -DskipTests)
fi

# measure LABEL COMMAND... : runs once, prints "| LABEL | wall s | CPU s | peak RSS MiB | exit |".
# CPU time (user + system, children included) is the figure to compare on a busy machine.
measure() {
    local label=$1; shift
    local t="$WORK/time.txt" rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || rc=$?
    # GNU time prepends "Command exited with non-zero status N" when the command fails.
    read -r secs user sys kib < <(tail -n 1 "$t")
    printf '| %s | %s | %.2f | %d | %s |\n' "$label" "$secs" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$((kib / 1024))" "$rc"
}

json_digest() { sha256sum "$1" | cut -d' ' -f1; }

build_image() {
    local img="$WORK/image" layers=()
    mkdir -p "$img"
    for spec in "usr/bin" "usr/lib/x86_64-linux-gnu" "bin lib lib64 sbin usr/lib64"; do
        local tmp="$img/layer.tar.gz"
        # shellcheck disable=SC2086 # the spec is a list of paths
        tar -C / --ignore-failed-read -cf - $spec 2>/dev/null | gzip -1 >"$tmp"
        local id
        id=$(json_digest "$tmp")
        mkdir -p "$img/$id"
        mv "$tmp" "$img/$id/layer.tar"
        layers+=("\"$id/layer.tar\"")
    done
    local config='{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/usr/bin/bash","-c","exec /usr/bin/env true"],"Env":["PATH=/usr/local/bin:/usr/bin:/bin"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":[]}}'
    printf '%s' "$config" >"$img/config.json"
    local cid
    cid=$(json_digest "$img/config.json")
    mv "$img/config.json" "$img/$cid.json"
    local joined
    joined=$(IFS=,; echo "${layers[*]}")
    printf '[{"Config":"%s.json","RepoTags":["bench/usr:latest"],"Layers":[%s]}]' "$cid" "$joined" >"$img/manifest.json"
    tar -C "$img" -cf "$WORK/image.tar" .
    rm -rf "$img"
}

echo "## execguard scan benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); kernel $(uname -r)"
echo "- load before: $(cut -d' ' -f1-3 /proc/loadavg); java: $(java -version 2>&1 | head -1); file: $(file --version | head -1)"
EXECS=$(find "$DIR" -xdev -type f -perm /111 2>/dev/null | wc -l)
FILES=$(find "$DIR" -xdev -type f 2>/dev/null | wc -l)
echo "- $DIR: $FILES regular files, $EXECS with an execute bit"
echo
echo "| run | wall s | CPU s | peak RSS MiB | exit |"
echo "|---|---|---|---|---|"
measure "execguard scan $DIR (every x-bit file, text report)" java -jar "$JAR" scan --no-progress "$DIR"
measure "execguard scan $DIR with $SHORT_RUN" java $SHORT_RUN -jar "$JAR" scan --no-progress "$DIR"
measure "file(1) over the same $EXECS x-bit files" sh -c "find '$DIR' -xdev -type f -perm /111 -print0 | xargs -0 -r file >/dev/null"
[ "${QUICK:-0}" = 1 ] || measure "file(1) over all $FILES files of $DIR" sh -c "find '$DIR' -xdev -type f -print0 | xargs -0 -r file >/dev/null"

build_image
SIZE_MIB=$(( $(stat -c %s "$WORK/image.tar") / 1048576 ))
if [ "$SIZE_MIB" -lt "$MIN_IMAGE_MIB" ]; then
    echo "bench/scan.sh: the generated image is only $SIZE_MIB MiB (< $MIN_IMAGE_MIB)" >&2
    exit 1
fi
measure "floor: gzip -dc of every layer of the ${SIZE_MIB} MiB image" sh -c "tar -C '$WORK' -xOf '$WORK/image.tar' --wildcards '*/layer.tar' | gzip -dc >/dev/null"
measure "execguard scan image.tar (${SIZE_MIB} MiB docker save, gzip layers)" java -jar "$JAR" scan --no-progress "$WORK/image.tar"
measure "execguard scan image.tar with $SHORT_RUN" java $SHORT_RUN -jar "$JAR" scan --no-progress "$WORK/image.tar"
measure "execguard scan image.tar, -Xmx128m (memory bound)" java -Xmx128m -jar "$JAR" scan --no-progress --format json "$WORK/image.tar"
CAPTURED=$(grep -o '"captured_bytes":[0-9]*' "$WORK/out.txt" | head -1 | cut -d: -f2 || true)
EXECUTABLES=$(grep -o '"executables":[0-9]*' "$WORK/out.txt" | head -1 | cut -d: -f2 || true)
echo
echo "- image: $EXECUTABLES executables diagnosed, $(( ${CAPTURED:-0} / 1048576 )) MiB of file content captured in memory"
echo "- load after: $(cut -d' ' -f1-3 /proc/loadavg)"
