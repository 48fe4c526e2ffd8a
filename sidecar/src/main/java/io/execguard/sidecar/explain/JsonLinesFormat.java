package io.execguard.sidecar.explain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.diagnose.Diagnosis;
import io.execguard.core.json.DiagnosisJson;
import io.execguard.core.json.FileJson;
import io.execguard.core.platform.Platform;
import java.io.IOException;
import java.io.Writer;

/**
 * One JSON object per line with Elastic Common Schema names: {@code file.*}, {@code host.architecture} and
 * {@code execguard.diagnosis.*}.
 */
final class JsonLinesFormat implements DiagnosisFormat {
    private final Writer out;
    private final JsonGenerator g;
    private final String hostArchitecture;

    JsonLinesFormat(Writer out, Platform host) throws IOException {
        this.out = out;
        JsonFactory factory = JsonFactory.builder().build();
        this.g = factory.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setRootValueSeparator(null);
        this.hostArchitecture = host.kernelArchitecture();
    }

    @Override
    public void write(Diagnosis d) throws IOException {
        g.writeStartObject();
        FileJson.writeField(g, d);
        g.writeObjectFieldStart("host");
        g.writeStringField("architecture", hostArchitecture);
        g.writeEndObject();
        g.writeObjectFieldStart("execguard");
        g.writeFieldName("diagnosis");
        DiagnosisJson.write(g, d);
        g.writeEndObject();
        g.writeEndObject();
        g.flush();
        out.write('\n');
    }

    @Override
    public void finish() throws IOException {
        g.close();
    }
}
