package io.execguard.linux;

import io.execguard.core.fs.OpenedFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Cost of a safe lookup and of a safe open-and-read-4-KiB through {@link RootedFileTree} (both strategies), with
 * java.nio on the same host paths as the baseline (which would follow symlinks out of a container root). Run by
 * {@code bench/rooted-lookup.sh}; arguments are paths, e.g. {@code /bin/sh /usr/bin/env}.
 */
public final class RootedFileTreeBench {
    private RootedFileTreeBench() {
    }

    /** One measured operation. */
    private interface Op {
        void run(String path) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String[] paths = args.length > 0 ? args : new String[] {"/bin/sh", "/usr/bin/env", "/etc/os-release"};
        try (RootedFileTree openat2 = RootedFileTree.of("/", RootedFileTree.Resolution.OPENAT2);
             RootedFileTree walk = RootedFileTree.of("/", RootedFileTree.Resolution.COMPONENT_WALK)) {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            measure("lookup   java.nio (baseline, unsafe)", paths, p -> Files.readAttributes(Path.of(p).toRealPath(),
                    PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            measure("lookup   RootedFileTree openat2", paths, openat2::lookup);
            measure("lookup   RootedFileTree walk", paths, walk::lookup);
            measure("open+4K  java.nio (baseline, unsafe)", paths, p -> {
                try (FileChannel c = FileChannel.open(Path.of(p), StandardOpenOption.READ)) {
                    buf.clear();
                    c.read(buf, 0);
                }
            });
            measure("open+4K  RootedFileTree openat2", paths, p -> read(openat2, p, buf));
            measure("open+4K  RootedFileTree walk", paths, p -> read(walk, p, buf));
        }
        System.out.println("load: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static void read(RootedFileTree tree, String path, ByteBuffer buf) throws Exception {
        try (OpenedFile f = tree.open(path, "/")) {
            buf.clear();
            f.read(0, buf);
        }
    }

    private static void measure(String name, String[] paths, Op op) throws Exception {
        run(paths, op, 1_000_000_000L);
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rates.add(run(paths, op, 1_000_000_000L));
        }
        Collections.sort(rates);
        System.out.printf("%-40s %10.0f ops/s (median of 5 x 1 s; min %.0f, max %.0f)%n", name, rates.get(2),
                rates.get(0), rates.get(4));
    }

    private static double run(String[] paths, Op op, long nanos) throws Exception {
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - start < nanos) {
            op.run(paths[(int) (n % paths.length)]);
            n++;
        }
        return n * 1e9 / (System.nanoTime() - start);
    }
}
