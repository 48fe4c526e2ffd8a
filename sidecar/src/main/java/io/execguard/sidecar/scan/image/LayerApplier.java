package io.execguard.sidecar.scan.image;

import io.execguard.core.fs.FileType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Streams one layer (a tar, plain or gzip- or zstd-compressed, recognised by its magic bytes rather than its
 * declared media type) into an {@link ImageTreeBuilder}. Nothing is written to disk; only metadata and the
 * captured bytes of each file stay in memory.
 */
final class LayerApplier {
    private static final int BUFFER = 64 * 1024;

    private LayerApplier() {
    }

    /** Applies the layer read from {@code raw} as layer number {@code layer}. */
    static void apply(InputStream raw, String layerName, int layer, ImageTreeBuilder builder, CapturePolicy policy)
            throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(raw, layerName));
        TarArchiveEntry e;
        try {
            while ((e = tar.getNextEntry()) != null) {
                applyEntry(tar, e, layer, builder, policy);
            }
        } catch (IOException | RuntimeException ex) {
            throw new ImageFormatException("layer " + layerName + " is not a readable tar stream ("
                    + ex.getMessage() + ")", ex);
        }
    }

    private static InputStream decompressed(InputStream raw, String layerName) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        try {
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new BufferedInputStream(new GzipCompressorInputStream(in, true), BUFFER);
            }
            if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                    && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
                return new BufferedInputStream(new ZstdCompressorInputStream(in), BUFFER);
            }
        } catch (IOException | LinkageError ex) {
            throw new ImageFormatException("cannot decompress layer " + layerName + " (" + ex.getMessage() + ")", ex);
        }
        return in;
    }

    private static void applyEntry(TarArchiveInputStream tar, TarArchiveEntry e, int layer,
                                   ImageTreeBuilder builder, CapturePolicy policy) throws IOException {
        String path = normalise(e.getName());
        if (path == null || path.equals("/")) {
            return;
        }
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        String base = path.substring(slash + 1);
        if (base.equals(ImageTreeBuilder.OPAQUE_MARKER)) {
            builder.opaque(dir, layer);
            return;
        }
        if (base.startsWith(ImageTreeBuilder.WHITEOUT_PREFIX)) {
            builder.whiteout(dir, base.substring(ImageTreeBuilder.WHITEOUT_PREFIX.length()), layer);
            return;
        }
        if (e.isLink()) {
            String target = normalise(e.getLinkName());
            ImageEntry existing = target == null ? null : builder.get(target);
            if (existing != null && !existing.isDirectory()) {
                builder.put(path, existing.hardLinkIn(layer));
            }
            return;
        }
        FileType type = typeOf(e);
        CapturedContent content = type == FileType.REGULAR
                ? ContentCapture.capture(tar, e.getSize(), path, e.getMode(), policy) : null;
        long size = type == FileType.REGULAR ? e.getSize() : 0;
        String link = type == FileType.SYMLINK ? e.getLinkName() : null;
        long mtimeNanos = e.getModTime().getTime() * 1_000_000L;
        builder.put(path, new ImageEntry(type, e.getMode(), size, (int) e.getLongUserId(),
                (int) e.getLongGroupId(), mtimeNanos, builder.newInode(), layer, link, content));
    }

    private static FileType typeOf(TarArchiveEntry e) {
        if (e.isDirectory()) {
            return FileType.DIRECTORY;
        }
        if (e.isSymbolicLink()) {
            return FileType.SYMLINK;
        }
        if (e.isFIFO()) {
            return FileType.FIFO;
        }
        if (e.isCharacterDevice()) {
            return FileType.CHAR_DEVICE;
        }
        if (e.isBlockDevice()) {
            return FileType.BLOCK_DEVICE;
        }
        return e.isFile() ? FileType.REGULAR : FileType.UNKNOWN;
    }

    /**
     * {@code ./usr/bin/x}, {@code usr/bin/x/} and {@code /usr/bin/x} all become {@code /usr/bin/x}; a name with a
     * {@code ..} component is dropped (null): a layer must not reach outside the image, and runtimes refuse it.
     */
    static String normalise(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return null;
            }
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
