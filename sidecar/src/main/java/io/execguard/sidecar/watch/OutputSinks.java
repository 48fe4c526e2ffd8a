package io.execguard.sidecar.watch;

import io.execguard.core.event.output.OutputSpec;
import io.execguard.core.event.pipeline.EventSink;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Event sinks for {@code --output}: standard output, standard error or a file (appended to, created if missing),
 * one JSON object per line, flushed whenever the pipeline runs empty so that a reader sees each event at once.
 */
public final class OutputSinks {
    private OutputSinks() {
    }

    /** Opens the destination of {@code spec}. */
    public static EventSink open(OutputSpec spec) throws IOException {
        Writer w;
        switch (spec.kind()) {
            case STDERR:
                w = new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8);
                break;
            case FILE:
                w = Files.newBufferedWriter(spec.file().orElseThrow(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                break;
            default:
                w = new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8);
                break;
        }
        BufferedWriter out = new BufferedWriter(w, 1 << 16);
        return new EventSink() {
            @Override
            public void write(String jsonLine) throws IOException {
                out.write(jsonLine);
                out.write('\n');
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }
}
