package io.execguard.agent.emit;

import io.execguard.agent.install.AgentLog;
import io.execguard.core.event.output.OutputSpec;
import io.execguard.core.event.pipeline.EventSink;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes event lines to the agent's output: the JVM's stderr or stdout, or a file opened in append mode on the first
 * event. Each line goes out in one write, so it is never interleaved with the application's own output. Runs only
 * on the pipeline's writer thread. Never creates any file but the one the user named: the agent writes no
 * temporary files.
 */
final class LineSink implements EventSink {
    private final OutputSpec output;
    private OutputStream stream;
    private boolean unavailable;

    LineSink(OutputSpec output) {
        this.output = output;
    }

    @Override
    public void write(String jsonLine) throws IOException {
        OutputStream out = stream();
        out.write((jsonLine + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() throws IOException {
        if (stream != null) {
            stream.flush();
        }
    }

    private OutputStream stream() throws IOException {
        if (stream != null) {
            return stream;
        }
        if (unavailable) {
            throw new IOException("event output " + output + " is unavailable");
        }
        switch (output.kind()) {
            case STDOUT:
                stream = System.out;
                break;
            case STDERR:
                stream = System.err;
                break;
            default:
                try {
                    stream = new FileOutputStream(output.file().get().toFile(), true);
                } catch (IOException | SecurityException e) {
                    unavailable = true;
                    AgentLog.warn("cannot open the event file " + output.file().get() + " (" + e.getMessage()
                            + "); events are dropped and counted");
                    throw new IOException(e);
                }
        }
        return stream;
    }
}
