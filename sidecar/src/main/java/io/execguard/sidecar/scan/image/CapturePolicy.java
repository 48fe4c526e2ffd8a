package io.execguard.sidecar.scan.image;

import io.execguard.core.inspect.BoundedReader;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * How much of each image file scan keeps in memory while it streams the layers. The engine reads 256 bytes,
 * the ELF program headers and PT_INTERP, and for 32-bit ARM the section headers and {@code .ARM.attributes};
 * a script's {@code #!} line lives in its first 256 bytes. Entrypoint scripts are kept larger so that scan can
 * follow their {@code exec} lines. Immutable.
 */
public final class CapturePolicy {
    /**
     * Bytes kept of every regular file, executable or not: the engine's first read of any file it opens
     * ({@link BoundedReader#HEAD_BYTES}), so that no file it might open fails on its head.
     */
    public static final int ANY_FILE_PREFIX = BoundedReader.HEAD_BYTES;
    /** Bytes kept of an executable ELF file from its start: header, program headers and PT_INTERP in practice. */
    public static final int ELF_PREFIX = 4096;
    /** Bytes kept of an executable that is not ELF (scripts and everything else). */
    public static final int OTHER_EXECUTABLE_PREFIX = 16 * 1024;
    /** Bytes kept of a file the ENTRYPOINT/CMD names, so its {@code exec} lines can be followed. */
    public static final int ENTRYPOINT_PREFIX = 64 * 1024;
    /** Largest program header table or PT_INTERP kept when they lie beyond the prefix (the engine's bound). */
    public static final int ELF_TABLE_LIMIT = 64 * 1024;
    /** Bytes kept of the end of a 32-bit ARM ELF file: section headers and, usually, {@code .ARM.attributes}. */
    public static final int ARM_TAIL = 256 * 1024;

    private final Set<String> entrypointNames;

    private CapturePolicy(Set<String> entrypointNames) {
        this.entrypointNames = entrypointNames;
    }

    /**
     * A policy that keeps {@value #ENTRYPOINT_PREFIX} bytes of every file whose base name is one of
     * {@code entrypointNames} (the chain is not resolved yet while layers stream, so names are matched).
     */
    public static CapturePolicy withEntrypointNames(Set<String> entrypointNames) {
        return new CapturePolicy(Collections.unmodifiableSet(new HashSet<>(entrypointNames)));
    }

    /** Bytes to keep from the start of a regular file, before its format is known. */
    int prefixFor(String path, int mode) {
        if (entrypointNames.contains(baseName(path))) {
            return ENTRYPOINT_PREFIX;
        }
        if ((mode & 0111) != 0 || isLoaderName(path)) {
            return OTHER_EXECUTABLE_PREFIX;
        }
        return ANY_FILE_PREFIX;
    }

    /** Whether the ELF-specific ranges are worth capturing for this file. */
    boolean wantsElfDetail(String path, int mode) {
        return (mode & 0111) != 0 || isLoaderName(path) || entrypointNames.contains(baseName(path));
    }

    /** Dynamic loaders are opened by the engine for every dynamic binary, executable bit or not. */
    static boolean isLoaderName(String path) {
        String base = baseName(path);
        return base.startsWith("ld-") || base.startsWith("ld64.so") || base.startsWith("ld.so");
    }

    static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
