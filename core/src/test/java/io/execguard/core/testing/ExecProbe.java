package io.execguard.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.diagnose.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks the kernel: runs a file with a direct {@code execve} from a tiny C program (fork, execve with a close-on-exec
 * pipe to report the errno, waitpid), so there is no {@code /bin/sh} fallback and a SIGSEGV of the new image is seen.
 * The helper is compiled with gcc once per build.
 */
public final class ExecProbe {
    private static final String SOURCE = String.join("\n",
            "#define _GNU_SOURCE",
            "#include <errno.h>",
            "#include <fcntl.h>",
            "#include <stdio.h>",
            "#include <sys/wait.h>",
            "#include <unistd.h>",
            "int main(int argc, char **argv) {",
            "  if (argc < 2) return 100;",
            "  int p[2];",
            "  if (pipe2(p, O_CLOEXEC)) return 101;",
            "  pid_t pid = fork();",
            "  if (pid < 0) return 102;",
            "  if (pid == 0) {",
            "    close(p[0]);",
            "    if (argc > 2 && chdir(argv[2])) _exit(103);",
            "    int null = open(\"/dev/null\", O_RDWR);",
            "    dup2(null, 0); dup2(null, 1); dup2(null, 2);",
            "    char *args[] = { argv[1], NULL };",
            "    char *env[] = { \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", NULL };",
            "    alarm(10);", // survives execve: a program that hangs is killed
            "    execve(argv[1], args, env);",
            "    int e = errno;",
            "    (void) !write(p[1], &e, sizeof e);",
            "    _exit(127);",
            "  }",
            "  close(p[1]);",
            "  int e = 0;",
            "  ssize_t n = read(p[0], &e, sizeof e);",
            "  int status = 0;",
            "  waitpid(pid, &status, 0);",
            "  if (n == (ssize_t) sizeof e) printf(\"errno %d\\n\", e);",
            "  else if (WIFSIGNALED(status)) printf(\"signal %d\\n\", WTERMSIG(status));",
            "  else printf(\"exit %d\\n\", WEXITSTATUS(status));",
            "  return 0;",
            "}",
            "");

    private static Path binary;

    private ExecProbe() {
    }

    /** The kernel's verdict on one execve. */
    public static final class Outcome {
        /** The errno execve returned, or 0 when it succeeded. */
        public final int errno;
        /** The signal that killed the new image, or 0. */
        public final int signal;
        /** The exit status of the new image when it exited normally. */
        public final int exitStatus;

        Outcome(int errno, int signal, int exitStatus) {
            this.errno = errno;
            this.signal = signal;
            this.exitStatus = exitStatus;
        }

        public boolean execSucceeded() {
            return errno == 0;
        }

        @Override
        public String toString() {
            return errno != 0 ? "execve failed with errno " + errno + " (" + Errno.ofNumber(errno).map(Enum::name)
                    .orElse("?") + ")" : signal != 0 ? "exec succeeded, then signal " + signal
                    : "exec succeeded, exit " + exitStatus;
        }
    }

    /** Compiles the helper if needed; fails (CI) or skips (elsewhere) when gcc is missing. */
    public static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        Privileges.requireCommand("gcc");
        try {
            Path dir = Files.createDirectories(Path.of("target", "exec-probe").toAbsolutePath());
            Path c = dir.resolve("exec-probe.c");
            Path out = dir.resolve("exec-probe");
            Files.writeString(c, SOURCE, StandardCharsets.US_ASCII);
            Commands.run(List.of("gcc", "-O1", "-o", out.toString(), c.toString()));
            binary = out;
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the exec probe", e);
        }
    }

    /** Executes {@code file} (as given: absolute, or relative to {@code cwd}) and reports what the kernel did. */
    public static Outcome exec(String file, Path cwd) {
        return run(List.of(binary().toString(), file, cwd.toString()));
    }

    /**
     * Executes {@code file} as {@code uid}/{@code gid} without supplementary groups or capabilities (setpriv, as
     * root), from a copy of the probe in {@code scratch} that such a user can run.
     */
    public static Outcome execAs(int uid, int gid, String file, Path scratch) {
        Privileges.requireCommand("setpriv");
        try {
            Path copy = scratch.resolve("exec-probe");
            if (!Files.exists(copy)) {
                Files.copy(binary(), copy);
                Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return run(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", copy.toString(), file,
                    "/"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Outcome run(List<String> command) {
        String file = command.get(command.size() - 2);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("exec probe hung on " + file);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String[] f = out.split(" ");
            if (f.length != 2) {
                fail("exec probe said: " + out);
            }
            int v = Integer.parseInt(f[1]);
            switch (f[0]) {
                case "errno":
                    return new Outcome(v, 0, 0);
                case "signal":
                    return new Outcome(0, v, 0);
                default:
                    return new Outcome(0, 0, v);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #exec(String, Path)} with the root as working directory. */
    public static Outcome exec(Path file) {
        return exec(file.toString(), Path.of("/"));
    }

    /** Asserts that the diagnosis predicted exactly what the kernel did. */
    public static void assertKernelAgrees(Diagnosis d, Outcome kernel) {
        Optional<Errno> predicted = d.errno();
        String context = d + " / kernel: " + kernel;
        if (predicted.isEmpty()) {
            assertEquals(0, kernel.errno, "predicted a successful execve: " + context);
        } else if (predicted.get() == Errno.SIGSEGV) {
            assertEquals(0, kernel.errno, "predicted exec then SIGSEGV: " + context);
            assertEquals(11, kernel.signal, "predicted exec then SIGSEGV: " + context);
        } else {
            assertEquals(predicted.get().number(), kernel.errno, "predicted errno: " + context);
        }
    }
}
