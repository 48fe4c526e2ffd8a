#!/usr/bin/env bash
# Cost of safe lookups/opens through RootedFileTree (openat2 and the component walk) against java.nio on the same
# paths (the unsafe baseline), on the host's root. No privileges needed.
#   usage: bench/rooted-lookup.sh [PATH...]      (default: /bin/sh /usr/bin/env /etc/os-release)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d native-bindings/target/test-classes || ! -d core/target/classes ]]; then
  mvn -B -q -o -pl native-bindings -am test-compile
fi
jna=$(find ~/.m2/repository/net/java/dev/jna/jna -name 'jna-*.jar' | grep -v sources | sort | tail -1)
echo "machine: $(nproc) cores, $(uname -r), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "native-bindings/target/classes:native-bindings/target/test-classes:core/target/classes:$jna" \
  io.execguard.linux.RootedFileTreeBench "$@"
