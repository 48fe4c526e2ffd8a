package io.execguard.core.diagnose;

import io.execguard.core.platform.Platform;
import java.util.Optional;

/**
 * The engine's working result for one file (the file asked about, or an interpreter on the way), before it becomes a
 * {@link Diagnosis}. Mutable while a check fills it in; never shared between threads.
 */
final class Verdict {
    private final Cause cause;
    private final String summary;
    private Errno errno;
    private boolean errnoSet;
    private Boolean runnable;
    private String remediation;
    private String resolvedPath;
    final Evidence.Builder evidence = Evidence.builder();

    private Verdict(Cause cause, String summary) {
        this.cause = cause;
        this.summary = oneLine(summary);
    }

    /** Summaries are one line: control characters from hostile paths (a CR in a #! line) are shown escaped. */
    private static String oneLine(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) {
                    b = new StringBuilder(s.substring(0, i));
                }
                b.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c == '\t' ? "\\t" : String.format("\\x%02x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    static Verdict of(Cause cause, String summary) {
        return new Verdict(cause, summary);
    }

    /** Overrides the cause's errno; null means execve succeeds. */
    Verdict errno(Errno e) {
        this.errno = e;
        this.errnoSet = true;
        return this;
    }

    Verdict runnable(boolean r) {
        this.runnable = r;
        return this;
    }

    Verdict remediation(String r) {
        this.remediation = r;
        return this;
    }

    Verdict resolvedPath(String p) {
        this.resolvedPath = p;
        return this;
    }

    Verdict evidence(String key, Evidence value) {
        if (!value.isEmpty()) {
            evidence.put(key, value);
        }
        return this;
    }

    Verdict evidence(String key, String value) {
        evidence.put(key, value);
        return this;
    }

    Cause cause() {
        return cause;
    }

    String summary() {
        return summary;
    }

    Optional<Errno> errno() {
        return errnoSet ? Optional.ofNullable(errno) : cause.defaultErrno();
    }

    boolean isRunnable() {
        return runnable != null ? runnable : cause.runnable();
    }

    String remediationText() {
        return remediation != null ? remediation : cause.remediation();
    }

    Optional<String> resolvedPath() {
        return Optional.ofNullable(resolvedPath);
    }

    /** Evidence summarising this verdict when it is about an interpreter of the file asked about. */
    Evidence asNestedEvidence(String path) {
        Evidence.Builder b = Evidence.builder().put("path", oneLine(path)).put("cause", cause.name());
        errno().ifPresent(e -> b.put("errno", e.name()));
        b.put("summary", summary);
        Evidence inner = evidence.build();
        if (!inner.isEmpty()) {
            b.put("evidence", inner);
        }
        return b.build();
    }

    Diagnosis toDiagnosis(String path, Platform platform) {
        Diagnosis.Builder b = Diagnosis.builder(path, cause, platform).errno(errno().orElse(null))
                .runnable(isRunnable()).summary(summary).remediation(remediationText()).evidence(evidence.build());
        if (resolvedPath != null) {
            b.resolvedPath(resolvedPath);
        }
        return b.build();
    }
}
