package io.execguard.sidecar.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's name for {@code host.hostname}, read the way uname(2) reports it. */
public final class HostName {
    private HostName() {
    }

    public static String local() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
