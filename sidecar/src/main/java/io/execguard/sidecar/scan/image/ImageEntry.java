package io.execguard.sidecar.scan.image;

import io.execguard.core.fs.FileAttributes;
import io.execguard.core.fs.FileType;
import java.util.TreeMap;

/**
 * One object of the merged image file system while the layers are applied: its metadata, the layer that last
 * wrote it, and for regular files what was captured of their content. Mutable only inside this package while
 * {@link ImageTreeBuilder} runs; {@link ImageFileTree} never changes it.
 */
final class ImageEntry {
    final FileType type;
    final int mode;
    final long size;
    final int uid;
    final int gid;
    final long mtimeNanos;
    final long inode;
    /** Index of the layer that wrote this entry (0 = base layer). */
    final int layer;
    /** Symlink target, as stored in the layer; null for other types. */
    final String linkTarget;
    final CapturedContent content;
    /** Children by name, for directories only. */
    final TreeMap<String, ImageEntry> children;

    ImageEntry(FileType type, int mode, long size, int uid, int gid, long mtimeNanos, long inode, int layer,
               String linkTarget, CapturedContent content) {
        this.type = type;
        this.mode = mode & 07777;
        this.size = size;
        this.uid = uid;
        this.gid = gid;
        this.mtimeNanos = mtimeNanos;
        this.inode = inode;
        this.layer = layer;
        this.linkTarget = linkTarget;
        this.content = content;
        this.children = type == FileType.DIRECTORY ? new TreeMap<>() : null;
    }

    /** A directory with this entry's children but new metadata (a later layer re-declaring the directory). */
    ImageEntry redeclaredDirectory(int newMode, int newUid, int newGid, long newMtime, int newLayer) {
        ImageEntry d = new ImageEntry(FileType.DIRECTORY, newMode, size, newUid, newGid, newMtime, inode, newLayer,
                null, null);
        d.children.putAll(children);
        return d;
    }

    /** The same inode under another name (a tar hard link), written by {@code newLayer}. */
    ImageEntry hardLinkIn(int newLayer) {
        return new ImageEntry(type, mode, size, uid, gid, mtimeNanos, inode, newLayer, linkTarget, content);
    }

    FileAttributes attributes() {
        return new FileAttributes(type, mode, size, uid, gid, 0, inode, mtimeNanos);
    }

    boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }
}
