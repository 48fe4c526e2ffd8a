package io.execguard.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The netlink socket itself; opening and binding a NETLINK_AUDIT socket needs no privilege. */
class NetlinkSocketTest {
    @Test
    void receiveTimesOutWithNothingToRead() throws Exception {
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT)) {
            socket.bind(0);
            assertTrue(socket.portId() != 0, "the kernel assigns a port id on bind");
            assertEquals(Optional.empty(), socket.receive(ByteBuffer.allocate(64), 50));
        }
    }

    @Test
    void closeWakesABlockedReceiverAndLaterCallsFail() throws Exception {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT);
        socket.bind(0);
        CompletableFuture<Optional<Integer>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return socket.receive(ByteBuffer.allocate(64), TimeUnit.MINUTES.toMillis(5));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        socket.close();
        assertEquals(Optional.empty(), blocked.get(10, TimeUnit.SECONDS));
        assertFalse(socket.isOpen());
        assertThrows(ClosedChannelException.class, () -> socket.receive(ByteBuffer.allocate(8), 0));
        assertThrows(ClosedChannelException.class, () -> socket.send(ByteBuffer.allocate(16)));
        socket.close();
    }

    @Test
    void receiveBufferRequestIsGrantedAtLeastPartly() throws Exception {
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT)) {
            assertTrue(socket.setReceiveBufferSize(1 << 20) >= 4096);
        }
    }

    /** Real drops need a reader that falls behind the audit stream: {@code WatchFaultsTest} in the sidecar (root). */
    @Test
    void dropCounterStartsAtZeroAndIsUnreadableOnceClosed() throws Exception {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_AUDIT);
        socket.bind(0);
        assertEquals(0, socket.receiveDrops());
        socket.close();
        assertThrows(ClosedChannelException.class, socket::receiveDrops);
    }

    @Test
    void unknownProtocolIsAnErrnoNotACrash() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> NetlinkSocket.open(31));
        assertEquals("EPROTONOSUPPORT", e.errnoName());
    }
}
