package io.execguard.agent.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableResolverTest {
    @TempDir
    Path dir;

    private Path file(String name, String perms) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    @Test
    void slashNamesResolveAgainstTheChildsWorkingDirectory() {
        ExecutableResolver r = ExecutableResolver.of("/usr/bin", Path.of("/jvm/cwd"));
        assertEquals(Optional.of(Path.of("/jvm/cwd/bin/tool")), r.resolve("./bin/tool", null));
        assertEquals(Optional.of(Path.of("/work/bin/tool")), r.resolve("bin/tool", "/work"));
        assertEquals(Optional.of(Path.of("/jvm/cwd/sub/tool")), r.resolve("./tool", "sub"));
        assertEquals(Optional.of(Path.of("/abs/tool")), r.resolve("/abs/tool", "/elsewhere"));
    }

    @Test
    void bareNamesSearchTheParentsPathFirstExecutableWins() throws IOException {
        file("a/tool", "rw-r--r--");
        Path executable = file("b/tool", "rwxr-xr-x");
        ExecutableResolver r = ExecutableResolver.of(dir.resolve("a") + ":" + dir.resolve("b"), Path.of("/"));
        assertEquals(Optional.of(executable), r.resolve("tool", null));
    }

    @Test
    void aNonExecutableMatchIsKeptWhenNothingBetterExists() throws IOException {
        Path only = file("a/tool", "rw-r--r--");
        ExecutableResolver r = ExecutableResolver.of(dir.resolve("a").toString() + ":/nonexistent", Path.of("/"));
        assertEquals(Optional.of(only), r.resolve("tool", null));
    }

    @Test
    void emptyEntriesMeanTheWorkingDirectoryAndUnsetPathUsesTheJdkDefault() throws IOException {
        Path local = file("w/tool", "rwxr-xr-x");
        assertEquals(Optional.of(local), ExecutableResolver.of("/nonexistent::", Path.of("/")).resolve("tool",
                dir.resolve("w").toString()));
        assertEquals(Optional.of(Path.of("/bin/sh")), ExecutableResolver.of(null, Path.of("/")).resolve("sh", null));
    }

    @Test
    void unknownNamesResolveToNothing() {
        assertFalse(ExecutableResolver.of("/usr/bin:/bin", Path.of("/")).resolve("no-such-tool-xyz", null)
                .isPresent());
        assertFalse(ExecutableResolver.of("/usr/bin", Path.of("/")).resolve("", null).isPresent());
    }
}
