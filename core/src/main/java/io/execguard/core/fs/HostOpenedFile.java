package io.execguard.core.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A regular file of a {@link HostFileTree}, read with positional reads only. */
final class HostOpenedFile implements OpenedFile {
    private final FileChannel channel;
    private final FileAttributes attributes;

    HostOpenedFile(FileChannel channel, FileAttributes lookedUp) throws IOException {
        this.channel = channel;
        // java.nio offers no fstat; the size at least comes from the open descriptor, so a file that grew or
        // shrank since the lookup is read within its real bounds.
        long size = channel.size();
        this.attributes = size == lookedUp.size() ? lookedUp
                : new FileAttributes(lookedUp.type(), lookedUp.mode(), size, lookedUp.uid(), lookedUp.gid(),
                lookedUp.device(), lookedUp.inode(), lookedUp.mtimeNanos());
    }

    @Override
    public FileAttributes attributes() {
        return attributes;
    }

    @Override
    public int read(long position, ByteBuffer dst) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
