package io.execguard.sidecar.scan.image;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds a real image layer tar in memory, entry by entry, for tests. */
public final class TestLayer {
    /** How the layer blob is stored. */
    public enum Compression { NONE, GZIP, ZSTD }

    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();

    public static TestLayer create() {
        return new TestLayer();
    }

    public TestLayer dir(String path) {
        TarArchiveEntry e = new TarArchiveEntry(strip(path) + "/", TarConstants.LF_DIR);
        e.setMode(040755);
        return add(e, new byte[0]);
    }

    public TestLayer file(String path, int mode, byte[] content) {
        TarArchiveEntry e = new TarArchiveEntry(strip(path));
        e.setMode(0100000 | mode);
        e.setSize(content.length);
        return add(e, content);
    }

    public TestLayer file(String path, int mode, String content) {
        return file(path, mode, content.getBytes(StandardCharsets.UTF_8));
    }

    public TestLayer symlink(String path, String target) {
        TarArchiveEntry e = new TarArchiveEntry(strip(path), TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0120777);
        return add(e, new byte[0]);
    }

    public TestLayer hardlink(String path, String target) {
        TarArchiveEntry e = new TarArchiveEntry(strip(path), TarConstants.LF_LINK);
        e.setLinkName(strip(target));
        return add(e, new byte[0]);
    }

    public TestLayer fifo(String path) {
        TarArchiveEntry e = new TarArchiveEntry(strip(path), TarConstants.LF_FIFO);
        e.setMode(010644);
        return add(e, new byte[0]);
    }

    /** {@code .wh.NAME} next to {@code path}: deletes it from lower layers. */
    public TestLayer whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), 0644, new byte[0]);
    }

    /** {@code DIR/.wh..wh..opq}: hides what lower layers put in DIR. */
    public TestLayer opaque(String dir) {
        return file(dir + "/.wh..wh..opq", 0644, new byte[0]);
    }

    private TestLayer add(TarArchiveEntry e, byte[] content) {
        entries.add(e);
        contents.add(content);
        return this;
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** The layer as a tar, compressed as asked. */
    public byte[] bytes(Compression compression) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (OutputStream out = compressed(buf, compression);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (int i = 0; i < entries.size(); i++) {
                    tar.putArchiveEntry(entries.get(i));
                    tar.write(contents.get(i));
                    tar.closeArchiveEntry();
                }
            }
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OutputStream compressed(OutputStream out, Compression c) throws IOException {
        switch (c) {
            case GZIP:
                return new GZIPOutputStream(out);
            case ZSTD:
                return new ZstdOutputStream(out);
            default:
                return out;
        }
    }
}
