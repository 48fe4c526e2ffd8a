package io.execguard.sidecar.audit.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.execguard.core.event.EventJsonWriter;
import io.execguard.core.event.ExecEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Serialises events on several threads while keeping their order: events are cut into batches, each batch is
 * written to JSON lines by a pool thread, and batches are copied to the output in the order they were cut.
 * Serialisation (with redaction) is most of the cost of converting a busy log; reading and reassembly stay on the
 * caller's thread. Not thread-safe itself: one thread calls {@link #accept} and {@link #close()}.
 */
final class OrderedSerializer implements Consumer<ExecEvent>, AutoCloseable {
    private static final int BATCH = 512;
    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final ExecutorService pool;
    private final int maxPending;
    private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
    private List<ExecEvent> batch = new ArrayList<>(BATCH);

    OrderedSerializer(OutputStream out, int threads) {
        this.out = out;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "execguard-serialise");
            t.setDaemon(true);
            return t;
        });
        this.maxPending = threads * 2;
    }

    @Override
    public void accept(ExecEvent e) {
        batch.add(e);
        if (batch.size() == BATCH) {
            submit();
        }
    }

    /** Writes everything still pending, in order, and stops the pool. */
    @Override
    public void close() {
        if (!batch.isEmpty()) {
            submit();
        }
        while (!pending.isEmpty()) {
            drainOne();
        }
        pool.shutdown();
    }

    private void submit() {
        List<ExecEvent> events = batch;
        batch = new ArrayList<>(BATCH);
        pending.add(pool.submit(() -> serialise(events)));
        while (pending.size() > maxPending || !pending.isEmpty() && pending.peek().isDone()) {
            drainOne();
        }
    }

    private void drainOne() {
        try {
            out.write(pending.poll().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while writing events"));
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("serialising events failed", e.getCause()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] serialise(List<ExecEvent> events) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(events.size() * 2048);
        EventJsonWriter writer = EventJsonWriter.standard();
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.setRootValueSeparator(null);
            for (ExecEvent e : events) {
                writer.write(g, e);
                g.writeRaw('\n');
            }
        }
        return buf.toByteArray();
    }
}
