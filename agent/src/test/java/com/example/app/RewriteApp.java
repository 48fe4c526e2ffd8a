package com.example.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

/**
 * An application for the agent's verdict-cache test: execs a script twice, rewrites it in place into the same number
 * of bytes without a {@code #!} line and sets its modification time back - so device, inode, size and mtime are
 * all as before - waits {@code args[2]} milliseconds and execs it again. Prints one {@link ProbeApp#attempt} line
 * per exec, then {@code KEPT} when the rewrite kept inode, size and mtime (the test relies on that).
 */
public final class RewriteApp {
    private RewriteApp() {
    }

    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        System.out.println(ProbeApp.attempt(script.toString()));
        System.out.println(ProbeApp.attempt(script.toString()));
        Object inode = Files.getAttribute(script, "unix:ino");
        long size = Files.size(script);
        FileTime mtime = Files.getLastModifiedTime(script);
        Files.write(script, args[1].getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        Files.setLastModifiedTime(script, mtime);
        Thread.sleep(Long.parseLong(args[2]));
        System.out.println(ProbeApp.attempt(script.toString()));
        boolean kept = inode.equals(Files.getAttribute(script, "unix:ino")) && size == Files.size(script)
                && mtime.equals(Files.getLastModifiedTime(script));
        System.out.println(kept ? "KEPT" : "CHANGED");
    }
}
