package io.execguard.sidecar.scan.image;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileTree;
import io.execguard.core.fs.FileType;
import io.execguard.core.fs.Lookup;
import io.execguard.core.fs.OpenedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The merged file system of one container image, held as an in-memory metadata index (path, type, mode, size,
 * owner, link target, writing layer) plus what {@link CapturePolicy} kept of each file's content. Lets the core
 * engine diagnose image files exactly like host files: symlinks and {@code ..} resolve inside the image and
 * never leave it, like {@code openat2(RESOLVE_IN_ROOT)}. Not a live file system: host facts (binfmt_misc,
 * mounts) never apply. Immutable once built, and safe to share between threads.
 */
public final class ImageFileTree implements FileTree {
    /** The kernel's limit on symlinks followed in one path resolution. */
    static final int MAX_SYMLINKS = 40;

    private final ImageEntry root;
    private final String description;
    private final long capturedBytes;

    ImageFileTree(ImageEntry root, String description, long capturedBytes) {
        this.root = root;
        this.description = description;
        this.capturedBytes = capturedBytes;
    }

    @Override
    public Lookup lookup(String path, String cwd) {
        return resolve(path, cwd, true).lookup;
    }

    /** Like {@link #lookup(String, String)} but does not follow a symlink in the last component. */
    public Lookup lookupNoFollow(String path, String cwd) {
        return resolve(path, cwd, false).lookup;
    }

    @Override
    public OpenedFile open(String path, String cwd) throws IOException {
        Resolution r = resolve(path, cwd, true);
        if (!r.lookup.isFound()) {
            throw new IOException(path + ": " + r.lookup.status() + r.lookup.detail().map(d -> " (" + d + ")").orElse(""));
        }
        if (r.entry.type != FileType.REGULAR) {
            throw new IOException(path + " is not a regular file (" + r.entry.type + ")");
        }
        return new ImageOpenedFile(r.lookup.resolvedPath(), r.entry);
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public String describe() {
        return description;
    }

    /** The names in directory {@code path} (symlinks followed), sorted; empty when it is not a directory. */
    public List<String> list(String path) {
        Resolution r = resolve(path, "/", true);
        if (r.entry == null || !r.entry.isDirectory()) {
            return Collections.emptyList();
        }
        return new ArrayList<>(r.entry.children.keySet());
    }

    /**
     * Visits every object of the image in path order, without following symlinks: {@code visitor} gets the
     * absolute path and the object's attributes.
     */
    public void walk(BiConsumer<String, FileAttributes> visitor) {
        walk(root, "", visitor);
    }

    private static void walk(ImageEntry dir, String prefix, BiConsumer<String, FileAttributes> visitor) {
        for (Map.Entry<String, ImageEntry> child : dir.children.entrySet()) {
            String path = prefix + "/" + child.getKey();
            visitor.accept(path, child.getValue().attributes());
            if (child.getValue().isDirectory()) {
                walk(child.getValue(), path, visitor);
            }
        }
    }

    /** Bytes of file content held in memory for this image. */
    public long capturedBytes() {
        return capturedBytes;
    }

    private Resolution resolve(String path, String cwd, boolean followLast) {
        String start = path.startsWith("/") ? path : (cwd == null ? "/" : cwd) + "/" + path;
        Deque<String> todo = new ArrayDeque<>(ImageTreeBuilder.split(start));
        Deque<ImageEntry> dirs = new ArrayDeque<>();
        Deque<String> names = new ArrayDeque<>();
        dirs.push(root);
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.equals("..")) {
                if (dirs.size() > 1) {
                    dirs.pop();
                    names.pollLast();
                }
                continue;
            }
            ImageEntry dir = dirs.peek();
            if (!dir.isDirectory()) {
                return Resolution.failed(Lookup.Status.NOT_DIRECTORY, names, name + " is below a non-directory");
            }
            ImageEntry child = dir.children.get(name);
            if (child == null) {
                names.addLast(name);
                return Resolution.failed(Lookup.Status.NOT_FOUND, names, null);
            }
            if (child.type == FileType.SYMLINK && (followLast || !todo.isEmpty())) {
                if (++links > MAX_SYMLINKS) {
                    names.addLast(name);
                    return Resolution.failed(Lookup.Status.LOOP, names, "more than " + MAX_SYMLINKS + " symlinks");
                }
                List<String> target = ImageTreeBuilder.split(child.linkTarget);
                for (int i = target.size() - 1; i >= 0; i--) {
                    todo.addFirst(target.get(i));
                }
                if (child.linkTarget.startsWith("/")) {
                    while (dirs.size() > 1) {
                        dirs.pop();
                    }
                    names.clear();
                }
                continue;
            }
            dirs.push(child);
            names.addLast(name);
        }
        ImageEntry found = dirs.peek();
        return new Resolution(Lookup.found(join(names), found.attributes()), found);
    }

    private static String join(Deque<String> names) {
        return names.isEmpty() ? "/" : "/" + String.join("/", names);
    }

    private static final class Resolution {
        final Lookup lookup;
        final ImageEntry entry;

        Resolution(Lookup lookup, ImageEntry entry) {
            this.lookup = lookup;
            this.entry = entry;
        }

        static Resolution failed(Lookup.Status status, Deque<String> names, String detail) {
            return new Resolution(Lookup.failed(status, join(names), detail), null);
        }
    }

    /** A regular image file opened for reading: reads are served from what was captured. */
    private static final class ImageOpenedFile implements OpenedFile {
        private final String path;
        private final ImageEntry entry;

        ImageOpenedFile(String path, ImageEntry entry) {
            this.path = path;
            this.entry = entry;
        }

        @Override
        public FileAttributes attributes() {
            return entry.attributes();
        }

        @Override
        public int read(long position, ByteBuffer dst) throws IOException {
            if (!dst.hasRemaining()) {
                return 0;
            }
            if (entry.content == null) {
                throw new IOException("the content of " + path + " was not captured from the image layer");
            }
            return entry.content.read(position, dst, path);
        }

        @Override
        public void close() {
            // Nothing to release: the content lives in the index.
        }
    }
}
