package io.execguard.core.context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns the capability bit masks of {@code /proc/PID/status} ({@code CapEff}, {@code CapPrm}, hex) into the
 * names ECS uses in {@code process.thread.capabilities.*} ({@code CAP_CHOWN}...). Bits this table does not
 * know (a newer kernel) come out as {@code CAP_<bit>} so nothing is hidden.
 */
public final class Capabilities {
    /** Index = capability number, as in linux/capability.h up to CAP_CHECKPOINT_RESTORE (40). */
    private static final String[] NAMES = {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    };

    private Capabilities() {
    }

    /** The names of the bits set in {@code mask}, in bit order. */
    public static List<String> names(long mask) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0) {
                names.add(bit < NAMES.length ? NAMES[bit] : "CAP_" + bit);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** {@link #names(long)} of a hex mask as {@code /proc/PID/status} prints it ({@code 000001ffffffffff}). */
    public static List<String> namesOfHex(String hexMask) {
        return names(Long.parseUnsignedLong(hexMask.trim(), 16));
    }
}
