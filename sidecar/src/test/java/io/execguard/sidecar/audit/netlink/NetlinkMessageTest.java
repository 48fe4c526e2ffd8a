package io.execguard.sidecar.audit.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetlinkMessageTest {
    @Test
    void severalMessagesInOneDatagramAreSplitAtFourByteBoundaries() {
        ByteBuffer a = NetlinkMessage.encode(1300, 0, 7, "abcde".getBytes());
        ByteBuffer b = NetlinkMessage.encode(1320, 0, 7, new byte[0]);
        ByteBuffer datagram = ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();
        boolean[] malformed = {false};
        List<NetlinkMessage> messages = NetlinkMessage.parse(datagram, malformed);
        assertFalse(malformed[0]);
        assertEquals(2, messages.size());
        assertEquals(1300, messages.get(0).type());
        assertEquals(5, messages.get(0).payload().remaining());
        assertEquals(1320, messages.get(1).type());
        assertEquals(7, messages.get(1).sequence());
    }

    @Test
    void aLengthRunningPastTheDatagramIsMalformed() {
        ByteBuffer d = NetlinkMessage.encode(1300, 0, 1, "abc".getBytes());
        d.order(ByteOrder.nativeOrder()).putInt(0, 400);
        boolean[] malformed = {false};
        assertTrue(NetlinkMessage.parse(d, malformed).isEmpty());
        assertTrue(malformed[0]);
    }

    @Test
    void errorMessageCarriesTheNegativeErrno() {
        ByteBuffer payload = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(-17);
        ByteBuffer d = NetlinkMessage.encode(NetlinkMessage.NLMSG_ERROR, 0, 3, payload.array());
        assertEquals(-17, NetlinkMessage.parse(d, new boolean[1]).get(0).errorCode());
    }

    @Test
    void statusDecodesEveryFieldAndToleratesOldShortReplies() {
        ByteBuffer b = ByteBuffer.allocate(AuditStatus.SIZE).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 11; i++) {
            b.putInt(i * 4, i);
        }
        AuditStatus s = AuditStatus.decode(b);
        assertEquals(new AuditStatus(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), s);
        AuditStatus old = AuditStatus.decode(ByteBuffer.wrap(b.array(), 0, 32).slice());
        assertEquals(0, old.backlogWaitTime());
        assertEquals(7, old.backlog());
        ByteBuffer lost = ByteBuffer.allocate(AuditStatus.SIZE).order(ByteOrder.nativeOrder()).putInt(24, -1);
        assertEquals(4294967295L, AuditStatus.decode(lost).lost(), "u32 counters are unsigned");
    }

    @Test
    void limitsRequestSetsOnlyTheGivenFieldsAndTheirMaskBits() {
        ByteBuffer b = ByteBuffer.wrap(AuditStatus.encodeLimits(new AuditStatus.Limits(Optional.empty(),
                Optional.of(2L), Optional.of(0L)))).order(ByteOrder.nativeOrder());
        assertEquals(AuditStatus.MASK_BACKLOG_LIMIT | AuditStatus.MASK_BACKLOG_WAIT_TIME, b.getInt(0));
        assertEquals(2, b.getInt(20), "backlog_limit");
        assertEquals(0, b.getInt(36), "backlog_wait_time");
        assertEquals(0, b.getInt(16), "rate_limit untouched");
        AuditStatus found = new AuditStatus(1, 1, 0, 100, 64, 895, 0, 0, 15000, 0);
        ByteBuffer back = ByteBuffer.wrap(AuditStatus.encodeLimits(found.limits())).order(ByteOrder.nativeOrder());
        assertEquals(AuditStatus.MASK_RATE_LIMIT | AuditStatus.MASK_BACKLOG_LIMIT
                | AuditStatus.MASK_BACKLOG_WAIT_TIME, back.getInt(0));
        assertEquals(100, back.getInt(16));
        assertEquals(64, back.getInt(20));
        assertEquals(15000, back.getInt(36), "what was found is what is put back");
    }
}
