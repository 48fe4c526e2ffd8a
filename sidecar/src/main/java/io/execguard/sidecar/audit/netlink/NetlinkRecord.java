package io.execguard.sidecar.audit.netlink;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit record as the kernel multicast it: the message type (1300 SYSCALL, 1302 PATH, 1320 EOE ...) and the
 * text exactly as sent, e.g. {@code audit(1795716725.918:3): arch=c000003e syscall=59 ...}. Netlink records carry no
 * {@code type=} prefix (log files do). The text is decoded as ISO-8859-1 so every byte survives; the kernel
 * hex-encodes untrusted values, so in practice it is ASCII.
 *
 * @param type the audit message type ({@code nlmsg_type})
 * @param text the payload without trailing NUL or newline
 * @param receivedAt when the reader took the datagram off the socket
 */
public record NetlinkRecord(int type, String text, Instant receivedAt) {
    public NetlinkRecord {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
