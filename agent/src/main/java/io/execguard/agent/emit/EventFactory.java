package io.execguard.agent.emit;

import io.execguard.core.context.HostInfo;
import io.execguard.core.context.ProcessContext;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.event.EventAction;
import io.execguard.core.event.EventDataset;
import io.execguard.core.event.EventSource;
import io.execguard.core.event.ExecEvent;
import io.execguard.core.event.FileInfo;
import io.execguard.core.event.ProcessInfo;
import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.HostFileTree;
import io.execguard.core.redact.Redactor;
import java.util.List;
import java.util.Optional;

/**
 * Turns what the agent saw about one exec into the shared {@link ExecEvent}: this JVM as {@code process.*} (read
 * from {@code /proc/self} once, on the first event), the target as {@code file.*}, the diagnosis, the error the
 * application saw, the Java call site as {@code execguard.source}, and the attempted command (redacted), the
 * agent's mode, the launcher facts and the deny rule ({@code policy}) in {@code execguard.details}; the
 * calling Java thread as {@code process.thread.name}.
 */
public final class EventFactory {
    private final String mode;
    private final String launcher;
    private final Redactor redactor = Redactor.standard();
    private volatile Optional<ProcessContext> self;
    private volatile HostInfo host;

    public EventFactory(String mode, String launcher) {
        this.mode = mode;
        this.launcher = launcher;
    }

    /**
     * An event about one exec.
     *
     * @param command    the command as the application gave it (redacted here)
     * @param workingDirectory the child's working directory
     * @param target     the file the child executes, when it was found
     * @param errorCode  the errno name ({@code ENOEXEC})
     * @param message    the exception message the application saw, or would have seen
     * @param callSite   the application's frames, innermost first
     * @param denyRule   for blocked execs, the rule that refused it
     */
    public ExecEvent create(EventAction action, List<String> command, String workingDirectory,
                            Optional<String> target, Optional<Diagnosis> diagnosis, String errorCode, String message,
                            List<String> callSite, Optional<String> denyRule) {
        ExecEvent.Builder b = ExecEvent.builder(action, EventDataset.AGENT)
                .host(host())
                .source(EventSource.agent(callSite))
                .error(errorCode, message);
        self().ifPresent(ctx -> b.context(ctx)
                .process(ProcessInfo.from(ctx).threadName(Thread.currentThread().getName()).build()));
        diagnosis.ifPresent(b::diagnosis);
        target.ifPresent(t -> b.file(fileInfo(t)));
        b.details(details(command, workingDirectory, denyRule));
        return b.build();
    }

    private Evidence details(List<String> command, String workingDirectory, Optional<String> denyRule) {
        Evidence.Builder e = Evidence.builder()
                .put("mode", mode)
                .put("launcher", launcher)
                .put("exec", Evidence.builder()
                        .put("args", redactor.redactArgs(command))
                        .put("working_directory", workingDirectory)
                        .build());
        denyRule.ifPresent(r -> e.put("policy", r));
        return e.build();
    }

    private static FileInfo fileInfo(String path) {
        Optional<FileAttributes> attributes = HostFileTree.root().lookup(path).attributes();
        return attributes.isPresent() ? FileInfo.of(path, attributes.get()) : FileInfo.of(path);
    }

    private Optional<ProcessContext> self() {
        Optional<ProcessContext> s = self;
        if (s == null) {
            s = ProcessContext.self();
            self = s;
        }
        return s;
    }

    private HostInfo host() {
        HostInfo h = host;
        if (h == null) {
            h = HostInfo.current();
            host = h;
        }
        return h;
    }
}
