package io.execguard.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.DiagnosisEngine;
import io.execguard.core.diagnose.DiagnosisRequest;
import io.execguard.core.fs.Lookup;
import io.execguard.core.testing.Privileges;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A "container" made by the test: a process in its own mount namespace, chrooted into a private tmpfs that the host
 * cannot see, holding its own /etc/shadow, a mounted /proc (the pid namespace is the host's, so /proc/1/root is the
 * host's root: the classic magic-link escape) and symlinks planted to leave the root. Through /proc/PID/root the tree
 * must reach the container's files and never the host's.
 */
class ForeignMountNamespaceTest {
    private static final String CONTAINER = String.join("\n",
            "import os, subprocess, sys",
            "d = sys.argv[1]",
            "subprocess.run(['mount', '-t', 'tmpfs', 'tmpfs', d], check=True)",
            "os.makedirs(d + '/etc'); os.makedirs(d + '/proc'); os.makedirs(d + '/usr/bin')",
            "open(d + '/etc/shadow', 'w').write('container-shadow\\n')",
            "open(d + '/usr/bin/app', 'w').write('container-app\\n')",
            "os.symlink('/etc/shadow', d + '/shadow-link')",
            "open(d + '/usr/bin/noshebang', 'w').write('echo no interpreter line\\n')",
            "open(d + '/usr/bin/needs-bash', 'w').write('#!/bin/bash\\necho hi\\n')",
            "os.chmod(d + '/usr/bin/noshebang', 0o755); os.chmod(d + '/usr/bin/needs-bash', 0o755)",
            "os.symlink('/bin/sh', d + '/usr/bin/host-sh')",
            "os.symlink('../../..', d + '/usr/bin/up')",
            "os.symlink('/etc/gshadow', d + '/host-only')",
            "os.symlink('/proc/1/root/etc/hostname', d + '/magic')",
            "os.symlink('/proc/self/root/etc/shadow', d + '/magic-self')",
            "subprocess.run(['mount', '-t', 'proc', 'proc', d + '/proc'], check=True)",
            "os.chroot(d); os.chdir('/')",
            "print('ready', flush=True)",
            "sys.stdin.read()");

    @TempDir
    Path dir;
    private Process container;
    private String rootPath;

    @BeforeEach
    void startContainer() throws Exception {
        Privileges.requireRoot();
        Privileges.requireCommand("unshare");
        Privileges.requireCommand("python3");
        Path mountPoint = Files.createDirectory(dir.resolve("root"));
        container = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "python3", "-c", CONTAINER,
                mountPoint.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(container.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("ready", line, "container did not start");
        rootPath = "/proc/" + container.pid() + "/root";
        assertFalse(Files.exists(mountPoint.resolve("etc")), "the tmpfs must be invisible from the host namespace");
    }

    @AfterEach
    void stopContainer() throws Exception {
        if (container != null) {
            container.destroy();
            container.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void reachesTheContainersFilesAndNeverTheHosts(RootedFileTree.Resolution resolution) throws Exception {
        long hostShadowInode = (Long) Files.getAttribute(Path.of("/etc/shadow"), "unix:ino");
        try (RootedFileTree tree = RootedFileTree.of(rootPath, resolution)) {
            assertEquals("container-app\n", RootedFileTreeTest.read(tree, "/usr/bin/app", "/"));
            assertEquals(Optional.of("/proc/" + container.pid() + "/mountinfo"), tree.mountInfoPath());
            for (String path : new String[] {"/etc/shadow", "/shadow-link", "/usr/bin/up/etc/shadow",
                "/usr/bin/up/usr/bin/up/shadow-link", "../../../etc/shadow"}) {
                Lookup lookup = tree.lookup(path, "/usr/bin");
                assertEquals(Lookup.Status.FOUND, lookup.status(), path + ": " + lookup);
                assertNotEquals(hostShadowInode, lookup.attributes().orElseThrow().inode(), path);
                assertEquals("container-shadow\n", RootedFileTreeTest.read(tree, path, "/usr/bin"), path);
            }
            assertEquals(Lookup.Status.NOT_FOUND, tree.lookup("/host-only").status(), "exists only on the host");
        }
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void theEngineDiagnosesThroughTheTreeAsTheContainerSeesIt(RootedFileTree.Resolution resolution)
            throws Exception {
        try (RootedFileTree tree = RootedFileTree.of(rootPath, resolution)) {
            DiagnosisEngine engine = DiagnosisEngine.forHost();
            assertEquals(Cause.SHEBANG_MISSING, diagnose(engine, tree, "/usr/bin/noshebang"));
            assertEquals(Cause.SHEBANG_INTERPRETER_MISSING, diagnose(engine, tree, "/usr/bin/needs-bash"),
                    "/bin/bash exists on the host, not in the container");
            assertEquals(Cause.NOT_FOUND, diagnose(engine, tree, "/usr/bin/host-sh"),
                    "a link to the host's /bin/sh is dangling inside the container");
        }
    }

    private static Cause diagnose(DiagnosisEngine engine, RootedFileTree tree, String path) {
        return engine.diagnose(DiagnosisRequest.builder(path).tree(tree).build()).cause();
    }

    @ParameterizedTest
    @EnumSource(RootedFileTree.Resolution.class)
    void magicLinksThroughTheContainersProcDoNotLeadToTheHost(RootedFileTree.Resolution resolution)
            throws Exception {
        String hostHostname = Files.readString(Path.of("/etc/hostname"));
        try (RootedFileTree tree = RootedFileTree.of(rootPath, resolution)) {
            for (String path : new String[] {"/magic", "/proc/1/root/etc/hostname", "/magic-self",
                "/proc/self/root/etc/shadow"}) {
                Lookup lookup = tree.lookup(path);
                if (lookup.isFound()) {
                    // The component walk treats a magic link as the plain link its text names: back inside the root.
                    assertEquals(RootedFileTree.Resolution.COMPONENT_WALK, resolution, path + ": " + lookup);
                    assertEquals("/etc/shadow", lookup.resolvedPath(), path);
                    assertEquals("container-shadow\n", RootedFileTreeTest.read(tree, path, "/"), path);
                } else {
                    // openat2 refuses magic links with ELOOP; /proc/1/... of the host's pid 1 is refused even earlier,
                    // by procfs itself (EACCES), for both strategies.
                    assertTrue(lookup.status() == Lookup.Status.LOOP
                            || lookup.status() == Lookup.Status.ACCESS_DENIED, path + ": " + lookup);
                }
            }
            if (resolution == RootedFileTree.Resolution.OPENAT2) {
                assertEquals(Lookup.Status.LOOP, tree.lookup("/magic-self").status());
            } else {
                assertEquals("/etc/shadow", tree.lookup("/magic-self").resolvedPath());
            }
            assertFalse(hostHostname.isEmpty());
        }
    }
}
