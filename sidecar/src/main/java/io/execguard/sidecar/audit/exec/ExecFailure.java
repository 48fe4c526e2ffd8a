package io.execguard.sidecar.audit.exec;

import io.execguard.core.diagnose.Errno;
import io.execguard.core.platform.Credentials;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A failed execve/execveat as the audit records tell it, before any enrichment: who tried (pid, parent, ids, comm,
 * exe and proctitle of the caller - the process that called exec, not the target), what (the PATH items and the
 * working directory), and how it failed (errno). All text is decoded.
 */
public record ExecFailure(long epochMillis, long serial, Optional<String> node, ExecSyscalls arch, String syscall,
        int exitCode, Optional<Errno> errno, int pid, int ppid, long uid, long euid, long gid, long egid, long auid,
        Optional<String> comm, Optional<String> exe, Optional<String> cwd, List<PathItem> paths, List<String> argv,
        List<String> keys, boolean complete) {
    /** The kernel's value for an unset login uid. */
    public static final long UNSET_ID = 4294967295L;

    public ExecFailure {
        Objects.requireNonNull(arch, "arch");
        paths = List.copyOf(paths);
        argv = List.copyOf(argv);
        keys = List.copyOf(keys);
    }

    /** The file the caller asked to execute (PATH item 0), as the caller wrote it. */
    public Optional<PathItem> target() {
        for (PathItem p : paths) {
            if (p.item() == 0) {
                return Optional.of(p);
            }
        }
        return paths.isEmpty() ? Optional.empty() : Optional.of(paths.get(0));
    }

    /** The target made absolute against the working directory; empty when neither is known. */
    public Optional<String> absoluteTarget() {
        Optional<PathItem> t = target();
        if (t.isEmpty() || t.get().name().isEmpty()) {
            return Optional.empty();
        }
        String name = t.get().name();
        if (name.startsWith("/")) {
            return Optional.of(normalize(name));
        }
        if (cwd.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(normalize(cwd.get() + "/" + name));
    }

    /** Drops empty and {@code .} components; {@code ..} stays, because only the file system knows its parent. */
    static String normalize(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (int from = 0, to; from < path.length(); from = to + 1) {
            to = path.indexOf('/', from);
            if (to < 0) {
                to = path.length();
            }
            int n = to - from;
            if (n > 0 && !(n == 1 && path.charAt(from) == '.')) {
                sb.append('/').append(path, from, to);
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** The login uid, empty when unset (daemons, containers started by a runtime). */
    public OptionalLong loginUid() {
        return auid == UNSET_ID ? OptionalLong.empty() : OptionalLong.of(auid);
    }

    /**
     * Whose permission check the exec went through, as far as the records tell once the caller is gone: when the
     * kernel did not answer EACCES its check passed, so any execute bit suffices; for EACCES the record's effective
     * ids (supplementary groups are not in the records).
     */
    public Credentials credentialsAtExec() {
        if (!errno.equals(Optional.of(Errno.EACCES))) {
            return Credentials.privileged();
        }
        return Credentials.of((int) euid, new int[] {(int) egid}, euid == 0);
    }

    /** The exec syscall's errno name as audit reports it, e.g. {@code ENOEXEC}, or the raw number. */
    public String errorCode() {
        return errno.map(Enum::name).orElse(Integer.toString(-exitCode));
    }
}
