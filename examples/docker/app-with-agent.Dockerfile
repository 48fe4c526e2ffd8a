# syntax=docker/dockerfile:1.7
#
# Adds the execguard agent to an existing JVM image without touching the application:
#
#   docker build -f examples/docker/app-with-agent.Dockerfile \
#     --build-arg APP_IMAGE=my-team/orders:1.4 -t my-team/orders:1.4-execguard examples/docker
#
# The agent then loads into every JVM the container starts, through JAVA_TOOL_OPTIONS (kept if the base image
# already sets it). Observe mode changes nothing for the app: failed and shell-fallback execs are explained in
# the exception's stack trace and written as JSON events to stderr. Switch to mode=enforce to refuse the
# silent /bin/sh fallback. In Kubernetes the same is done without rebuilding images: examples/k8s/sidecar.

ARG EXECGUARD_IMAGE=execguard/execguard:0.1.0
# Your application image; there is no default on purpose.
ARG APP_IMAGE

FROM ${EXECGUARD_IMAGE} AS execguard

FROM ${APP_IMAGE}
# Read-only and world-readable: the app may run as any uid, on a read-only root filesystem (the agent writes
# no temporary files and spawns no processes).
COPY --from=execguard --chmod=0444 /opt/execguard/execguard-agent.jar /opt/execguard/execguard-agent.jar
ENV JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS} -javaagent:/opt/execguard/execguard-agent.jar=mode=observe,output=stderr"
