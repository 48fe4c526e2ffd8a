package io.execguard.core.platform;

import java.util.Objects;

/**
 * What the engine knows about the machine it runs on, all read from files ({@code /proc}, {@code /sys},
 * {@code /boot}), never from a spawned process: the platform, 32-bit compat support, binfmt_misc handlers and the
 * credentials execve checks permissions against. Immutable snapshot; read a new one to see changes.
 */
public final class HostFacts {
    private final Platform platform;
    private final CompatSupport compat;
    private final BinfmtMisc binfmt;
    private final Credentials credentials;

    private HostFacts(Platform platform, CompatSupport compat, BinfmtMisc binfmt, Credentials credentials) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.compat = Objects.requireNonNull(compat, "compat");
        this.binfmt = Objects.requireNonNull(binfmt, "binfmt");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** Reads the facts of this machine. */
    public static HostFacts read() {
        Platform host = Platform.host();
        return new HostFacts(host, CompatSupport.detect(host.architecture()),
                BinfmtMisc.read(BinfmtMisc.DEFAULT_DIRECTORY), Credentials.current());
    }

    /** Explicit facts (tests, or facts gathered elsewhere). */
    public static HostFacts of(Platform platform, CompatSupport compat, BinfmtMisc binfmt, Credentials credentials) {
        return new HostFacts(platform, compat, binfmt, credentials);
    }

    public Platform platform() {
        return platform;
    }

    public CompatSupport compat() {
        return compat;
    }

    public BinfmtMisc binfmt() {
        return binfmt;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** A copy with other binfmt_misc registrations. */
    public HostFacts withBinfmt(BinfmtMisc other) {
        return new HostFacts(platform, compat, other, credentials);
    }

    /** A copy with another compat answer. */
    public HostFacts withCompat(CompatSupport other) {
        return new HostFacts(platform, other, binfmt, credentials);
    }

    @Override
    public String toString() {
        return "HostFacts[" + platform + ", compat " + compat + ", " + binfmt + ", " + credentials + "]";
    }
}
