package io.execguard.sidecar.audit.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The kernel's audit status ({@code struct audit_status}, answer to AUDIT_GET). Kernels before 3.12 send only the
 * first eight fields and before 5.9 no {@code backlog_wait_time_actual}; missing fields read as 0.
 *
 * @param enabled 0 off, 1 on, 2 locked (immutable until reboot)
 * @param failure what the kernel does when it cannot log: 0 silent, 1 printk, 2 panic
 * @param pid the unicast audit daemon's pid (auditd, journald), 0 when none
 * @param rateLimit messages per second, 0 for no limit
 * @param backlogLimit queued messages before the kernel waits or drops
 * @param lost records the kernel dropped since boot (or since the counter was reset)
 * @param backlog records queued right now
 * @param featureBitmap {@code AUDIT_FEATURE_BITMAP_*} flags
 * @param backlogWaitTime how long a task waits for backlog space, in jiffies
 * @param backlogWaitTimeActual total time tasks spent waiting for backlog space
 */
public record AuditStatus(int enabled, int failure, int pid, long rateLimit, long backlogLimit, long lost,
                          long backlog, int featureBitmap, long backlogWaitTime, long backlogWaitTimeActual) {
    /** {@code sizeof(struct audit_status)} on 5.9+ kernels: eleven u32. */
    static final int SIZE = 44;
    static final int MASK_ENABLED = 0x0001;
    static final int MASK_RATE_LIMIT = 0x0008;
    static final int MASK_BACKLOG_LIMIT = 0x0010;
    static final int MASK_BACKLOG_WAIT_TIME = 0x0020;

    /** True when the kernel generates records (enabled 1, or 2 = locked on). */
    public boolean isEnabled() {
        return enabled != 0;
    }

    /** True when the configuration is locked ({@code auditctl -e 2}) and cannot change until reboot. */
    public boolean isLocked() {
        return enabled == 2;
    }

    static AuditStatus decode(ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.nativeOrder());
        return new AuditStatus((int) u32(b, 1), (int) u32(b, 2), (int) u32(b, 3), u32(b, 4),
                u32(b, 5), u32(b, 6), u32(b, 7), (int) u32(b, 8), u32(b, 9), u32(b, 10));
    }

    private static long u32(ByteBuffer b, int index) {
        return b.limit() >= (index + 1) * 4 ? Integer.toUnsignedLong(b.getInt(index * 4)) : 0;
    }

    /**
     * A status request changing only the flow-control settings that are given: messages per second
     * ({@code rate_limit}), queued records ({@code backlog_limit}) and how long a task waits for room
     * ({@code backlog_wait_time}, jiffies).
     */
    static byte[] encodeLimits(Limits limits) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
        int mask = 0;
        if (limits.rateLimit().isPresent()) {
            mask |= MASK_RATE_LIMIT;
            b.putInt(16, (int) (long) limits.rateLimit().get());
        }
        if (limits.backlogLimit().isPresent()) {
            mask |= MASK_BACKLOG_LIMIT;
            b.putInt(20, (int) (long) limits.backlogLimit().get());
        }
        if (limits.backlogWaitTime().isPresent()) {
            mask |= MASK_BACKLOG_WAIT_TIME;
            b.putInt(36, (int) (long) limits.backlogWaitTime().get());
        }
        return b.putInt(0, mask).array();
    }

    /** The flow-control settings of this status, to put back later with {@link AuditClient#setLimits}. */
    public Limits limits() {
        return new Limits(Optional.of(rateLimit), Optional.of(backlogLimit),
                Optional.of(backlogWaitTime));
    }

    /**
     * The kernel's audit flow control, as {@code auditctl -r}, {@code -b} and {@code --backlog_wait_time} set it;
     * empty leaves a setting as it is.
     *
     * @param rateLimit records per second before the kernel drops them, 0 for no limit
     * @param backlogLimit records queued before tasks wait (or records are dropped), 0 for no limit
     * @param backlogWaitTime jiffies a task waits for room in the backlog before its record is dropped
     */
    public record Limits(Optional<Long> rateLimit, Optional<Long> backlogLimit,
            Optional<Long> backlogWaitTime) {
    }

    /** A status request changing only {@code enabled}. */
    static byte[] encodeEnable(boolean on) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0, MASK_ENABLED).putInt(4, on ? 1 : 0);
        return b.array();
    }
}
