package io.execguard.sidecar.scan;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A progress bar on stderr, drawn only when stderr is a terminal so that logs and CI output stay clean.
 * Thread-safe: workers call {@link #advance()} concurrently.
 */
class Progress {
    /** Draws nothing. */
    static final Progress NONE = new Progress(null);

    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintStream out;
    private String phase = "";
    private boolean bytes;
    private long total;
    private long done;
    private long lastDraw;

    Progress(PrintStream out) {
        this.out = out;
    }

    /** A bar on {@code System.err} when it is a terminal, else {@link #NONE}. */
    static Progress forStderr() {
        return stderrIsTerminal() ? new Progress(System.err) : NONE;
    }

    /**
     * Whether file descriptor 2 is a terminal, read from {@code /proc/self/fd/2} (no native call, no process):
     * terminals are {@code /dev/pts/N}, {@code /dev/ttyN} or {@code /dev/console}.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (Exception e) {
            return false;
        }
    }

    synchronized void start(String newPhase, long newTotal) {
        begin(newPhase, newTotal, false);
    }

    /** A phase counted in bytes of unknown total (layers being streamed): shown in MiB. */
    synchronized void startBytes(String newPhase) {
        begin(newPhase, 0, true);
    }

    private void begin(String newPhase, long newTotal, boolean countsBytes) {
        phase = newPhase;
        bytes = countsBytes;
        total = newTotal;
        done = 0;
        lastDraw = 0;
        draw(true);
    }

    /** For byte-counted phases (layers): sets the absolute amount done. */
    synchronized void set(long amount) {
        done = amount;
        draw(false);
    }

    synchronized void advance() {
        done++;
        draw(false);
    }

    synchronized void finish() {
        if (out != null) {
            out.print("\r\033[K");
            out.flush();
        }
    }

    private void draw(boolean force) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS && done != total) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = total <= 0 ? 0 : (int) Math.min(width, done * width / total);
        String bar = "#".repeat(filled) + " ".repeat(width - filled);
        String count = bytes ? (done >> 20) + " MiB" : total <= 0 ? Long.toString(done) : done + "/" + total;
        out.print("\r\033[K[" + bar + "] " + phase + " " + count);
        out.flush();
    }
}
