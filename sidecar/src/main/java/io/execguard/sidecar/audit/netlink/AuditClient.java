package io.execguard.sidecar.audit.netlink;

import io.execguard.linux.ErrnoException;
import io.execguard.linux.LinuxErrno;
import io.execguard.linux.NetlinkSocket;
import io.execguard.sidecar.audit.rule.AuditRule;
import io.execguard.sidecar.audit.rule.AuditRuleCodec;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Controls the kernel's audit subsystem over a unicast {@code NETLINK_AUDIT} socket: reads the status, turns
 * auditing on, adds, deletes and lists rules. Every request asks for an acknowledgement and fails with an
 * {@link AuditException} naming the missing precondition (CAP_AUDIT_CONTROL, the initial pid namespace ...).
 * Never registers as the audit daemon, so it coexists with auditd. Thread-safe: requests are serialized (a shutdown
 * hook may remove rules while another thread is still using the client).
 */
public final class AuditClient implements Closeable {
    static final int AUDIT_GET = 1000;
    static final int AUDIT_SET = 1001;
    static final int AUDIT_ADD_RULE = 1011;
    static final int AUDIT_DEL_RULE = 1012;
    static final int AUDIT_LIST_RULES = 1013;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final NetlinkSocket socket;
    private final AuditPreconditions preconditions;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private int sequence;

    private AuditClient(NetlinkSocket socket, AuditPreconditions preconditions) {
        this.socket = socket;
        this.preconditions = preconditions;
    }

    /**
     * Opens a control socket. Opening needs no privilege; the first request does.
     *
     * @throws AuditException AUDIT_UNAVAILABLE when the kernel has no audit support, NATIVE_UNAVAILABLE when JNA
     *     cannot load
     */
    public static AuditClient open() throws AuditException {
        AuditPreconditions preconditions = AuditPreconditions.ofThisProcess();
        try {
            NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT);
            try {
                socket.bind(0);
            } catch (ErrnoException e) {
                socket.close();
                throw e;
            }
            return new AuditClient(socket, preconditions);
        } catch (IOException e) {
            throw preconditions.explainSocketFailure(e);
        }
    }

    /** The kernel's audit status (AUDIT_GET). */
    public AuditStatus status() throws IOException {
        List<NetlinkMessage> replies = request(AUDIT_GET, new byte[0], AUDIT_GET, "read the audit status");
        for (NetlinkMessage m : replies) {
            if (m.type() == AUDIT_GET) {
                return AuditStatus.decode(m.payload());
            }
        }
        throw new AuditException(AuditException.Problem.PROTOCOL, "The kernel acknowledged AUDIT_GET but sent no "
                + "status.", 0);
    }

    /**
     * Changes the kernel's audit flow control (rate limit, backlog limit, backlog wait time) for the whole host,
     * as {@code auditctl -r/-b/--backlog_wait_time} would. watch itself never calls it; tests that overload the
     * kernel on purpose do, and put the old values back.
     */
    public void setLimits(AuditStatus.Limits limits) throws IOException {
        request(AUDIT_SET, AuditStatus.encodeLimits(limits), -1, "change the audit rate and backlog limits");
    }

    /**
     * Turns record generation on or off ({@code auditctl -e 1/0}). Turning it off affects everyone on the host; the
     * sidecar only ever turns it on.
     */
    public void setEnabled(boolean enabled) throws IOException {
        request(AUDIT_SET, AuditStatus.encodeEnable(enabled), -1, enabled ? "enable auditing" : "disable auditing");
    }

    /**
     * Adds {@code rule} at the end of its list.
     *
     * @return true when added, false when an identical rule was already present (EEXIST)
     */
    public boolean addRule(AuditRule rule) throws IOException {
        try {
            request(AUDIT_ADD_RULE, AuditRuleCodec.encode(rule), -1, "add an audit rule");
            return true;
        } catch (AuditException e) {
            if (e.errno() == LinuxErrno.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Deletes the rule identical to {@code rule}.
     *
     * @return true when deleted, false when no such rule existed (ENOENT)
     */
    public boolean deleteRule(AuditRule rule) throws IOException {
        try {
            request(AUDIT_DEL_RULE, AuditRuleCodec.encode(rule), -1, "delete an audit rule");
            return true;
        } catch (AuditException e) {
            if (e.errno() == LinuxErrno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Every rule the kernel holds, in kernel order (all lists, as {@code auditctl -l}). */
    public List<AuditRule> listRules() throws IOException {
        List<AuditRule> rules = new ArrayList<>();
        for (NetlinkMessage m : request(AUDIT_LIST_RULES, new byte[0], AUDIT_LIST_RULES, "list audit rules")) {
            if (m.type() == AUDIT_LIST_RULES) {
                try {
                    rules.add(AuditRuleCodec.decode(m.payload()));
                } catch (IllegalArgumentException e) {
                    throw new AuditException(AuditException.Problem.PROTOCOL,
                            "The kernel sent a rule execguard cannot read (" + e.getMessage() + ").", 0);
                }
            }
        }
        return rules;
    }

    /**
     * Sends one request with NLM_F_ACK and collects the replies until both the acknowledgement and, when
     * {@code replyType} is not -1, the answer (a single message, or a multipart one up to NLMSG_DONE) are in. The
     * kernel sends answers from a worker thread, so the ack may come before or after them.
     */
    private synchronized List<NetlinkMessage> request(int type, byte[] payload, int replyType, String what)
            throws IOException {
        int seq = ++sequence;
        try {
            socket.send(NetlinkMessage.encode(type, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK, seq,
                    payload));
        } catch (ErrnoException e) {
            throw fail(e.errno(), what, type);
        }
        List<NetlinkMessage> replies = new ArrayList<>();
        boolean acked = false;
        boolean answered = replyType == -1;
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (!(acked && answered)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            Optional<Integer> sender = left > 0 ? socket.receive(buffer, left) : Optional.empty();
            if (sender.isEmpty()) {
                throw new AuditException(AuditException.Problem.PROTOCOL,
                        "Cannot " + what + ": the kernel did not answer within " + REPLY_TIMEOUT.toSeconds() + " s.", 0);
            }
            if (sender.get() != 0) {
                continue;
            }
            for (NetlinkMessage m : NetlinkMessage.parse(buffer, new boolean[1])) {
                if (m.sequence() != seq) {
                    continue;
                }
                if (m.type() == NetlinkMessage.NLMSG_ERROR) {
                    if (m.errorCode() != 0) {
                        throw fail(-m.errorCode(), what, type);
                    }
                    acked = true;
                } else if (m.type() == NetlinkMessage.NLMSG_DONE) {
                    answered = true;
                } else if (m.type() == replyType) {
                    replies.add(m);
                    answered |= (m.flags() & NetlinkMessage.NLM_F_MULTI) == 0 && replyType != AUDIT_LIST_RULES;
                }
            }
        }
        return replies;
    }

    private AuditException fail(int errno, String what, int type) {
        boolean locked = errno == LinuxErrno.EPERM && type != AUDIT_GET && isLocked();
        return preconditions.explainControlFailure(errno, what, locked);
    }

    /** Whether the configuration is locked; asked only to explain an EPERM, so failures mean "don't know". */
    private boolean isLocked() {
        try {
            return status().isLocked();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
