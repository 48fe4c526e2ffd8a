package io.execguard.sidecar.audit.netlink;

import io.execguard.linux.ErrnoException;
import io.execguard.linux.LinuxErrno;
import io.execguard.linux.NetlinkSocket;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the kernel's audit records from the read-only multicast group ({@code AUDIT_NLGRP_READLOG}), next to
 * whatever owns the unicast audit pid (auditd, journald), which it never takes. Needs CAP_AUDIT_READ and the initial
 * network namespace (the kernel multicasts nowhere else; binding elsewhere succeeds but nothing arrives).
 *
 * <p>One record per datagram. Datagrams whose sender is not the kernel (port id 0) are dropped and counted. When the
 * socket's receive buffer overflows the kernel reports ENOBUFS once: it is counted as an overflow and reading
 * continues. How many records the socket lost is the kernel's drop counter for it ({@code SO_MEMINFO}), read on
 * each overflow and whenever the reader has drained the socket, so that the number is final once the burst is over.
 *
 * <p>One thread reads; {@link #close()} may be called from any thread and makes a blocked {@link #read(Duration)}
 * return empty promptly.
 */
public final class AuditMulticastReader implements Closeable {
    /** {@code AUDIT_NLGRP_READLOG}. */
    public static final int GROUP_READLOG = 1;
    /** Receive buffer requested by {@link #open()}: bursts of failed execs produce ~5 records each. */
    public static final int DEFAULT_RECEIVE_BUFFER = 8 << 20;
    private static final int MAX_RECORD = 1 << 16;

    private final NetlinkSocket socket;
    private final Clock clock;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_RECORD);
    private final ArrayDeque<NetlinkRecord> pending = new ArrayDeque<>();
    private final int receiveBufferBytes;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private boolean dropsReadable = true;

    private AuditMulticastReader(NetlinkSocket socket, int receiveBufferBytes, Clock clock) {
        this.socket = socket;
        this.receiveBufferBytes = receiveBufferBytes;
        this.clock = clock;
    }

    /** Opens a reader with {@link #DEFAULT_RECEIVE_BUFFER}. */
    public static AuditMulticastReader open() throws AuditException {
        return open(DEFAULT_RECEIVE_BUFFER);
    }

    /**
     * Opens a reader, asking for a socket receive buffer of {@code receiveBufferBytes}.
     *
     * @throws AuditException AUDIT_UNAVAILABLE, NATIVE_UNAVAILABLE, MISSING_CAP_AUDIT_READ, NOT_INITIAL_USER_NAMESPACE or
     *     NOT_INITIAL_NETWORK_NAMESPACE, with a message saying what to change
     */
    public static AuditMulticastReader open(int receiveBufferBytes) throws AuditException {
        AuditPreconditions preconditions = AuditPreconditions.ofThisProcess();
        // Binding works in any network namespace, but records only ever go to the initial one: fail now rather
        // than wait forever for records that cannot come.
        if (preconditions.inInitialNetworkNamespace().equals(Optional.of(false))) {
            throw new AuditException(AuditException.Problem.NOT_INITIAL_NETWORK_NAMESPACE,
                    "Cannot read the audit stream here: the kernel sends audit records only to the host's network "
                            + "namespace; run with hostNetwork: true, or read auditd's log file instead.", 0);
        }
        NetlinkSocket socket;
        try {
            socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT);
        } catch (IOException e) {
            throw preconditions.explainSocketFailure(e);
        }
        try {
            int granted = socket.setReceiveBufferSize(receiveBufferBytes);
            socket.bind(1 << (GROUP_READLOG - 1));
            return new AuditMulticastReader(socket, granted, Clock.systemUTC());
        } catch (ErrnoException e) {
            socket.close();
            throw preconditions.explainMulticastFailure(e);
        }
    }

    /**
     * Waits up to {@code timeout} for the next record.
     *
     * @return the record, or empty on timeout or once {@link #close()} was called
     * @throws IOException when the socket fails for a reason other than overflow
     */
    public Optional<NetlinkRecord> read(Duration timeout) throws IOException {
        if (!pending.isEmpty()) {
            return Optional.of(pending.poll());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (socket.isOpen()) {
            long remainingMillis = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            Optional<Integer> sender;
            try {
                sender = socket.receive(buffer, remainingMillis);
            } catch (ErrnoException e) {
                if (e.errno() != LinuxErrno.ENOBUFS) {
                    throw e;
                }
                overflows.incrementAndGet();
                refreshDrops();
                continue;
            } catch (IOException e) {
                if (!socket.isOpen()) {
                    return Optional.empty();
                }
                throw e;
            }
            if (sender.isEmpty()) {
                refreshDrops(); // drained: whatever the kernel dropped during a burst is counted by now
                return Optional.empty();
            }
            accept(sender.get());
            if (!pending.isEmpty()) {
                return Optional.of(pending.poll());
            }
        }
        return Optional.empty();
    }

    private void accept(int senderPort) {
        Optional<List<NetlinkRecord>> decoded = decode(buffer, senderPort, clock.instant());
        if (decoded.isEmpty()) {
            rejected.incrementAndGet();
            return;
        }
        pending.addAll(decoded.get());
        records.addAndGet(decoded.get().size());
    }

    /**
     * The audit records in one datagram, or empty when it must be rejected: not sent by the kernel (another process
     * could otherwise inject records), or not a well-formed netlink message.
     */
    static Optional<List<NetlinkRecord>> decode(ByteBuffer datagram, int senderPort, Instant now) {
        if (senderPort != 0) {
            return Optional.empty();
        }
        boolean[] malformed = {false};
        List<NetlinkMessage> messages = NetlinkMessage.parse(datagram, malformed);
        if (malformed[0] || messages.isEmpty()) {
            return Optional.empty();
        }
        List<NetlinkRecord> out = new ArrayList<>(messages.size());
        for (NetlinkMessage message : messages) {
            // Below 1000 are netlink control messages (NOOP, ERROR, DONE), never records.
            if (message.type() >= 1000) {
                out.add(new NetlinkRecord(message.type(), text(message.payload()), now));
            }
        }
        return Optional.of(out);
    }

    private static String text(ByteBuffer payload) {
        int end = payload.limit();
        while (end > 0 && (payload.get(end - 1) == 0 || payload.get(end - 1) == '\n')) {
            end--;
        }
        byte[] bytes = new byte[end];
        payload.get(0, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Records delivered so far. */
    public long recordsReceived() {
        return records.get();
    }

    /**
     * How many times the kernel reported ENOBUFS: each time, one or more records were lost because this reader's
     * receive buffer was full.
     */
    public long overflows() {
        return overflows.get();
    }

    /**
     * Records the kernel discarded because this reader's receive buffer was full, as of the last overflow or the
     * last time the reader found the socket empty: exact, unlike {@link #overflows()}. Stays 0 on kernels before
     * 4.6, which cannot tell.
     */
    public long droppedRecords() {
        return dropped.get();
    }

    private void refreshDrops() {
        if (!dropsReadable || !socket.isOpen()) {
            return;
        }
        try {
            dropped.set(socket.receiveDrops());
        } catch (ErrnoException e) {
            dropsReadable = false; // before Linux 4.6: overflows() is all there is
        } catch (IOException e) {
            // closed under us: the count no longer matters
        }
    }

    /** Datagrams dropped because they did not come from the kernel or were malformed. */
    public long rejectedDatagrams() {
        return rejected.get();
    }

    /** The receive buffer size the kernel granted (twice the usable payload, as Linux accounts it). */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Stops reading: a blocked {@link #read(Duration)} returns empty promptly. Idempotent, any thread. */
    @Override
    public void close() {
        socket.close();
    }
}
