package io.execguard.sidecar.scan.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Named files of an image as stored on disk: the entries of a {@code docker save} tarball or OCI archive, or the
 * files of an OCI layout directory. Names are relative, {@code /}-separated, and never leave the store.
 */
interface BlobStore extends Closeable {
    boolean exists(String name);

    /** Streams the named file. @throws ImageFormatException when it is missing */
    InputStream open(String name) throws IOException;

    /** What the store is, for messages. */
    String describe();

    /** The store for an OCI content digest ({@code sha256:HEX} -> {@code blobs/sha256/HEX}). */
    default String blobName(String digest) throws ImageFormatException {
        if (digest == null || !digest.matches("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}")) {
            throw new ImageFormatException("invalid content digest '" + digest + "' in " + describe());
        }
        int colon = digest.indexOf(':');
        return "blobs/" + digest.substring(0, colon) + "/" + digest.substring(colon + 1);
    }

    /** Rejects names that could leave the store ({@code ..}, absolute paths). */
    static String checkedName(String name, String where) throws ImageFormatException {
        String n = name.startsWith("./") ? name.substring(2) : name;
        if (n.isEmpty() || n.startsWith("/") || n.equals("..") || n.startsWith("../") || n.contains("/../")
                || n.endsWith("/..")) {
            throw new ImageFormatException("refusing the path '" + name + "' in " + where
                    + ": it points outside the image");
        }
        return n;
    }
}
