package io.execguard.sidecar.scan.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The entries of an uncompressed tar file ({@code docker save} output or an OCI archive), read in place with
 * random access: only the entry headers are indexed, and each entry is streamed from the file when opened.
 */
final class TarBlobStore implements BlobStore {
    private final Path file;
    private final TarFile tar;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    private TarBlobStore(Path file, TarFile tar) {
        this.file = file;
        this.tar = tar;
        for (TarArchiveEntry e : tar.getEntries()) {
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            entries.put(name.endsWith("/") ? name.substring(0, name.length() - 1) : name, e);
        }
    }

    /** Opens {@code file} as a tar archive. @throws ImageFormatException when it is not one */
    static TarBlobStore open(Path file) throws ImageFormatException {
        try {
            return new TarBlobStore(file, new TarFile(file));
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file + " is not a readable tar archive (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean exists(String name) {
        return entry(name, 0) != null;
    }

    @Override
    public InputStream open(String name) throws IOException {
        TarArchiveEntry e = entry(BlobStore.checkedName(name, describe()), 0);
        if (e == null || !e.isFile()) {
            throw new ImageFormatException(describe() + " has no file " + name);
        }
        return tar.getInputStream(e);
    }

    /** The entry called {@code name}, following symlink entries (docker save links identical layers). */
    private TarArchiveEntry entry(String name, int depth) {
        TarArchiveEntry e = entries.get(name.startsWith("./") ? name.substring(2) : name);
        if (e == null || !e.isSymbolicLink() || depth > 8) {
            return e != null && e.isSymbolicLink() ? null : e;
        }
        String link = e.getLinkName();
        int slash = name.lastIndexOf('/');
        String target = link.startsWith("/") ? link.substring(1)
                : normalise((slash < 0 ? "" : name.substring(0, slash + 1)) + link);
        return target == null ? null : entry(target, depth + 1);
    }

    private static String normalise(String path) {
        java.util.Deque<String> out = new java.util.ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.pollLast();
            } else {
                out.addLast(p);
            }
        }
        return String.join("/", out);
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
