package io.execguard.sidecar.scan.image;

import io.execguard.core.fs.FileType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies layer entries, bottom layer first, to one merged file system the way overlayfs presents it: a later
 * entry replaces an earlier one, {@code .wh.NAME} deletes NAME from lower layers and {@code .wh..wh..opq} hides
 * everything lower layers put in its directory. Not thread-safe; used by one layer stream at a time.
 */
final class ImageTreeBuilder {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";

    private final ImageEntry root = new ImageEntry(FileType.DIRECTORY, 0755, 0, 0, 0, 0, 1, -1, null, null);
    private long nextInode = 2;
    private long capturedBytes;

    long newInode() {
        return nextInode++;
    }

    /** Puts {@code entry} at {@code path} (normalised, absolute), creating missing parent directories. */
    void put(String path, ImageEntry entry) {
        List<String> parts = split(path);
        if (parts.isEmpty()) {
            return;
        }
        ImageEntry dir = directoryFor(parts.subList(0, parts.size() - 1), entry.layer);
        String name = parts.get(parts.size() - 1);
        ImageEntry old = dir.children.get(name);
        if (old != null && old.isDirectory() && entry.isDirectory()) {
            entry = old.redeclaredDirectory(entry.mode, entry.uid, entry.gid, entry.mtimeNanos, entry.layer);
        }
        forget(old);
        dir.children.put(name, entry);
        if (entry.content != null) {
            capturedBytes += entry.content.capturedBytes();
        }
    }

    /** Applies {@code .wh.NAME} found in directory {@code dirPath} of layer {@code layer}. */
    void whiteout(String dirPath, String name, int layer) {
        ImageEntry dir = existingDirectory(dirPath);
        if (dir == null) {
            return;
        }
        ImageEntry old = dir.children.get(name);
        if (old != null && old.layer < layer) {
            dir.children.remove(name);
            forget(old);
        }
    }

    /** Applies an opaque marker: everything lower layers put below {@code dirPath} disappears. */
    void opaque(String dirPath, int layer) {
        ImageEntry dir = directoryFor(split(dirPath), layer);
        removeLower(dir, layer);
    }

    private void removeLower(ImageEntry dir, int layer) {
        Iterator<Map.Entry<String, ImageEntry>> it = dir.children.entrySet().iterator();
        while (it.hasNext()) {
            ImageEntry child = it.next().getValue();
            if (child.layer < layer) {
                it.remove();
                forget(child);
            } else if (child.isDirectory()) {
                removeLower(child, layer);
            }
        }
    }

    /** The entry at {@code path} without following symlinks, or null. */
    ImageEntry get(String path) {
        ImageEntry e = root;
        for (String part : split(path)) {
            if (e == null || !e.isDirectory()) {
                return null;
            }
            e = e.children.get(part);
        }
        return e;
    }

    ImageEntry root() {
        return root;
    }

    long capturedBytes() {
        return capturedBytes;
    }

    private ImageEntry existingDirectory(String path) {
        ImageEntry e = get(path);
        return e != null && e.isDirectory() ? e : null;
    }

    private ImageEntry directoryFor(List<String> parts, int layer) {
        return directoryFor(parts, layer, 0);
    }

    /**
     * The directory at {@code parts}, created where missing. A symlink on the way is followed inside the image,
     * as containerd's applier does (a layer entry {@code lib/x} lands in {@code usr/lib/x} when {@code lib} is a
     * symlink to {@code usr/lib}); a non-directory on the way is replaced by a directory.
     */
    private ImageEntry directoryFor(List<String> parts, int layer, int hops) {
        ImageEntry dir = root;
        List<String> walked = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            ImageEntry next = dir.children.get(part);
            if (next != null && next.type == FileType.SYMLINK && hops < ImageFileTree.MAX_SYMLINKS) {
                List<String> target = new ArrayList<>(next.linkTarget.startsWith("/") ? List.of() : walked);
                target.addAll(split(next.linkTarget));
                target.addAll(parts.subList(i + 1, parts.size()));
                return directoryFor(lexical(target), layer, hops + 1);
            }
            if (next == null || !next.isDirectory()) {
                forget(next);
                next = new ImageEntry(FileType.DIRECTORY, 0755, 0, 0, 0, 0, newInode(), layer, null, null);
                dir.children.put(part, next);
            }
            dir = next;
            walked.add(part);
        }
        return dir;
    }

    /** Resolves {@code ..} lexically; the components before it are real directories, so this is exact. */
    private static List<String> lexical(List<String> parts) {
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (p.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Keeps the captured-bytes count honest when an entry leaves the tree. */
    private void forget(ImageEntry gone) {
        if (gone == null) {
            return;
        }
        if (gone.content != null) {
            capturedBytes -= gone.content.capturedBytes();
        }
        if (gone.isDirectory()) {
            for (ImageEntry child : gone.children.values()) {
                forget(child);
            }
        }
    }

    /** Splits an absolute or relative path into its non-empty components, dropping {@code .}. */
    static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }
}
