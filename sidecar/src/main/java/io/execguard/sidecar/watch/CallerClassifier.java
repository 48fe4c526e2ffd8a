package io.execguard.sidecar.watch;

import io.execguard.core.event.CallerKind;
import java.util.Optional;
import java.util.Set;

/**
 * Tells what kind of program tried the exec ({@link CallerKind}) from audit's exe and comm, because that decides what the user saw: a JVM on glibc and a POSIX shell
 * re-run a file that failed with ENOEXEC through {@code /bin/sh} (so the "exec format error" never shows and a
 * binary "starts" with a syntax error), a container runtime reports the failure as the container's start error,
 * other programs report the errno.
 */
public final class CallerClassifier {
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash",
            "posh", "busybox", "fish", "tcsh", "csh", "rbash");
    private static final Set<String> RUNTIMES = Set.of("runc", "crun", "youki", "runsc", "conmon",
            "containerd-shim", "containerd-shim-runc-v2", "docker-init", "tini", "catatonit", "dumb-init");

    private CallerClassifier() {
    }

    /**
     * Classifies a caller from the executable path and comm audit recorded for it. A JVM's child is {@code java}
     * until it execs (vfork/fork launch) or the spawn helper ({@code posix_spawn} launch, the default); a JVM's
     * parentage says nothing, because a JVM also starts Python or shells that report errors themselves.
     */
    public static CallerKind classify(Optional<String> exe, Optional<String> comm, Optional<String> parentExe) {
        String exeName = exe.map(CallerClassifier::baseName).orElse("");
        String commName = comm.orElse("");
        if (isJava(exeName) || isJava(commName) || exeName.equals("jspawnhelper")
                || commName.startsWith("jspawnhelper")) {
            return CallerKind.JVM;
        }
        if (commName.startsWith("runc:[") || RUNTIMES.contains(exeName) || RUNTIMES.contains(commName)
                || exe.map(e -> e.contains("runc_cloned")).orElse(false)) {
            return CallerKind.RUNC;
        }
        if (SHELLS.contains(exeName) || SHELLS.contains(commName)) {
            return CallerKind.SHELL;
        }
        return CallerKind.OTHER;
    }

    /** Whether this kind of caller re-runs a file that failed with ENOEXEC through /bin/sh. */
    public static boolean fallsBackToShell(CallerKind kind) {
        return kind == CallerKind.JVM || kind == CallerKind.SHELL;
    }

    private static boolean isJava(String name) {
        return name.equals("java") || name.equals("javaw");
    }

    private static String baseName(String path) {
        String p = path.endsWith(" (deleted)") ? path.substring(0, path.length() - 10) : path;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }
}
