package io.execguard.core.diagnose;

import java.util.Objects;

/**
 * Reconciles the engine's verdict on a file with the errno the kernel actually returned when a caller executed it.
 * The engine judges files; ETXTBSY comes from the moment instead: the program, its {@code #!} interpreter or its
 * loader was open for writing when execve ran (it refuses such a file right after opening it, before any format
 * check), and nothing in the file shows that afterwards. For it the verdict becomes {@link Cause#FILE_BUSY}, and
 * what the file check found is kept in the evidence ({@code file_check}) - with a warning in the summary when the
 * file will fail anyway once it is closed. Every other errno leaves the verdict as it is.
 */
public final class ObservedFailure {
    private ObservedFailure() {
    }

    /** The verdict to report for a failed exec of {@code file} that the kernel answered with {@code observed}. */
    public static Diagnosis reconcile(Diagnosis file, Errno observed) {
        Objects.requireNonNull(file, "file");
        if (observed != Errno.ETXTBSY || file.cause() == Cause.FILE_BUSY) {
            return file;
        }
        Evidence.Builder check = Evidence.builder().put("cause", file.cause().name()).put("runnable", file.runnable());
        file.errno().ifPresent(e -> check.put("errno", e.name()));
        Diagnosis.Builder b = Diagnosis.builder(file.path(), Cause.FILE_BUSY, file.platform())
                .summary(file.path() + ", or the #! interpreter or dynamic loader it names, was open for writing when"
                        + " it was executed, so the kernel refused to run it (ETXTBSY)." + (file.runnable()
                                ? " The file itself is fine: " + file.summary()
                                : " Once it is closed, exec will still fail: " + file.summary()))
                .evidence(Evidence.builder().putAll(file.evidence()).put("file_check", check.build()).build());
        file.resolvedPath().ifPresent(b::resolvedPath);
        return b.build();
    }
}
