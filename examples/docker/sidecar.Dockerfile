# syntax=docker/dockerfile:1.7
#
# The execguard image: the `execguard` CLI (watch, explain, scan, audit) and the agent jar that init containers
# copy into application pods. Built from the repository root, for every platform at once:
#
#   docker buildx build --platform linux/amd64,linux/arm64 \
#     -f examples/docker/sidecar.Dockerfile -t execguard/execguard:0.1.0 .
#
# Run-time properties:
# - Runs as uid 65532 by default (explain, scan, and `watch --audit-log` with a readable log need no root).
#   Modes that talk to the kernel's audit subsystem set uid 0 plus named capabilities in their pod spec:
#   see examples/k8s (node mode: AUDIT_CONTROL, AUDIT_READ, SYS_PTRACE; sidecar mode: AUDIT_READ).
# - Works with a read-only root filesystem and a noexec /tmp: JNA's native library is extracted at build
#   time into /opt/execguard/native and loaded from there; run-time extraction is switched off, so a missing
#   library fails loudly instead of writing to disk. The JVM writes no perf data (-XX:-UsePerfData). watch
#   writes one small probe file under /tmp at start-up: give it a tmpfs or emptyDir there
#   (docker run --read-only --tmpfs /tmp ...; the manifests in examples/k8s mount an emptyDir).
# - Memory: heap at most 60% of the container's memory limit, serial GC (one small heap, few threads), C1 only and
#   capped metaspace and code cache (docs/watch.md: an idle watch then stays around 65 MiB resident; explain and
#   scan batches also run best on C1, docs/performance.md), exits on OutOfMemoryError so Kubernetes restarts it
#   instead of it limping on.

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

# Java bytecode is the same on every platform: build once, natively, on the builder's platform.
FROM --platform=$BUILDPLATFORM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl sidecar,agent -am package

# The one platform-specific piece: JNA's libjnidispatch for the TARGET platform, taken from the JNA classes
# bundled in execguard.jar (or, if the jar does not bundle them, from the JNA jar the build resolved). Not
# io.execguard.linux.JnaDispatchExtractor (docs/native.md): it picks the platform it runs on, which in this
# stage is the builder's, not the target's.
ARG TARGETARCH
ARG TARGETVARIANT
RUN --mount=type=cache,target=/root/.m2 <<'SH'
set -eu
case "${TARGETARCH}${TARGETVARIANT:+/$TARGETVARIANT}" in
  amd64)   jna=linux-x86-64 ;;
  arm64*)  jna=linux-aarch64 ;;
  arm/v7)  jna=linux-arm ;;
  ppc64le) jna=linux-ppc64le ;;
  s390x)   jna=linux-s390x ;;
  riscv64) jna=linux-riscv64 ;;
  386)     jna=linux-x86 ;;
  *) echo "no JNA native library known for ${TARGETARCH}${TARGETVARIANT:+/$TARGETVARIANT}" >&2; exit 1 ;;
esac
mkdir -p /out/native /tmp/jna
cp sidecar/target/execguard.jar agent/target/execguard-agent.jar /out/
cd /tmp/jna
jar xf /out/execguard.jar "com/sun/jna/${jna}/libjnidispatch.so" || true
if [ ! -f "com/sun/jna/${jna}/libjnidispatch.so" ]; then
  jar xf "$(find /root/.m2/repository/net/java/dev/jna/jna -name 'jna-*.jar' ! -name '*sources*' | sort | tail -n 1)" \
    "com/sun/jna/${jna}/libjnidispatch.so"
fi
cp "com/sun/jna/${jna}/libjnidispatch.so" /out/native/
SH

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="execguard" \
      org.opencontainers.image.description="Explains and guards against failed execs (exec format error) in JVMs and containers"
COPY --from=build --chmod=0444 /out/execguard.jar /out/execguard-agent.jar /opt/execguard/
COPY --from=build --chmod=0555 /out/native/ /opt/execguard/native/
USER 65532:65532
WORKDIR /tmp
ENTRYPOINT ["java", \
    "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Xss512k", \
    "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=24m", \
    "-Djna.boot.library.path=/opt/execguard/native", "-Djna.nounpack=true", "-Djna.noclasspath=true", \
    "-jar", "/opt/execguard/execguard.jar"]
CMD ["--help"]
