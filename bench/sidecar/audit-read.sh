#!/usr/bin/env bash
# execguard audit read against ausearch -i on the same generated one-million-record audit log.
# usage: bench/sidecar/audit-read.sh [RECORDS] [MIX] [RUNS]     (MIX: exec-heavy | node; see gen-audit-log.py)
# Needs: the built jar (mvn -pl sidecar -am package), python3, ausearch (Debian package auditd).
# Prints records/s by wall time (JVM start-up included, like ausearch's) and by CPU time (user + system, which
# still means something when the machine is busy) for each run, and the machine load.
set -euo pipefail
cd "$(dirname "$0")/../.."
records=${1:-1000000}
mix=${2:-exec-heavy}
runs=${3:-3}
# the flags docs/watch.md recommends for audit read; EXECGUARD_JAVA_OPTS overrides them
opts=${EXECGUARD_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}
jar=sidecar/target/execguard.jar
[[ -f $jar ]] || { echo "build first: mvn -B -o -pl sidecar -am package -DskipTests" >&2; exit 1; }
command -v ausearch >/dev/null || { echo "needs ausearch (apt-get install auditd)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/audit.log
python3 bench/sidecar/gen-audit-log.py "$records" "$log" "$mix"
lines=$(wc -l < "$log")
echo "log: $lines records, mix $mix, $(du -h "$log" | cut -f1)"
echo "machine: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1); execguard JVM flags: $opts"
rate() {
  python3 -c "w, c = map(float, '$2'.split()); print(f'{$1/w:>11,.0f} records/s wall ({w:6.2f} s), {$1/c:>11,.0f} per CPU-second ({c:6.2f} s)')"
}
timeit() { python3 bench/sidecar/measure.py "$@"; }
for i in $(seq 1 "$runs"); do
  echo "run $i: $(uptime | sed 's/.*load/load/')"
  t=$(timeit ausearch -i -if "$log")
  echo "  ausearch -i                        : $(rate "$lines" "$t")"
  # shellcheck disable=SC2086
  t=$(timeit java $opts -jar "$jar" audit read --quiet "$log")
  echo "  execguard audit read               : $(rate "$lines" "$t")"
  # shellcheck disable=SC2086
  t=$(timeit java $opts -jar "$jar" audit read --quiet --no-diagnose "$log")
  echo "  execguard audit read --no-diagnose: $(rate "$lines" "$t")"
done
