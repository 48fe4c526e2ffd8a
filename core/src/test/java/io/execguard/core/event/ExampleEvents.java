package io.execguard.core.event;

import io.execguard.core.context.ContainerIdentity;
import io.execguard.core.context.ContainerRuntime;
import io.execguard.core.context.HostInfo;
import io.execguard.core.context.Orchestrator;
import io.execguard.core.context.ProcessContext;
import io.execguard.core.context.SeccompMode;
import io.execguard.core.context.SecurityContext;
import io.execguard.core.context.UserIds;
import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Errno;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileType;
import io.execguard.core.platform.Platform;
import java.time.Instant;
import java.util.List;

/**
 * Fully populated example events, one per action, for schema tests here and in the agent and sidecar tests
 * (test-jar). Each fills every field its producer would fill.
 */
public final class ExampleEvents {
    private static final String CONTAINER_ID = "3f1c6d0b9e2a4c5d8e7f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";

    private ExampleEvents() {
    }

    /** An arm64 binary on an amd64 node, as the agent reports a failed ProcessBuilder.start. */
    public static ExecEvent agentExecFailed() {
        return ExecEvent.builder(EventAction.EXEC_FAILED, EventDataset.AGENT)
                .timestamp(Instant.parse("2026-11-26T18:00:00.123Z"))
                .context(ProcessContext.self().orElseThrow())
                .process(ProcessInfo.builder(4242).parentPid(1).executable("/opt/java/openjdk/bin/java").name("java")
                        .args(List.of("java", "-Ddb.password=hunter2", "-jar", "/app/app.jar"))
                        .workingDirectory("/app").threadName("worker-1")
                        .effectiveCapabilities(List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE"))
                        .permittedCapabilities(List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE")).build())
                .file(FileInfo.of("/app/bin/helper", attributes(0755, 1_234_567)).withSha256(
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
                .error("ENOEXEC", "Cannot run program \"/app/bin/helper\": error=8, Exec format error")
                .container(new ContainerIdentity(CONTAINER_ID, ContainerRuntime.CONTAINERD,
                        "0c4f8e8a-7b5d-4f61-9a0e-2d4c6b8a1e3f"))
                .orchestrator(new Orchestrator("payments", "payments-api-7d9f8b6c4-x2x9z", null))
                .targetInWorldWritableDirectory(false)
                .diagnosis(archMismatch("/app/bin/helper"))
                .source(EventSource.agent(List.of("com.example.Billing.render(Billing.java:42)")))
                .callerKind(CallerKind.JVM)
                .details(Evidence.builder().put("mode", "observe").build())
                .build();
    }

    /** A script without {@code #!} that the JVM re-ran through /bin/sh. */
    public static ExecEvent agentShellFallback() {
        return ExecEvent.builder(EventAction.EXEC_SHELL_FALLBACK, EventDataset.AGENT)
                .context(ProcessContext.self().orElseThrow())
                .file(FileInfo.of("/app/run.sh", attributes(0755, 120)))
                .error("ENOEXEC", null)
                .diagnosis(Diagnosis.builder("/app/run.sh", Cause.SHEBANG_MISSING, Platform.host()).build())
                .source(EventSource.agent(List.of("com.example.Jobs.start(Jobs.java:17)")))
                .callerKind(CallerKind.JVM)
                .build();
    }

    /** The same script refused in enforce mode. */
    public static ExecEvent agentBlocked() {
        return agentShellFallback().toBuilder().action(EventAction.EXEC_BLOCKED).id(null)
                .details(Evidence.builder().put("mode", "enforce").put("policy", "shell-fallback").build()).build();
    }

    /** A CRLF script a shell tried to run inside a container, seen by the sidecar, summarising 12 repeats. */
    public static ExecEvent sidecarExecFailed() {
        return ExecEvent.builder(EventAction.EXEC_FAILED, EventDataset.SIDECAR)
                .timestamp(Instant.parse("2026-11-26T18:00:05.000Z"))
                .process(ProcessInfo.builder(31337).parentPid(31300).executable("/usr/bin/dash").name("sh")
                        .commandLine("sh -c ./entrypoint.sh --token abc123").workingDirectory("/srv").build())
                .user(new UserIds(1000, 1000, 1000, 1000))
                .host(new HostInfo("node-7", "x86_64", "6.1.0-18-amd64"))
                .security(SecurityContext.builder().noNewPrivs(true).seccomp(SeccompMode.FILTER)
                        .lsm("apparmor", "crio-default (enforce)")
                        .effectiveCapabilities(List.of()).permittedCapabilities(List.of()).build())
                .file(FileInfo.of("/srv/entrypoint.sh", attributes(0775, 301)))
                .error("ENOENT", null)
                .container(new ContainerIdentity(CONTAINER_ID, ContainerRuntime.CRIO, null))
                .targetInWorldWritableDirectory(true)
                .diagnosis(Diagnosis.builder("/srv/entrypoint.sh", Cause.SHEBANG_CRLF, Platform.host())
                        .evidence(Evidence.builder().put(Evidence.SCRIPT, Evidence.builder()
                                .put("shebang", "#!/bin/sh\\r").put("interpreter", "/bin/sh\r").build()).build())
                        .build())
                .source(EventSource.audit(EventSource.AUDIT_NETLINK, "1795716725.918:3"))
                .callerKind(CallerKind.SHELL)
                .duplicates(new DuplicateSummary(12, Instant.parse("2026-11-26T17:59:05.000Z"),
                        Instant.parse("2026-11-26T18:00:05.000Z")))
                .build();
    }

    /** The smallest event: action, dataset and nothing else known (e.g. both processes gone). */
    public static ExecEvent minimal(EventAction action, EventDataset dataset) {
        return ExecEvent.builder(action, dataset).host(null).build();
    }

    /** Every example. */
    public static List<ExecEvent> all() {
        return List.of(agentExecFailed(), agentShellFallback(), agentBlocked(), sidecarExecFailed(),
                minimal(EventAction.EXEC_FAILED, EventDataset.SIDECAR),
                minimal(EventAction.EXEC_BLOCKED, EventDataset.AGENT));
    }

    static Diagnosis archMismatch(String path) {
        Evidence elf = Evidence.builder().put("class", "ELF64").put("data", "LSB").put("type", "EXEC")
                .put("machine", "AArch64").put("e_machine", 183L).put("platform", "linux/arm64")
                .put("interpreter", "/lib/ld-linux-aarch64.so.1").put("libc", "glibc").build();
        return Diagnosis.builder(path, Cause.ARCH_MISMATCH, Platform.parse("linux/amd64"))
                .resolvedPath(path).evidence(Evidence.builder().put(Evidence.ELF, elf).build()).build();
    }

    static FileAttributes attributes(int mode, long size) {
        return new FileAttributes(FileType.REGULAR, mode, size, 0, 0, (253L << 8) | 1, 2146434L,
                1_795_716_000_000_000_000L);
    }
}
