package io.execguard.sidecar.audit.exec;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One PATH record of a failed exec: item 0 is the file the caller named; later items are what the kernel looked
 * up on the way (a script's interpreter, e.g. {@code /bin/sh\r} of a CRLF script). {@code inode} and {@code dev}
 * are present only when the kernel found the file.
 */
public record PathItem(int item, String name, OptionalLong inode, Optional<String> device, Optional<String> mode,
        Optional<String> nameType) {
    public PathItem {
        Objects.requireNonNull(name, "name");
    }

    /** True when the kernel found the file (it has an inode), i.e. it existed at the time of the exec. */
    public boolean exists() {
        return inode.isPresent();
    }
}
