package io.execguard.core.fs;

/** The kind of a file system object, as {@code stat(2)} reports it. */
public enum FileType {
    REGULAR, DIRECTORY, SYMLINK, FIFO, SOCKET, CHAR_DEVICE, BLOCK_DEVICE, UNKNOWN
}
