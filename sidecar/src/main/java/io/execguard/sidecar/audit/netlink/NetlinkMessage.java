package io.execguard.sidecar.audit.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message: the 16-byte {@code struct nlmsghdr} (length, type, flags, sequence, port id; host byte
 * order) and its payload. A datagram may carry several messages, each aligned to 4 bytes.
 *
 * @param payload the payload bytes (a read-only copy, host byte order)
 */
record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {
    static final int HEADER_LENGTH = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;

    /** Encodes a request with {@code payload} (may be empty), padded to 4 bytes. */
    static ByteBuffer encode(int type, int flags, int sequence, byte[] payload) {
        int length = HEADER_LENGTH + payload.length;
        ByteBuffer buf = ByteBuffer.allocate(align(length)).order(ByteOrder.nativeOrder());
        buf.putInt(length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(0);
        buf.put(payload);
        buf.position(0);
        return buf;
    }

    /**
     * Splits a datagram into messages. A header whose length is shorter than a header or runs past the datagram ends
     * the parse: what came before is kept, the rest is reported by {@code malformed}.
     */
    static List<NetlinkMessage> parse(ByteBuffer datagram, boolean[] malformed) {
        ByteBuffer buf = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>(1);
        while (buf.remaining() >= HEADER_LENGTH) {
            int start = buf.position();
            int length = buf.getInt(start);
            if (length < HEADER_LENGTH || length > buf.remaining()) {
                malformed[0] = true;
                return messages;
            }
            int type = Short.toUnsignedInt(buf.getShort(start + 4));
            int flags = Short.toUnsignedInt(buf.getShort(start + 6));
            int sequence = buf.getInt(start + 8);
            int portId = buf.getInt(start + 12);
            // Copied: the caller reuses the datagram buffer for the next receive.
            byte[] bytes = new byte[length - HEADER_LENGTH];
            buf.get(start + HEADER_LENGTH, bytes);
            ByteBuffer payload = ByteBuffer.wrap(bytes).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
            messages.add(new NetlinkMessage(type, flags, sequence, portId, payload));
            buf.position(Math.min(buf.limit(), start + align(length)));
        }
        if (buf.hasRemaining()) {
            malformed[0] = true;
        }
        return messages;
    }

    /** For {@link #NLMSG_ERROR}: the negative errno (0 for an ack). */
    int errorCode() {
        return payload.remaining() >= 4 ? payload.getInt(0) : -22;
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }
}
