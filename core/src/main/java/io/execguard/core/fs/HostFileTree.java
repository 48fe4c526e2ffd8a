package io.execguard.core.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A directory of this machine treated as a root: {@code /} itself, an unpacked root file system, or a build output.
 * Resolution stays inside the root like {@code openat2(RESOLVE_IN_ROOT)}, using java.nio only: every component is
 * looked up with {@code lstat}, absolute symlink targets restart at the root, {@code ..} stops at the root, and more
 * than {@value #MAX_SYMLINKS} symlinks end in {@link Lookup.Status#LOOP} as they do in the kernel.
 *
 * <p>Residual race: java.nio cannot resolve relative to a directory descriptor, so a component swapped for a symlink
 * between our {@code lstat} and the final {@code open} could point outside the root, and a regular file swapped for a
 * FIFO in that window could make the open block. The final open uses {@code O_NOFOLLOW}, which closes the window for
 * the last component being a symlink; callers that face hostile writers (the sidecar on a container's root) should
 * use a descriptor-based tree from {@code native-bindings}.
 */
public final class HostFileTree implements FileTree {
    /** The kernel's limit on symlinks followed in one path walk (MAXSYMLINKS). */
    public static final int MAX_SYMLINKS = 40;

    private static final String STAT_ATTRIBUTES = "unix:mode,ino,dev,uid,gid,size,lastModifiedTime";
    private static final int S_IFMT = 0170000;

    private final Path root;
    private final String rootPrefix;
    private final boolean hostRoot;

    private HostFileTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
        String r = this.root.toString();
        this.hostRoot = "/".equals(r);
        this.rootPrefix = hostRoot ? "" : r;
    }

    /** The host's {@code /}: a live tree, where host facts apply. */
    public static HostFileTree root() {
        return new HostFileTree(Path.of("/"));
    }

    /** {@code directory} treated as the root of a tree. */
    public static HostFileTree of(Path directory) {
        return new HostFileTree(directory);
    }

    @Override
    public Lookup lookup(String path, String cwd) {
        if (path.isEmpty()) {
            return Lookup.failed(Lookup.Status.NOT_FOUND, "/", "empty path");
        }
        try {
            if (hostRoot) {
                Lookup fast = realPath(path.startsWith("/") ? path : cwd + "/" + path);
                if (fast != null) {
                    return fast;
                }
            }
            return walk(path, cwd);
        } catch (InvalidPathException e) {
            return Lookup.failed(Lookup.Status.ERROR, "/", "invalid path: " + e.getReason());
        }
    }

    /**
     * For the host's own {@code /} nothing can escape the root, so the C library's {@code realpath} (one native call)
     * resolves the path the same way the kernel does. Only successful resolutions are taken from it; any failure
     * returns null and the component walk explains where and why resolution stops.
     */
    private static Lookup realPath(String absolute) {
        if (absolute.endsWith("/")) {
            return null;
        }
        try {
            Path real = Path.of(absolute).toRealPath();
            return Lookup.found(real.toString(), lstat(real));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private Lookup walk(String path, String cwd) {
        Deque<String> pending = new ArrayDeque<>();
        pushComponents(pending, path.startsWith("/") ? path : cwd + "/" + path);
        boolean mustBeDirectory = path.endsWith("/");
        List<String> resolved = new ArrayList<>();
        FileAttributes attributes = null;
        int symlinks = 0;
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                attributes = null;
                continue;
            }
            resolved.add(name);
            Path host = hostPath(resolved);
            boolean last = pending.isEmpty();
            FileType type;
            FileAttributes a = null;
            try {
                // Directories on the way only need their type; the full unix attributes cost a map per call.
                if (last) {
                    a = lstat(host);
                    type = a.type();
                } else {
                    type = typeOf(Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                }
            } catch (IOException e) {
                return failure(e, join(resolved));
            }
            if (type == FileType.SYMLINK) {
                if (++symlinks > MAX_SYMLINKS) {
                    return Lookup.failed(Lookup.Status.LOOP, join(resolved), "more than " + MAX_SYMLINKS + " symlinks");
                }
                String target;
                try {
                    target = Files.readSymbolicLink(host).toString();
                } catch (IOException e) {
                    return failure(e, join(resolved));
                }
                resolved.remove(resolved.size() - 1);
                if (target.isEmpty()) {
                    return Lookup.failed(Lookup.Status.NOT_FOUND, join(resolved), "empty symlink target");
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                mustBeDirectory |= last && target.endsWith("/");
                pushComponents(pending, target);
                attributes = null;
                continue;
            }
            if (!last && type != FileType.DIRECTORY) {
                return Lookup.failed(Lookup.Status.NOT_DIRECTORY, join(resolved), "not a directory");
            }
            attributes = a;
        }
        String resolvedPath = join(resolved);
        if (attributes == null) {
            try {
                attributes = lstat(hostPath(resolved));
            } catch (IOException e) {
                return failure(e, resolvedPath);
            }
        }
        if (mustBeDirectory && attributes.type() != FileType.DIRECTORY) {
            return Lookup.failed(Lookup.Status.NOT_DIRECTORY, resolvedPath, "not a directory");
        }
        return Lookup.found(resolvedPath, attributes);
    }

    /** Pushes the components of {@code path} so that the first one is popped first. */
    private static void pushComponents(Deque<String> pending, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty()) {
                pending.push(parts[i]);
            }
        }
    }

    private static String join(List<String> components) {
        if (components.isEmpty()) {
            return "/";
        }
        StringBuilder b = new StringBuilder();
        for (String c : components) {
            b.append('/').append(c);
        }
        return b.toString();
    }

    private Path hostPath(List<String> components) {
        if (components.isEmpty()) {
            return root;
        }
        StringBuilder b = new StringBuilder(rootPrefix.length() + 16 * components.size()).append(rootPrefix);
        for (String c : components) {
            b.append('/').append(c);
        }
        return Path.of(b.toString());
    }

    private static Lookup failure(IOException e, String at) {
        if (e instanceof NoSuchFileException) {
            return Lookup.failed(Lookup.Status.NOT_FOUND, at, "no such file or directory");
        }
        if (e instanceof AccessDeniedException) {
            return Lookup.failed(Lookup.Status.ACCESS_DENIED, at, "permission denied");
        }
        if (e instanceof NotDirectoryException) {
            return Lookup.failed(Lookup.Status.NOT_DIRECTORY, at, "not a directory");
        }
        String reason = e instanceof FileSystemException ? ((FileSystemException) e).getReason() : e.getMessage();
        if (reason != null && reason.contains("Not a directory")) {
            return Lookup.failed(Lookup.Status.NOT_DIRECTORY, at, "not a directory");
        }
        if (reason != null && reason.contains("Too many levels of symbolic links")) {
            return Lookup.failed(Lookup.Status.LOOP, at, reason);
        }
        return Lookup.failed(Lookup.Status.ERROR, at, reason == null ? e.toString() : reason);
    }

    /** {@code lstat(2)} through java.nio's {@code unix} attribute view. */
    static FileAttributes lstat(Path p) throws IOException {
        Map<String, Object> m;
        try {
            m = Files.readAttributes(p, STAT_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new IOException("the unix file attribute view is not available on this platform", e);
        }
        int mode = (Integer) m.get("mode");
        return new FileAttributes(typeOf(mode), mode, (Long) m.get("size"), (Integer) m.get("uid"),
                (Integer) m.get("gid"), (Long) m.get("dev"), (Long) m.get("ino"),
                ((FileTime) m.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
    }

    private static FileType typeOf(BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return FileType.SYMLINK;
        }
        if (a.isDirectory()) {
            return FileType.DIRECTORY;
        }
        return a.isRegularFile() ? FileType.REGULAR : FileType.UNKNOWN;
    }

    private static FileType typeOf(int mode) {
        switch (mode & S_IFMT) {
            case 0100000:
                return FileType.REGULAR;
            case 0040000:
                return FileType.DIRECTORY;
            case 0120000:
                return FileType.SYMLINK;
            case 0010000:
                return FileType.FIFO;
            case 0140000:
                return FileType.SOCKET;
            case 0020000:
                return FileType.CHAR_DEVICE;
            case 0060000:
                return FileType.BLOCK_DEVICE;
            default:
                return FileType.UNKNOWN;
        }
    }

    /**
     * Opens a regular file. The type is checked with {@code lstat} before the open, so FIFOs, devices and sockets are
     * refused without ever being opened (see the class comment for the remaining race).
     */
    @Override
    public OpenedFile open(String path, String cwd) throws IOException {
        Lookup lookup = lookup(path, cwd);
        if (!lookup.isFound()) {
            String detail = lookup.detail().orElse(lookup.status().toString());
            if (lookup.status() == Lookup.Status.NOT_FOUND) {
                throw new NoSuchFileException(path, null, detail);
            }
            if (lookup.status() == Lookup.Status.ACCESS_DENIED) {
                throw new AccessDeniedException(path, null, detail);
            }
            throw new FileSystemException(path, null, detail);
        }
        return open(lookup);
    }

    /** Opens a found regular file directly by its resolved path, refusing anything else before the open. */
    @Override
    public OpenedFile open(Lookup lookup) throws IOException {
        FileAttributes attributes = lookup.attributes()
                .orElseThrow(() -> new NoSuchFileException(lookup.resolvedPath()));
        String path = lookup.resolvedPath();
        if (attributes.type() != FileType.REGULAR) {
            throw new FileSystemException(path, null, "not a regular file (" + attributes.type() + ")");
        }
        Path host = Path.of(rootPrefix + lookup.resolvedPath());
        FileChannel channel = FileChannel.open(host, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        return new HostOpenedFile(channel, attributes);
    }

    @Override
    public Optional<String> mountInfoPath() {
        return hostRoot ? Optional.of("/proc/self/mountinfo") : Optional.empty();
    }

    @Override
    public boolean live() {
        return hostRoot;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostFileTree && root.equals(((HostFileTree) o).root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return "HostFileTree[" + root + "]";
    }
}
