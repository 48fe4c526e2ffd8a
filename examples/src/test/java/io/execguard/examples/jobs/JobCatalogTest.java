package io.execguard.examples.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.execguard.examples.fixtures.BrokenTool;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job list format, the shipped job list, and a real run of the service. */
class JobCatalogTest {
    @Test
    void parsesNamesCommandsAndTheToolsPlaceholder() throws IOException {
        List<Job> jobs = JobCatalog.parse(new StringReader("# comment\n\nbuild  ${tools}/make -j 2\n"),
                Paths.get("/opt/tools"));
        assertEquals(List.of(new Job("build", List.of("/opt/tools/make", "-j", "2"))), jobs);
    }

    @Test
    void aJobWithoutCommandNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobCatalog.parse(new StringReader("ok true\nlonely\n"), Paths.get("/")));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void theShippedJobListRunsEveryBrokenTool() throws IOException {
        List<Job> jobs = JobCatalog.parse(new InputStreamReader(
                JobCatalog.class.getResourceAsStream("/jobs.conf"), StandardCharsets.UTF_8), Paths.get("/t"));
        List<String> programs = jobs.stream().map(j -> j.command().get(0)).collect(Collectors.toList());
        for (BrokenTool tool : BrokenTool.values()) {
            assertTrue(programs.contains("/t/" + tool.fileName()), "no job runs " + tool.fileName());
        }
    }

    @Test
    void theServiceRunsJobsAndReportsFailuresWithoutDying(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing-tool");
        List<JobResult> results = new JobRunner(List.of(
                new Job("ok", List.of("true")),
                new Job("status", List.of("sh", "-c", "echo partial; exit 3")),
                new Job("absent", List.of(missing.toString())))).runRounds(1);
        assertEquals(Optional.of(0), results.get(0).exitCode());
        assertEquals(Optional.of(3), results.get(1).exitCode());
        assertEquals("partial", results.get(1).output());
        assertTrue(results.get(2).failure().orElseThrow().getMessage().contains(missing.toString()));
    }
}
