package io.execguard.agent.explain;

import io.execguard.core.diagnose.Diagnosis;
import java.util.Optional;

/** The sentences execguard adds to a failed or refused exec. */
public final class Explanations {
    private Explanations() {
    }

    /** Why the exec of {@code command} failed, from the engine's verdict on the file. */
    public static String failure(String command, Optional<String> resolved, Diagnosis d) {
        return subject(command, resolved) + " cannot run: " + d.summary() + " " + tag(d) + " Fix: " + d.remediation();
    }

    /** Why execguard refused to let the JVM run {@code command} through {@code /bin/sh} after ENOEXEC. */
    public static String shellFallbackRefused(String command, Optional<String> resolved, Diagnosis d) {
        return "execguard refused " + quoted(command, resolved) + ": the kernel rejects it (Exec format error) and "
                + "the JVM would have run it through /bin/sh instead. " + d.summary() + " " + tag(d)
                + " Fix: " + d.remediation() + " (deny rule shell-fallback; mode=observe allows the fallback)";
    }

    /** Why execguard refused an exec that a path or world-writable deny rule matched. */
    public static String policyRefused(String command, String resolved, String rule) {
        return "execguard refused " + quoted(command, Optional.of(resolved)) + ": it matches the deny rule " + rule
                + " (mode=observe, or a narrower deny option, allows it)";
    }

    private static String subject(String command, Optional<String> resolved) {
        return "execguard: " + quoted(command, resolved);
    }

    private static String quoted(String command, Optional<String> resolved) {
        String q = "\"" + command + "\"";
        return resolved.isPresent() && !resolved.get().equals(command) ? q + " (" + resolved.get() + ")" : q;
    }

    private static String tag(Diagnosis d) {
        return "[" + d.cause().name() + d.errno().map(e -> ", execve: " + e.name()).orElse("") + "]";
    }
}
