package io.execguard.core.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A regular file opened for reading inside a {@link FileTree}. */
public interface OpenedFile extends Closeable {
    /** The attributes of the file actually opened (fstat, not a second lookup). */
    FileAttributes attributes();

    /**
     * Reads bytes at {@code position} into {@code dst}, like {@code pread(2)}.
     *
     * @return the number of bytes read, or -1 at end of file
     */
    int read(long position, ByteBuffer dst) throws IOException;
}
