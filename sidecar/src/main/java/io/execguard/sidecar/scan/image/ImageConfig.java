package io.execguard.sidecar.scan.image;

import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.platform.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an image's configuration says about how its container starts: the declared platform, ENTRYPOINT, CMD,
 * environment and working directory. Immutable.
 */
public final class ImageConfig {
    private final Platform platform;
    private final List<String> entrypoint;
    private final List<String> cmd;
    private final List<String> env;
    private final String workingDir;

    public ImageConfig(Platform platform, List<String> entrypoint, List<String> cmd, List<String> env,
                       String workingDir) {
        this.platform = platform;
        this.entrypoint = copy(entrypoint);
        this.cmd = copy(cmd);
        this.env = copy(env);
        this.workingDir = workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
    }

    private static List<String> copy(List<String> l) {
        return l == null ? Collections.emptyList() : Collections.unmodifiableList(new ArrayList<>(l));
    }

    /** The platform the configuration declares ({@code os}, {@code architecture}, {@code variant}). */
    public Optional<Platform> platform() {
        return Optional.ofNullable(platform);
    }

    public List<String> entrypoint() {
        return entrypoint;
    }

    public List<String> cmd() {
        return cmd;
    }

    public List<String> env() {
        return env;
    }

    /** The working directory the container starts in; {@code /} when unset. */
    public String workingDir() {
        return workingDir;
    }

    /** The argv the runtime executes: ENTRYPOINT followed by CMD (CMD alone when there is no ENTRYPOINT). */
    public List<String> command() {
        List<String> argv = new ArrayList<>(entrypoint);
        argv.addAll(cmd);
        return Collections.unmodifiableList(argv);
    }

    /** The PATH the runtime searches for a bare command name: the image's own, else the runtime default. */
    public String searchPath() {
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                return e.substring(5);
            }
        }
        return DiagnosisRequest.DEFAULT_PATH;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ImageConfig)) {
            return false;
        }
        ImageConfig c = (ImageConfig) o;
        return Objects.equals(platform, c.platform) && entrypoint.equals(c.entrypoint) && cmd.equals(c.cmd)
                && env.equals(c.env) && workingDir.equals(c.workingDir);
    }

    @Override
    public int hashCode() {
        return Objects.hash(platform, entrypoint, cmd, env, workingDir);
    }

    @Override
    public String toString() {
        return "ImageConfig{" + platform + " entrypoint=" + entrypoint + " cmd=" + cmd + "}";
    }
}
