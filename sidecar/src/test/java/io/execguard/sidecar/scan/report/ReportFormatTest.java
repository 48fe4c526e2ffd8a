package io.execguard.sidecar.scan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.execguard.core.diagnose.Cause;
import io.execguard.core.diagnose.Evidence;
import io.execguard.core.platform.Platform;
import io.execguard.sidecar.scan.IgnoreRules;
import io.execguard.sidecar.scan.ScanReport;
import io.execguard.sidecar.scan.Scanner;
import io.execguard.sidecar.scan.ScriptedDiagnoser;
import io.execguard.sidecar.scan.image.ImageArchive;
import io.execguard.sidecar.scan.image.TestElf;
import io.execguard.sidecar.scan.image.TestImages;
import io.execguard.sidecar.scan.image.TestLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three formats over a report with every kind of finding (image, entrypoint, executable). */
class ReportFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private ScanReport report() throws IOException {
        byte[] layer = TestLayer.create()
                .file("/entrypoint.sh", 0755, "#!/bin/sh\r\nexec /app/server\r\n")
                .file("/app/server", 0755, TestElf.elf64(TestElf.EM_X86_64, null))
                .file("/usr/bin/with space:colon", 0755, "no shebang\n")
                .bytes(TestLayer.Compression.GZIP);
        Path file = TestImages.dockerSaveLegacy(tmp.resolve("i.tar"), "shop/api:1.2",
                new TestImages.Spec("linux/arm64", List.of("/entrypoint.sh"), List.of()).layer(layer));
        Evidence amd64 = Evidence.builder().put(Evidence.ELF, Evidence.builder().put("platform", "linux/amd64")
                .put("machine", "x86-64").put("class", "ELF64").put("data", "LSB").put("type", "EXEC").build()).build();
        ScriptedDiagnoser engine = new ScriptedDiagnoser().answer("/entrypoint.sh", Cause.SHEBANG_CRLF)
                .answer("/app/server", Cause.ARCH_MISMATCH).evidence("/app/server", amd64)
                .answer("/usr/bin/with space:colon", Cause.SHEBANG_MISSING);
        try (ImageArchive archive = ImageArchive.open(file)) {
            return new Scanner(engine, IgnoreRules.none()).scanImage(archive, file.toString(), List.of());
        }
    }

    private static String render(ReportFormat format, ScanReport report) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(report, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sarifValidatesAgainstTheSarif210Schema() throws IOException {
        String sarif = render(ReportFormat.SARIF, report());
        assertEquals(List.of(), SarifSchema.validate(sarif));
        JsonNode run = JSON.readTree(sarif).get("runs").get(0);
        JsonNode results = run.get("results");
        assertEquals(4, results.size());
        assertEquals("ARCH_MISMATCH", results.get(0).get("ruleId").asText(), "the image finding comes first");
        assertEquals("shop/api:1.2", results.get(0).at("/locations/0/logicalLocations/0/name").asText());
        assertEquals("entrypoint.sh", results.get(1).at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertEquals("usr/bin/with%20space:colon", results.get(3).at("/locations/0/physicalLocation/artifactLocation/uri").asText());
        JsonNode rules = run.at("/tool/driver/rules");
        assertEquals(Cause.values().length - 1, rules.size());
        for (JsonNode r : results) {
            assertEquals(r.get("ruleId").asText(), rules.get(r.get("ruleIndex").asInt()).get("id").asText());
        }
    }

    @Test
    void theSchemaCheckRejectsInvalidSarif() throws IOException {
        String sarif = render(ReportFormat.SARIF, report());
        assertFalse(SarifSchema.validate(sarif.replace("\"level\" : \"error\"", "\"level\" : \"fatal\"")).isEmpty());
        assertFalse(SarifSchema.validate(sarif.replace("\"version\" : \"2.1.0\"", "\"version\" : \"2.0\"")).isEmpty());
    }

    @Test
    void jsonIsOneEcsObjectPerFindingThenASummary() throws IOException {
        String text = render(ReportFormat.JSON, report());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertEquals(5, lines.size());
        JsonNode server = lines.get(2);
        assertEquals("scan-finding", server.at("/event/action").asText());
        assertEquals("execguard.scan", server.at("/event/dataset").asText());
        assertEquals("/app/server", server.at("/file/path").asText());
        assertEquals("0755", server.at("/file/mode").asText());
        assertEquals("x86-64", server.at("/file/elf/architecture").asText());
        assertEquals("ELF64", server.at("/file/elf/header/class").asText());
        assertEquals("shop/api:1.2", server.at("/container/image/name").asText());
        assertEquals("ARCH_MISMATCH", server.at("/execguard/diagnosis/cause").asText());
        assertEquals("ENOEXEC", server.at("/execguard/diagnosis/errno").asText());
        assertEquals("critical", server.at("/execguard/scan/severity").asText());
        assertEquals("exec'd by /entrypoint.sh", server.at("/execguard/scan/role").asText());
        JsonNode summary = lines.get(4);
        assertEquals("scan-summary", summary.at("/event/action").asText());
        assertEquals(4, summary.at("/execguard/scan/summary/findings").asInt());
        assertEquals(3, summary.at("/execguard/scan/summary/by_severity/critical").asInt());
        assertEquals("linux/arm64", summary.at("/execguard/scan/summary/units/0/target_platform").asText());
    }

    @Test
    void textHasTheSummaryTableThenFindingsMostImportantFirst() throws IOException {
        String text = render(ReportFormat.TEXT, report());
        int table = text.indexOf("CAUSE");
        int image = text.indexOf("CRITICAL  image shop/api:1.2");
        int entry = text.indexOf("CRITICAL  /entrypoint.sh");
        int missing = text.indexOf("ERROR  /usr/bin/with space:colon");
        assertTrue(table > 0 && table < image && image < entry && entry < missing, text);
        assertTrue(text.contains("entrypoint chain: /entrypoint.sh (ENTRYPOINT) -> /bin/sh (interpreter of /entrypoint.sh)"), text);
        assertTrue(text.contains("4 findings (3 critical, 1 error)"), text);
        assertTrue(text.contains(Platform.parse("linux/arm64").toString()));
    }
}
