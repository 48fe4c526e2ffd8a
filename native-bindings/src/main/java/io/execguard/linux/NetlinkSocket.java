package io.execguard.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A raw {@code AF_NETLINK} socket, which the JDK cannot open. It knows nothing about the protocol spoken over it: it
 * sends datagrams to the kernel and receives datagrams with the sender's port id, so the caller can reject anything
 * that did not come from the kernel (port 0).
 *
 * <p>Receives wait in {@code poll(2)} on the socket and on an eventfd, so {@link #close()} from another thread wakes
 * a blocked receiver at once instead of leaving it stuck in {@code recvfrom} (closing a descriptor does not wake a
 * thread blocked on it under Linux). Sends and receives are serialized, and {@link #close()} waits for the one in
 * progress, so a descriptor number is never used after it was closed (and possibly reused).
 */
public final class NetlinkSocket implements Closeable {
    /** {@code NETLINK_AUDIT}. */
    public static final int NETLINK_AUDIT = 9;

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_MEMINFO = 55;
    /** {@code SK_MEMINFO_DROPS}: index of the drop counter in the {@code SO_MEMINFO} array of u32. */
    private static final int SK_MEMINFO_DROPS = 8;
    private static final int SK_MEMINFO_MAX_VARS = 16;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EFD_CLOEXEC = 02000000;
    private static final int EFD_NONBLOCK = 04000;
    private static final short POLLIN = 0x1;
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int BUFFER_SIZE = 1 << 16;

    private final int fd;
    private final int wakeFd;
    private final ReentrantLock ioLock = new ReentrantLock();
    private final Memory receiveBuffer = new Memory(BUFFER_SIZE);
    private final Memory sender = new Memory(SOCKADDR_NL_SIZE);
    private final Memory senderLength = new Memory(4);
    private final Memory pollFds = new Memory(16);
    private volatile boolean closed;

    private NetlinkSocket(int fd, int wakeFd) {
        this.fd = fd;
        this.wakeFd = wakeFd;
    }

    /**
     * Opens a netlink socket for {@code protocol} (e.g. {@link #NETLINK_AUDIT}).
     *
     * @throws ErrnoException EPROTONOSUPPORT when the kernel lacks the protocol (audit not compiled in)
     * @throws NativeUnavailableException when JNA's native library cannot be loaded
     */
    public static NetlinkSocket open(int protocol) throws IOException {
        NativeLoader.ensureLoaded();
        int fd;
        try {
            fd = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new ErrnoException("socket(AF_NETLINK)", e.getErrorCode());
        }
        try {
            return new NetlinkSocket(fd, LibC.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw new ErrnoException("eventfd", e.getErrorCode());
        }
    }

    /**
     * Binds the socket, letting the kernel choose the port id, and joins the multicast groups in {@code groups}
     * (bit {@code n-1} for group {@code n}; 0 for none).
     */
    public void bind(int groups) throws ErrnoException {
        try (Memory addr = sockaddr(0, groups)) {
            LibC.bind(fd, addr, SOCKADDR_NL_SIZE);
        } catch (LastErrorException e) {
            throw new ErrnoException("bind(AF_NETLINK, groups=" + groups + ")", e.getErrorCode());
        }
    }

    /** The port id the kernel assigned to this socket (after {@link #bind(int)} or the first send). */
    public int portId() throws ErrnoException {
        try (Memory addr = new Memory(SOCKADDR_NL_SIZE); Memory len = new Memory(4)) {
            len.setInt(0, SOCKADDR_NL_SIZE);
            LibC.getsockname(fd, addr, len);
            return addr.getInt(4);
        } catch (LastErrorException e) {
            throw new ErrnoException("getsockname", e.getErrorCode());
        }
    }

    /**
     * Asks for a receive buffer of {@code bytes}: first with SO_RCVBUFFORCE (exceeds {@code rmem_max}, needs
     * CAP_NET_ADMIN), then with SO_RCVBUF (capped by {@code net.core.rmem_max}).
     *
     * @return the size the kernel actually granted (it doubles the request for bookkeeping)
     */
    public int setReceiveBufferSize(int bytes) throws ErrnoException {
        try (Memory value = new Memory(4); Memory len = new Memory(4)) {
            value.setInt(0, bytes);
            try {
                LibC.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4);
            } catch (LastErrorException e) {
                try {
                    LibC.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
                } catch (LastErrorException e2) {
                    throw new ErrnoException("setsockopt(SO_RCVBUF)", e2.getErrorCode());
                }
            }
            len.setInt(0, 4);
            LibC.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, len);
            return value.getInt(0);
        } catch (LastErrorException e) {
            throw new ErrnoException("getsockopt(SO_RCVBUF)", e.getErrorCode());
        }
    }

    /**
     * How many datagrams the kernel discarded for this socket because its receive buffer was full
     * ({@code sk_drops}, read with {@code SO_MEMINFO}, Linux 4.6+): the exact count behind the single ENOBUFS a
     * multicast listener gets per overflow. An unsigned 32-bit counter since the socket was opened.
     */
    public long receiveDrops() throws IOException {
        ioLock.lock(); // so that close() cannot free the descriptor (and the number be reused) under the call
        try (Memory value = new Memory(4L * SK_MEMINFO_MAX_VARS); Memory len = new Memory(4)) {
            ensureOpen();
            value.clear();
            len.setInt(0, 4 * SK_MEMINFO_MAX_VARS);
            LibC.getsockopt(fd, SOL_SOCKET, SO_MEMINFO, value, len);
            if (len.getInt(0) < 4 * (SK_MEMINFO_DROPS + 1)) {
                throw new ErrnoException("getsockopt(SO_MEMINFO)", LinuxErrno.EINVAL);
            }
            return Integer.toUnsignedLong(value.getInt(4L * SK_MEMINFO_DROPS));
        } catch (LastErrorException e) {
            throw new ErrnoException("getsockopt(SO_MEMINFO)", e.getErrorCode());
        } finally {
            ioLock.unlock();
        }
    }

    /** Sends one datagram (the buffer's remaining bytes) to the kernel. */
    public void send(ByteBuffer message) throws IOException {
        int length = message.remaining();
        ioLock.lock();
        try (Memory data = new Memory(Math.max(1, length)); Memory kernel = sockaddr(0, 0)) {
            ensureOpen();
            byte[] bytes = new byte[length];
            message.duplicate().get(bytes);
            data.write(0, bytes, 0, length);
            LibC.sendto(fd, data, length, 0, kernel, SOCKADDR_NL_SIZE);
        } catch (LastErrorException e) {
            throw new ErrnoException("sendto(AF_NETLINK)", e.getErrorCode());
        } finally {
            ioLock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for one datagram and copies it into {@code dst} (cleared first, then
     * flipped, ready to read).
     * A datagram larger than {@code dst} is truncated to its size.
     *
     * @return the sender's port id (0 is the kernel), or empty on timeout or when {@link #close()} woke the receiver
     * @throws ErrnoException ENOBUFS when the kernel dropped datagrams because the receive buffer was full; the
     *     socket stays usable
     * @throws ClosedChannelException when the socket was closed before the call
     */
    public Optional<Integer> receive(ByteBuffer dst, long timeoutMillis) throws IOException {
        ioLock.lock();
        try {
            ensureOpen();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
            while (!closed) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!awaitReadable((int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining)))) {
                    if (closed || System.nanoTime() - deadline >= 0) {
                        return Optional.empty();
                    }
                    continue;
                }
                Optional<Integer> port = receiveNow(dst);
                if (port.isPresent()) {
                    return port;
                }
            }
            return Optional.empty();
        } finally {
            ioLock.unlock();
        }
    }

    private boolean awaitReadable(int timeoutMillis) throws ErrnoException {
        pollFds.setInt(0, fd);
        pollFds.setShort(4, POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(8, wakeFd);
        pollFds.setShort(12, POLLIN);
        pollFds.setShort(14, (short) 0);
        try {
            int ready = LibC.poll(pollFds, 2, timeoutMillis);
            return ready > 0 && pollFds.getShort(14) == 0 && pollFds.getShort(6) != 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LinuxErrno.EINTR) {
                return false;
            }
            throw new ErrnoException("poll", e.getErrorCode());
        }
    }

    private Optional<Integer> receiveNow(ByteBuffer dst) throws ErrnoException {
        senderLength.setInt(0, SOCKADDR_NL_SIZE);
        long n;
        try {
            n = LibC.recvfrom(fd, receiveBuffer, BUFFER_SIZE, MSG_DONTWAIT, sender, senderLength);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LinuxErrno.EAGAIN || e.getErrorCode() == LinuxErrno.EINTR) {
                return Optional.empty();
            }
            throw new ErrnoException("recvfrom(AF_NETLINK)", e.getErrorCode());
        }
        dst.clear();
        int length = (int) Math.min(n, dst.remaining());
        dst.put(receiveBuffer.getByteBuffer(0, length));
        dst.flip();
        return Optional.of(sender.getInt(4));
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return !closed;
    }

    /** Wakes a blocked receiver, waits for it to leave, then closes the descriptors. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Memory one = new Memory(8)) {
            one.setLong(0, 1);
            LibC.write(wakeFd, one, 8);
        } catch (LastErrorException e) {
            // Only fails when the counter would overflow: a wake-up is already pending.
        }
        ioLock.lock();
        try {
            LibC.close(fd);
            LibC.close(wakeFd);
        } catch (LastErrorException e) {
            // Nothing useful to do: the descriptors are gone either way.
        } finally {
            ioLock.unlock();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    private static Memory sockaddr(int pid, int groups) {
        Memory addr = new Memory(SOCKADDR_NL_SIZE);
        addr.clear();
        addr.setShort(0, (short) AF_NETLINK);
        addr.setInt(4, pid);
        addr.setInt(8, groups);
        return addr;
    }

}
