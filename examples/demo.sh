#!/usr/bin/env bash
# The main job: builds execguard if needed, then shows what it finds.
# (For now: `execguard explain` over a set of broken sample files; the full demo replaces this.)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
jar="$top/sidecar/target/execguard.jar"
if [[ ! -f "$jar" ]]; then
  echo "demo: building execguard (mvn -q -B -DskipTests package)..." >&2
  (cd "$top" && mvn -q -B -DskipTests package)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'echo hello\n' > "$work/no-shebang.sh"
printf '#!/bin/sh\r\necho hello\r\n' > "$work/crlf.sh"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n' > "$work/lfs-tool"
chmod +x "$work"/*
java -jar "$jar" explain /bin/ls "$work/no-shebang.sh" "$work/crlf.sh" "$work/lfs-tool" || true
