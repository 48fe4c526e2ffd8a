package io.execguard.sidecar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.execguard.sidecar.scan.image.CapturePolicy;
import io.execguard.sidecar.scan.image.ImageArchive;
import io.execguard.sidecar.scan.image.ImageConfig;
import io.execguard.sidecar.scan.image.ImageFileTree;
import io.execguard.sidecar.scan.image.TestImages;
import io.execguard.sidecar.scan.image.TestLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntrypointChainTest {
    @TempDir
    Path tmp;

    private static final String ENTRYPOINT = "#!/bin/sh\r\nset -e\r\nif [ \"$1\" = x ]; then exec /opt/app/run.sh \"$@\"; fi\r\n"
            + "exec gosu app \"$@\"\r\n";

    @Test
    void followsScriptsInterpretersAndExecLines() throws IOException {
        TestLayer layer = TestLayer.create()
                .file("/usr/local/bin/docker-entrypoint.sh", 0755, ENTRYPOINT)
                .file("/bin/sh", 0755, new byte[] {0x7f, 'E', 'L', 'F'})
                .file("/opt/app/run.sh", 0755, "#!/usr/bin/env python3\nprint(1)\n")
                .file("/usr/bin/python3", 0755, "fake")
                .file("/usr/bin/env", 0755, "fake")
                .file("/usr/local/bin/gosu", 0755, "fake");
        ImageConfig config = new ImageConfig(null, List.of("docker-entrypoint.sh"), List.of("serve"),
                List.of("PATH=/usr/local/bin:/usr/bin:/bin"), "/work");
        List<String> chain = chain(layer, config);
        assertEquals(List.of(
                "/usr/local/bin/docker-entrypoint.sh (ENTRYPOINT)",
                "/bin/sh (interpreter of /usr/local/bin/docker-entrypoint.sh)",
                "/opt/app/run.sh (exec'd by /usr/local/bin/docker-entrypoint.sh)",
                "/usr/bin/python3 (interpreter (via env) of /opt/app/run.sh)",
                "/usr/local/bin/gosu (exec'd by /usr/local/bin/docker-entrypoint.sh)"), chain);
    }

    @Test
    void shellFormCommandIsFollowedToItsProgram() throws IOException {
        TestLayer layer = TestLayer.create().file("/bin/sh", 0755, "elf").file("/app/server", 0755, "elf");
        ImageConfig config = new ImageConfig(null, List.of(), List.of("/bin/sh", "-c", "FOO=1 exec ./server --port 80"),
                List.of(), "/app");
        assertEquals(List.of("/bin/sh (CMD)", "/app/server (command of /bin/sh -c)"), chain(layer, config));
    }

    @Test
    void aMissingProgramStaysInTheChainByItsName() throws IOException {
        ImageConfig config = new ImageConfig(null, List.of("missing-tool"), List.of(), List.of(), "/");
        assertEquals(List.of("missing-tool (ENTRYPOINT)"), chain(TestLayer.create().dir("/bin"), config));
    }

    @Test
    void execLinesWithVariablesAreNotGuessed() {
        assertEquals(List.of("/srv/bin/app", "nginx"), EntrypointChain.execTargets(
                "#!/bin/sh\n# exec /commented\nexec \"$@\"\nexec $APP\nexec /srv/bin/app\ntest -f x && exec nginx -g 'daemon off;'\n"));
        assertEquals(List.of(), EntrypointChain.firstCommand("$HOME/run"));
    }

    private List<String> chain(TestLayer layer, ImageConfig config) throws IOException {
        Path file = TestImages.dockerSaveLegacy(tmp.resolve("i.tar"), "i:1",
                new TestImages.Spec("linux/amd64", List.of(), null).layer(layer.bytes(TestLayer.Compression.NONE)));
        try (ImageArchive archive = ImageArchive.open(file)) {
            ImageFileTree tree = archive.tree(archive.manifests().get(0),
                    CapturePolicy.withEntrypointNames(Set.of("docker-entrypoint.sh")), n -> { });
            return EntrypointChain.follow(tree, config).stream().map(Object::toString).collect(Collectors.toList());
        }
    }
}
