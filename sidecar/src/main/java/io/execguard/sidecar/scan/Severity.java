package io.execguard.sidecar.scan;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Diagnosis;
import java.util.Locale;

/**
 * How much a finding matters, most severe first. {@code --fail-on} names the least severe level that makes
 * scan exit 1.
 * <ul>
 *   <li>{@link #CRITICAL}: the container does not start - a link of the ENTRYPOINT/CMD chain will not run, or the
 *       image as a whole does not fit the target (declared platform against its binaries, no manifest for it)</li>
 *   <li>{@link #ERROR}: an executable that would not run on the target platform</li>
 *   <li>{@link #WARNING}: an executable that runs, but only through a binfmt_misc emulator</li>
 * </ul>
 */
public enum Severity {
    CRITICAL, ERROR, WARNING;

    /** The severity of a diagnosis that is a finding ({@code cause != OK}); entrypoint links escalate. */
    static Severity of(Diagnosis d, boolean entrypoint) {
        if (!d.runnable()) {
            return entrypoint ? CRITICAL : ERROR;
        }
        return WARNING;
    }

    /** True when a diagnosis is worth reporting at all. */
    static boolean isFinding(Diagnosis d) {
        return d.cause() != Cause.OK;
    }

    /** True when this severity is {@code threshold} or more severe. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    /** Lower-case name, as used on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
