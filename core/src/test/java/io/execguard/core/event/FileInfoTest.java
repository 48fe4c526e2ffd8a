package io.execguard.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.core.fs.HostFileTree;
import io.execguard.core.hash.FileHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileInfoTest {
    @TempDir
    Path root;

    @Test
    void describesAFileInsideATreeWithStatFactsAndHash() throws Exception {
        Files.createDirectories(root.resolve("app/bin"));
        Path helper = Files.writeString(root.resolve("app/bin/helper"), "#!/bin/sh\r\necho hi\r\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(root.resolve("app/run"), Path.of("bin/helper"));

        FileInfo info = FileInfo.describe(HostFileTree.of(root), "run", "/app", FileHasher.withDefaults());
        assertEquals("/app/run", info.path());
        assertEquals(0750, info.attributes().orElseThrow().mode());
        assertEquals(Files.size(helper), info.attributes().orElseThrow().size());
        assertEquals(64, info.sha256().orElseThrow().length());

        String line = EventJsonWriter.standard().toJson(ExecEvent.builder(EventAction.EXEC_FAILED,
                EventDataset.SIDECAR).file(info).build());
        EventSchemaValidator.assertValid(line);
        assertTrue(line.contains("\"mode\":\"0750\""), line);
    }

    @Test
    void aMissingTargetKeepsItsPathOnly() {
        FileInfo info = FileInfo.describe(HostFileTree.of(root), "/nope", "/", FileHasher.withDefaults());
        assertEquals("/nope", info.path());
        assertEquals(Optional.empty(), info.attributes());
        assertEquals(Optional.empty(), info.sha256());
    }
}
